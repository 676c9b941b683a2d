import nodemailer from "nodemailer";
import { parseMessage, type RobotKind } from "~/domain/outbound/channel";
import { absoluteLink, buildEmail, buildRobotRequest, messageIdFor, robotAccepted } from "~/domain/outbound/payloads";
import { checkWebhookUrl } from "~/domain/outbound/url-rules";
import { fromAddress, parseSmtpSettings, SMTP_SETTING_KEY, type SmtpSettings } from "~/domain/outbound/smtp";
import type { OutboxRow } from "../../../db/schema";
import { channelById } from "../../../db/queries/outbound";
import { getSetting } from "../../../db/queries/settings";
import type { DbOrTx } from "../../../db/queries/users";

export interface DeliveryConfig {
  allowedHosts: readonly string[];
  /** Links in messages start with this origin. */
  publicUrl: string;
  smtpUrl?: string;
  timeoutMs: number;
  /** Aborted when the server shuts down. */
  signal: AbortSignal;
  now: () => number;
}

/** `permanent`: trying again cannot help (the channel is gone, disabled or no longer allowed). */
export type DeliveryResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

const RESPONSE_MAX_BYTES = 64 * 1024;

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `超时：${Math.round(timeoutMs / 1000)} 秒内没有回应`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : null;
  if (code === "ECONNREFUSED") return "连接被拒绝（ECONNREFUSED）";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `找不到服务器（${code}）`;
  if (code) return `网络错误（${code}）`;
  return `发送失败：${error instanceof Error ? error.message.slice(0, 160) : "未知错误"}`;
}

async function readLimited(response: Response): Promise<string> {
  const text = await response.text();
  return text.length > RESPONSE_MAX_BYTES ? text.slice(0, RESPONSE_MAX_BYTES) : text;
}

async function sendRobot(kind: RobotKind, row: OutboxRow, target: string, secret: string | null, link: string, body: { title: string; lines: string[]; link: string }, config: DeliveryConfig): Promise<DeliveryResult> {
  // Checked again at send time: OUTBOUND_ALLOWED_HOSTS may have shrunk since the channel was saved.
  const checked = checkWebhookUrl(kind, target, config.allowedHosts);
  if (!checked.ok) return { ok: false, error: "地址不在允许的范围内", permanent: true };
  const request = buildRobotRequest(kind, checked.url, secret, body, link, config.now());
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", "Idempotency-Key": row.idempotency_key },
      body: JSON.stringify(request.body),
      // A redirect could point anywhere, internal hosts included: it counts as a failure.
      redirect: "manual",
      signal: AbortSignal.any([AbortSignal.timeout(config.timeoutMs), config.signal]),
    });
    return robotAccepted(kind, response.status, await readLimited(response));
  } catch (error) {
    return { ok: false, error: networkError(error, config.timeoutMs) };
  }
}

async function smtpSettings(db: DbOrTx): Promise<SmtpSettings | null> {
  return parseSmtpSettings(await getSetting(db, SMTP_SETTING_KEY));
}

function transportFor(settings: SmtpSettings | null, config: DeliveryConfig) {
  const timeouts = { connectionTimeout: config.timeoutMs, greetingTimeout: config.timeoutMs, socketTimeout: config.timeoutMs };
  if (config.smtpUrl) return nodemailer.createTransport({ url: config.smtpUrl, ...timeouts });
  if (!settings) return null;
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    ...timeouts,
  });
}

async function sendEmail(db: DbOrTx, row: OutboxRow, to: string, link: string, body: { title: string; lines: string[]; link: string }, config: DeliveryConfig): Promise<DeliveryResult> {
  const settings = await smtpSettings(db);
  const transport = transportFor(settings, config);
  if (!transport) return { ok: false, error: "尚未配置 SMTP 服务器" };
  const from = settings?.from ?? "";
  const address = fromAddress(from);
  if (!address) {
    transport.close();
    return { ok: false, error: "尚未配置发件地址" };
  }
  const content = buildEmail(body, link);
  const abort = () => transport.close();
  config.signal.addEventListener("abort", abort, { once: true });
  try {
    await transport.sendMail({
      from,
      to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      messageId: messageIdFor(row.idempotency_key, address.split("@")[1]!),
      headers: { "Idempotency-Key": row.idempotency_key },
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: networkError(error, config.timeoutMs) };
  } finally {
    config.signal.removeEventListener("abort", abort);
    transport.close();
  }
}

/** Sends one claimed outbox row to its channel; the worker records the result. */
export async function deliverOutboxRow(db: DbOrTx, row: OutboxRow, config: DeliveryConfig): Promise<DeliveryResult> {
  const channel = await channelById(db, row.channel_id);
  if (!channel) return { ok: false, error: "渠道已删除", permanent: true };
  if (channel.enabled !== 1) return { ok: false, error: "渠道已停用", permanent: true };
  const message = parseMessage(row.message);
  if (!message) return { ok: false, error: "消息内容无法读取", permanent: true };
  const link = absoluteLink(config.publicUrl, message.link);
  if (channel.kind === "email") return sendEmail(db, row, channel.target, link, message, config);
  return sendRobot(channel.kind, row, channel.target, channel.secret, link, message, config);
}
