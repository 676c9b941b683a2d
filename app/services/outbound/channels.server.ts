import { randomBytes } from "node:crypto";
import type { NotificationKind } from "~/domain/notifications";
import { CHANNEL_SECRET_MAX, idempotencyKey, parseKinds, parseMessage, signs, WORKSPACE_CHANNEL_LIMIT, type ChannelKind, type OutboxStatus, type RobotKind } from "~/domain/outbound/channel";
import { testMessage } from "~/domain/outbound/message";
import { parseSmtpSettings, SMTP_SETTING_KEY, fromAddress, type SmtpSecurity } from "~/domain/outbound/smtp";
import { checkTarget, maskTarget, type EmailProblem, type UrlProblem } from "~/domain/outbound/url-rules";
import type { NotificationChannel, OutboxRow } from "../../../db/schema";
import {
  channelById,
  deleteChannel,
  deleteMemberChannel,
  insertOutboxRows,
  insertWorkspaceChannel,
  latestTests,
  memberChannels,
  outboxCounts,
  recentOutboxProblems,
  retryFailedOutbox,
  updateChannel,
  upsertMemberChannel,
  workspaceChannels,
} from "../../../db/queries/outbound";
import { getSetting, setSetting } from "../../../db/queries/settings";
import type { DbOrTx } from "../../../db/queries/users";

export type ChannelRefusal = UrlProblem | EmailProblem | "nameRequired" | "noKinds" | "secretTooLong" | "secretNotSupported" | "tooManyChannels" | "notFound" | "badFrom";
export type ChannelResult<T = object> = ({ ok: true } & T) | { ok: false; status: 400 | 404 | 409; code: ChannelRefusal };

export interface TestView {
  status: OutboxStatus;
  attempts: number;
  error: string | null;
  at: number;
}

/** A channel as the browser sees it: never the webhook's key or token, never the signing secret. */
export interface ChannelView {
  id: number;
  kind: ChannelKind;
  name: string;
  target: string;
  hasSecret: boolean;
  kinds: NotificationKind[];
  enabled: boolean;
  test: TestView | null;
}

function testView(row: OutboxRow | undefined): TestView | null {
  return row ? { status: row.status, attempts: row.attempts, error: row.last_error, at: row.created_at } : null;
}

function channelViews(channels: readonly NotificationChannel[], tests: readonly OutboxRow[]): ChannelView[] {
  const byChannel = new Map(tests.map((t) => [t.channel_id, t]));
  return channels.map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    target: maskTarget(c.kind, c.target),
    hasSecret: c.secret !== null,
    kinds: parseKinds(c.kinds),
    enabled: c.enabled === 1,
    test: testView(byChannel.get(c.id)),
  }));
}

export interface SmtpView {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  from: string;
  hasPassword: boolean;
}

export interface OutboxProblemView {
  id: number;
  status: OutboxStatus;
  attempts: number;
  error: string;
  nextAttemptAt: number;
  createdAt: number;
  channelName: string;
  channelKind: ChannelKind;
  /** A member's own channel: named by its kind, not its stored name. */
  personal: boolean;
  title: string;
}

export interface WorkspaceOverview {
  channels: ChannelView[];
  smtp: SmtpView | null;
  counts: { pending: number; failed: number; sent: number };
  problems: OutboxProblemView[];
}

export async function workspaceOverview(db: DbOrTx): Promise<WorkspaceOverview> {
  const channels = await workspaceChannels(db);
  const tests = await latestTests(db, channels.map((c) => c.id));
  const smtp = parseSmtpSettings(await getSetting(db, SMTP_SETTING_KEY));
  const problems = await recentOutboxProblems(db, 20);
  return {
    channels: channelViews(channels, tests),
    smtp: smtp && { host: smtp.host, port: smtp.port, security: smtp.security, user: smtp.user, from: smtp.from, hasPassword: smtp.password !== "" },
    counts: await outboxCounts(db),
    problems: problems.map((p) => {
      const title = parseMessage(p.message)?.title ?? "";
      return {
        id: p.id,
        status: p.status,
        attempts: p.attempts,
        error: p.last_error ?? "",
        nextAttemptAt: p.next_attempt_at,
        createdAt: p.created_at,
        channelName: p.channel_name,
        channelKind: p.channel_kind,
        personal: p.owner_user_id !== null,
        title,
      };
    }),
  };
}

