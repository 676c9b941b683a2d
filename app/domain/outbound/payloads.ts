import { createHmac } from "node:crypto";
import type { OutboundMessage, RobotKind } from "./channel";

/**
 * Each platform's documented custom-robot request. Titles and lines are plain text the
 * members typed (plan titles, comments): in markdown they are neutralised so a title such as
 * "[点此](https://evil)" cannot put a link or markup into the group chat.
 */
export interface RobotRequest {
  url: string;
  body: Record<string, unknown>;
}

/** Stays under 企业微信's 4096-byte markdown limit (and 钉钉's) with room for the title and link. */
const LINE_MAX = 300;
const LINES_MAX = 8;

function clip(text: string, max = LINE_MAX): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

const MARKDOWN_ACTIVE: Record<string, string> = {
  "[": "［",
  "]": "］",
  "(": "（",
  ")": "）",
  "<": "＜",
  ">": "＞",
  "*": "＊",
  _: "＿",
  "`": "｀",
  "#": "＃",
  "\\": "＼",
  "!": "！",
  "~": "～",
  "|": "｜",
};

export function neutraliseMarkdown(text: string): string {
  return clip(text).replace(/[[\]()<>*_`#\\!~|]/g, (c) => MARKDOWN_ACTIVE[c] ?? c);
}

function lines(message: OutboundMessage): string[] {
  return message.lines.slice(0, LINES_MAX);
}

/** 钉钉: base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)), then URL-encoded into the query. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/** 飞书: base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")), timestamp in seconds. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

export function buildRobotRequest(kind: RobotKind, target: string, secret: string | null, message: OutboundMessage, absoluteLink: string, nowMs: number): RobotRequest {
  switch (kind) {
    case "wecom": {
      const content = [`**${neutraliseMarkdown(message.title)}**`, ...lines(message).map((l) => `> ${neutraliseMarkdown(l)}`), `[在活动策划台中查看](${absoluteLink})`].join("\n");
      return { url: target, body: { msgtype: "markdown", markdown: { content } } };
    }
    case "dingtalk": {
      const title = clip(message.title, 60);
      const text = [`#### ${neutraliseMarkdown(message.title)}`, ...lines(message).map((l) => `> ${neutraliseMarkdown(l)}`), `[在活动策划台中查看](${absoluteLink})`].join("\n\n");
      let url = target;
      if (secret) {
        const signed = new URL(target);
        signed.searchParams.set("timestamp", String(nowMs));
        signed.searchParams.set("sign", dingtalkSign(secret, nowMs));
        url = signed.href;
      }
      return { url, body: { msgtype: "markdown", markdown: { title, text } } };
    }
    case "feishu": {
      const body: Record<string, unknown> = {
        msg_type: "post",
        content: {
          post: {
            zh_cn: {
              title: clip(message.title, 100),
              content: [...lines(message).map((l) => [{ tag: "text", text: clip(l) }]), [{ tag: "a", text: "在活动策划台中查看", href: absoluteLink }]],
            },
          },
        },
      };
      if (secret) {
        const seconds = Math.floor(nowMs / 1000);
        body.timestamp = String(seconds);
        body.sign = feishuSign(secret, seconds);
      }
      return { url: target, body };
    }
  }
}

/**
 * Whether the platform accepted the message: HTTP 2xx and its own success code
 * (企业微信 / 钉钉 `errcode: 0`, 飞书 `code: 0`, older 飞书 hooks `StatusCode: 0`).
 * The error text is kept for the admin page, so it is short and has no secrets.
 */
export function robotAccepted(kind: RobotKind, status: number, bodyText: string): { ok: true } | { ok: false; error: string } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return { ok: false, error: `HTTP ${status}，回应不是 JSON` };
  }
  const body = (parsed ?? {}) as Record<string, unknown>;
  const code = kind === "feishu" ? (body.code ?? body.StatusCode) : body.errcode;
  if (code === 0) return { ok: true };
  const text = kind === "feishu" ? (body.msg ?? body.StatusMessage) : body.errmsg;
  return { ok: false, error: clip(`${kind === "feishu" ? "code" : "errcode"} ${String(code)}${typeof text === "string" ? `：${text}` : ""}`, 200) };
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function buildEmail(message: OutboundMessage, absoluteLink: string): EmailContent {
  const subject = clip(message.title, 120);
  const body = lines(message).map((l) => clip(l, 1000));
  return {
    subject,
    text: [...body, "", `在活动策划台中查看：${absoluteLink}`].join("\n"),
    html: [
      `<p><strong>${escapeHtml(subject)}</strong></p>`,
      ...body.map((l) => `<p>${escapeHtml(l)}</p>`),
      `<p><a href="${escapeHtml(absoluteLink)}">在活动策划台中查看</a></p>`,
    ].join("\n"),
  };
}

/** RFC 5322 Message-ID from the idempotency key: a resend after a crash carries the same one, so mail systems see a duplicate. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const local = Buffer.from(idempotencyKey, "utf8").toString("base64url");
  return `<${local}@${domain}>`;
}

/** The in-app path made absolute with the server's public address. */
export function absoluteLink(publicUrl: string, path: string): string {
  return new URL(path.startsWith("/") ? path : `/${path}`, publicUrl).href;
}
