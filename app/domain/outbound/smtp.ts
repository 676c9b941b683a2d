import { z } from "zod";
import { checkEmailAddress } from "./url-rules";

export const SMTP_SECURITY = ["tls", "starttls", "none"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** The SMTP server emails go out through, set on the admin page (app_settings "outbound.smtp"). */
export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  password: string;
  /** The From address, e.g. 活动策划台 <notify@example.com> or a bare address. */
  from: string;
}

export const SMTP_SETTING_KEY = "outbound.smtp";

const HOST = /^[A-Za-z0-9.-]{1,253}$/;

export const SmtpSettingsSchema = z.object({
  host: z.string().trim().regex(HOST),
  port: z.coerce.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  user: z.string().trim().max(200),
  password: z.string().max(200),
  from: z.string().trim().min(3).max(200),
});

/** The address inside a From value ("名字 <a@b.cn>" or "a@b.cn"); null when there is none. */
export function fromAddress(from: string): string | null {
  const match = /<([^<>]+)>\s*$/.exec(from);
  const address = (match ? match[1]! : from).trim();
  return checkEmailAddress(address).ok ? address : null;
}

export function parseSmtpSettings(json: string | undefined): SmtpSettings | null {
  if (!json) return null;
  try {
    const parsed = SmtpSettingsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