export interface ChannelInput {
  kind: ChannelKind;
  name: string;
  /** Blank when editing: keep the stored URL or address (the browser never had it). */
  target: string;
  /** Blank: keep the stored secret; `clearSecret` removes it. */
  secret: string;
  clearSecret: boolean;
  kinds: NotificationKind[];
  enabled: boolean;
}

type Checked = { ok: true; target: string; secret: string | null | undefined } | { ok: false; status: 400; code: ChannelRefusal };

/** The target and secret to store; `secret` undefined means unchanged. */
function checkInput(input: ChannelInput, existing: NotificationChannel | undefined, allowedHosts: readonly string[]): Checked {
  if (input.name.trim() === "") return { ok: false, status: 400, code: "nameRequired" };
  if (input.kinds.length === 0) return { ok: false, status: 400, code: "noKinds" };
  let target: string;
  if (input.target.trim() === "" && existing && existing.kind === input.kind) {
    target = existing.target;
  } else {
    const checked = checkTarget(input.kind, input.target, allowedHosts);
    if (!checked.ok) return { ok: false, status: 400, code: checked.problem };
    target = checked.target;
  }
  const secretText = input.secret.trim();
  if (secretText.length > CHANNEL_SECRET_MAX) return { ok: false, status: 400, code: "secretTooLong" };
  if (secretText !== "" && !signs(input.kind)) return { ok: false, status: 400, code: "secretNotSupported" };
  let secret: string | null | undefined = secretText !== "" ? secretText : input.clearSecret ? null : undefined;
  // A kind change drops a secret the new platform does not use.
  if (!signs(input.kind)) secret = existing?.secret != null ? null : undefined;
  return { ok: true, target, secret };
}

export async function createWorkspaceChannel(db: DbOrTx, actorId: number, input: ChannelInput, allowedHosts: readonly string[], now: number): Promise<ChannelResult<{ id: number }>> {
  const checked = checkInput(input, undefined, allowedHosts);
  if (!checked.ok) return checked;
  const id = await insertWorkspaceChannel(
    db,
    {
      kind: input.kind,
      name: input.name.trim(),
      target: checked.target,
      secret: checked.secret ?? null,
      kinds: JSON.stringify(input.kinds),
      enabled: input.enabled ? 1 : 0,
      created_by: actorId,
      at: now,
    },
    WORKSPACE_CHANNEL_LIMIT,
  );
  return id === null ? { ok: false, status: 409, code: "tooManyChannels" } : { ok: true, id };
}

export async function updateWorkspaceChannel(db: DbOrTx, id: number, input: ChannelInput, allowedHosts: readonly string[], now: number): Promise<ChannelResult> {
  const existing = await channelById(db, id);
  if (!existing || existing.owner_user_id !== null) return { ok: false, status: 404, code: "notFound" };
  const checked = checkInput(input, existing, allowedHosts);
  if (!checked.ok) return checked;
  const updated = await updateChannel(db, id, null, {
    kind: input.kind,
    name: input.name.trim(),
    target: checked.target,
    ...(checked.secret !== undefined ? { secret: checked.secret } : {}),
    kinds: JSON.stringify(input.kinds),
    enabled: input.enabled ? 1 : 0,
    at: now,
  });
  return updated ? { ok: true } : { ok: false, status: 404, code: "notFound" };
}

export async function setWorkspaceChannelEnabled(db: DbOrTx, id: number, enabled: boolean, now: number): Promise<ChannelResult> {
  const updated = await updateChannel(db, id, null, { enabled: enabled ? 1 : 0, at: now });
  return updated ? { ok: true } : { ok: false, status: 404, code: "notFound" };
}

export async function deleteWorkspaceChannel(db: DbOrTx, id: number): Promise<ChannelResult> {
  return (await deleteChannel(db, id, null)) ? { ok: true } : { ok: false, status: 404, code: "notFound" };
}

