import type { ChannelKind, RobotKind } from "./channel";

/**
 * Where a robot message may go. The server posts to a URL an admin or member typed, so an
 * open rule would let anyone make it call internal services (169.254.169.254, localhost,
 * intranet admin pages): only each platform's documented webhook host, over https, with its
 * documented path, is accepted, plus hosts the operator lists in OUTBOUND_ALLOWED_HOSTS.
 */
export const PLATFORM_HOSTS: Record<RobotKind, readonly string[]> = {
  wecom: ["qyapi.weixin.qq.com"],
  dingtalk: ["oapi.dingtalk.com"],
  feishu: ["open.feishu.cn", "open.larksuite.com"],
};

export type UrlProblem = "badUrl" | "notHttps" | "hostNotAllowed" | "credentialsInUrl" | "badPath";
export type EmailProblem = "badEmail";

export const TARGET_MAX = 500;

/** OUTBOUND_ALLOWED_HOSTS: comma-separated `host` (any port) or `host:port` entries, lowercased. */
export function parseAllowedHosts(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

function isExtraHost(url: URL, extraHosts: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return extraHosts.some((entry) => entry === host || entry === hostname);
}

function platformPathOk(kind: RobotKind, url: URL): boolean {
  switch (kind) {
    case "wecom":
      return url.pathname === "/cgi-bin/webhook/send" && (url.searchParams.get("key") ?? "") !== "";
    case "dingtalk":
      return url.pathname === "/robot/send" && (url.searchParams.get("access_token") ?? "") !== "";
    case "feishu":
      return /^\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9-]+$/.test(url.pathname);
  }
}

export function checkWebhookUrl(kind: RobotKind, raw: string, extraHosts: readonly string[]): { ok: true; url: string } | { ok: false; problem: UrlProblem } {
  const text = raw.trim();
  if (text.length === 0 || text.length > TARGET_MAX) return { ok: false, problem: "badUrl" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "badUrl" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "notHttps" };
  if (url.username !== "" || url.password !== "") return { ok: false, problem: "credentialsInUrl" };
  if (isExtraHost(url, extraHosts)) return { ok: true, url: url.href };
  if (!PLATFORM_HOSTS[kind].includes(url.hostname.toLowerCase()) || url.port !== "") return { ok: false, problem: "hostNotAllowed" };
  if (url.protocol !== "https:") return { ok: false, problem: "notHttps" };
  if (!platformPathOk(kind, url)) return { ok: false, problem: "badPath" };
  return { ok: true, url: url.href };
}

// Deliberately plain: one @, no spaces or line breaks (they would reach the SMTP envelope), a dotted domain.
const EMAIL = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\.]+$/;

export function checkEmailAddress(raw: string): { ok: true; address: string } | { ok: false; problem: EmailProblem } {
  const text = raw.trim();
  if (text.length > 254 || !EMAIL.test(text)) return { ok: false, problem: "badEmail" };
  return { ok: true, address: text };
}

export function checkTarget(kind: ChannelKind, raw: string, extraHosts: readonly string[]): { ok: true; target: string } | { ok: false; problem: UrlProblem | EmailProblem } {
  if (kind === "email") {
    const checked = checkEmailAddress(raw);
    return checked.ok ? { ok: true, target: checked.address } : checked;
  }
  const checked = checkWebhookUrl(kind, raw, extraHosts);
  return checked.ok ? { ok: true, target: checked.url } : checked;
}

/** Shown in lists: the webhook's host and path, never its key or token (a leaked key lets anyone post to the group). */
export function maskTarget(kind: ChannelKind, target: string): string {
  if (kind === "email") return target;
  try {
    const url = new URL(target);
    const path = url.pathname.replace(/\/hook\/([A-Za-z0-9-]{0,4})[A-Za-z0-9-]*$/, "/hook/$1…");
    return `${url.protocol}//${url.host}${path}${url.search ? "?…" : ""}`;
  } catch {
    return "…";
  }
}
