import { z } from "zod";
import { CampaignTypeSchema, IsoDateSchema, type CampaignType } from "~/domain/plan";
import { SectionIdSchema } from "./roots";

/** What a plan's `meta` map holds when the server seeds it. */
export interface PlanMeta {
  title: string;
  templateId: string | null;
  campaignType: CampaignType;
  startDate: string;
  endDate: string;
  store: string;
  /** 活动基准日 the template's dates were laid out from, or "" for a blank plan. */
  anchor: string;
  currency: "CNY";
}

/** Meta keys written after seeding: the sections the 复盘 (review) generation created. */
export const REVIEW_META = { data: "reviewDataSection", notes: "reviewNotesSection" } as const;

// Any client can write any shape into a Y.Doc: reading goes through zod, and a bad value
// falls back instead of breaking the whole plan. Every key the document uses is listed.
export const MetaSchema = z.object({
  title: z.string().catch(""),
  templateId: z.string().nullable().catch(null),
  campaignType: CampaignTypeSchema.catch("holiday"),
  startDate: IsoDateSchema.catch(""),
  endDate: IsoDateSchema.catch(""),
  store: z.string().catch(""),
  anchor: IsoDateSchema.or(z.literal("")).catch(""),
  currency: z.literal("CNY").catch("CNY"),
  [REVIEW_META.data]: SectionIdSchema.optional().catch(undefined),
  [REVIEW_META.notes]: SectionIdSchema.optional().catch(undefined),
});

/** The meta as read: the seeded keys, and the ones written later when present. */
export type StoredMeta = z.infer<typeof MetaSchema>;