/** 发送测试消息: queued in the outbox like any message, so the result shows the real path works. */
export async function queueTestMessage(db: DbOrTx, channelId: number, ownerUserId: number | null, requesterName: string, now: number): Promise<ChannelResult<{ outboxId: number }>> {
  const channel = await channelById(db, channelId);
  if (!channel || channel.owner_user_id !== ownerUserId) return { ok: false, status: 404, code: "notFound" };
  const [outboxId] = await insertOutboxRows(db, [
    {
      idempotency_key: idempotencyKey.test(channel.id, randomBytes(9).toString("base64url")),
      channel_id: channel.id,
      notification_id: null,
      message: JSON.stringify(testMessage(channel.name, requesterName)),
      next_attempt_at: now,
      created_at: now,
    },
  ]);
  return { ok: true, outboxId: outboxId! };
}

export async function retryFailed(db: DbOrTx, now: number, id?: number): Promise<number> {
  return retryFailedOutbox(db, now, id);
}

export interface SmtpInput {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  /** Blank: keep the stored password; `clearPassword` removes it. */
  password: string;
  clearPassword: boolean;
  from: string;
}

export async function saveSmtpSettings(db: DbOrTx, input: SmtpInput): Promise<ChannelResult> {
  if (fromAddress(input.from) === null) return { ok: false, status: 400, code: "badFrom" };
  const stored = parseSmtpSettings(await getSetting(db, SMTP_SETTING_KEY));
  const password = input.password !== "" ? input.password : input.clearPassword ? "" : (stored?.password ?? "");
  await setSetting(
    db,
    SMTP_SETTING_KEY,
    JSON.stringify({ host: input.host, port: input.port, security: input.security, user: input.user, password, from: input.from }),
  );
  return { ok: true };
}

export interface MemberOverview {
  email: ChannelView | null;
  robot: ChannelView | null;
}

export async function memberOverview(db: DbOrTx, userId: number): Promise<MemberOverview> {
  const channels = await memberChannels(db, userId);
  const views = channelViews(channels, await latestTests(db, channels.map((c) => c.id)));
  return { email: views.find((v) => v.kind === "email") ?? null, robot: views.find((v) => v.kind !== "email") ?? null };
}

export async function saveMemberEmail(db: DbOrTx, userId: number, input: { address: string; kinds: NotificationKind[]; enabled: boolean }, now: number): Promise<ChannelResult> {
  if (input.address.trim() === "") {
    await deleteMemberChannel(db, userId, "email");
    return { ok: true };
  }
  const checked = checkInput({ kind: "email", name: "email", target: input.address, secret: "", clearSecret: false, kinds: input.kinds, enabled: input.enabled }, undefined, []);
  if (!checked.ok) return checked;
  await upsertMemberChannel(db, userId, "email", { kind: "email", name: "邮件", target: checked.target, secret: null, kinds: JSON.stringify(input.kinds), enabled: input.enabled ? 1 : 0, at: now });
  return { ok: true };
}

export async function saveMemberRobot(
  db: DbOrTx,
  userId: number,
  input: { kind: RobotKind; target: string; secret: string; clearSecret: boolean; kinds: NotificationKind[]; enabled: boolean },
  allowedHosts: readonly string[],
  now: number,
): Promise<ChannelResult> {
  const existing = (await memberChannels(db, userId)).find((c) => c.kind !== "email");
  const checked = checkInput({ ...input, name: "robot" }, existing, allowedHosts);
  if (!checked.ok) return checked;
  const name = { wecom: "企业微信机器人", dingtalk: "钉钉机器人", feishu: "飞书机器人" }[input.kind];
  await upsertMemberChannel(db, userId, "robot", {
    kind: input.kind,
    name,
    target: checked.target,
    secret: checked.secret === undefined ? (existing?.secret ?? null) : checked.secret,
    kinds: JSON.stringify(input.kinds),
    enabled: input.enabled ? 1 : 0,
    at: now,
  });
  return { ok: true };
}

export async function removeMemberRobot(db: DbOrTx, userId: number): Promise<void> {
  await deleteMemberChannel(db, userId, "robot");
}
