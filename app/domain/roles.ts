import { z } from "zod";

export const ROLES = ["admin", "planner", "manager", "finance", "viewer"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Approver titles, lowest authority first: the order ranks approval chains. */
export const APPROVER_TITLES = ["finance", "deputyGm", "gm", "chairman"] as const;
export const ApproverTitleSchema = z.enum(APPROVER_TITLES);
export type ApproverTitle = z.infer<typeof ApproverTitleSchema>;

export const LOCALES = ["zh-CN", "en"] as const;
export const LocaleSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof LocaleSchema>;
export const DEFAULT_LOCALE: Locale = "zh-CN";
