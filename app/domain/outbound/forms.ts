import { z } from "zod";
import { NOTIFICATION_KINDS, type NotificationKind } from "../notifications";
import { CHANNEL_KINDS, CHANNEL_NAME_MAX, ROBOT_KINDS } from "./channel";
import { TARGET_MAX } from "./url-rules";
import { SMTP_SECURITY } from "./smtp";

/** The form fields of a channel; semantic checks (URL rules) happen in the service. */
export const ChannelFormSchema = z.object({
  kind: z.enum(CHANNEL_KINDS),
  name: z.string().trim().max(CHANNEL_NAME_MAX),
  target: z.string().max(TARGET_MAX),
  secret: z.string().max(1000),
  clearSecret: z.boolean(),
  kinds: z.array(z.enum(NOTIFICATION_KINDS)),
  enabled: z.boolean(),
});

export const MemberRobotFormSchema = ChannelFormSchema.omit({ name: true }).extend({ kind: z.enum(ROBOT_KINDS) });

export const MemberEmailFormSchema = z.object({
  address: z.string().max(TARGET_MAX),
  kinds: z.array(z.enum(NOTIFICATION_KINDS)),
  enabled: z.boolean(),
});

export const SmtpFormSchema = z.object({
  host: z.string().trim().regex(/^[A-Za-z0-9.-]{1,253}$/),
  port: z.coerce.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  user: z.string().trim().max(200),
  password: z.string().max(200),
  clearPassword: z.boolean(),
  from: z.string().trim().max(200),
});

/** A form's fields as the schemas read them: checkboxes become booleans, `kinds` every checked kind. */
export function formFields(form: { get(name: string): unknown; getAll(name: string): unknown[] }, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = form.get(name);
    out[name] = typeof value === "string" ? value : "";
  }
  out.kinds = form.getAll("kinds").filter((k): k is NotificationKind => typeof k === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(k));
  for (const flag of ["clearSecret", "clearPassword", "enabled"]) out[flag] = form.get(flag) === "1";
  return out;
}
