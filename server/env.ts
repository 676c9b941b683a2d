import proxyAddr from "proxy-addr";
import { z } from "zod";
import type { TrustProxy } from "./client-ip";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], {
    error: "must be one of 1/0, true/false, yes/no, on/off",
  })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value.replace(/\/$/, "");
  } catch {
    return false;
  }
}, "must be an origin such as https://desk.example.com (scheme, host and optional port, nothing else)");

const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const text = value.trim().toLowerCase();
  if (["0", "false", "no", "off"].includes(text)) return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops <= 10) return { kind: "hops", hops };
  }
  if (["1", "true", "yes", "on"].includes(text) || /^\d+$/.test(text)) {
    ctx.addIssue({
      code: "custom",
      message:
        "must be the number of proxies in front of the app (0–10, e.g. 1 behind one nginx) or a comma-separated list of their addresses/subnets; `true` would trust any client's own X-Forwarded-For",
    });
    return z.NEVER;
  }
  const addresses = text.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    proxyAddr.compile(addresses);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `must list proxy addresses or subnets (${error instanceof Error ? error.message : "invalid"})` });
    return z.NEVER;
  }
  return { kind: "addresses", addresses };
});

/** Every setting the server reads from its environment, parsed once at start-up. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default("data/campaigndesk.db"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Comma-separated origins browsers may post from; defaults to localhost on PORT. */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(origin)),
  SEED_DEMO: booleanFlag.default(true),
  /** Open collaboration sockets allowed in all, and from one client address (an office behind one NAT shares it). */
  COLLAB_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(2_000),
  COLLAB_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Proxies whose X-Forwarded-For / -Proto are believed: a hop count or their addresses. */
  TRUST_PROXY: trustProxy.default({ kind: "none" }),
  /** Hosts (`host` or `host:port`, comma-separated) robot webhooks may also go to, besides the platforms' own; http allowed for them. */
  OUTBOUND_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : [])),
  /** The address members open the app at; links in robot messages and emails start with it (default: the first ALLOWED_ORIGINS entry). */
  PUBLIC_URL: origin.optional(),
  /** An SMTP server URL (smtp:// or smtps://, with credentials) used instead of the one set on the admin page. */
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), "must be an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
