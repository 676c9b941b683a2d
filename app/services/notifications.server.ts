import { can, type Actor } from "~/domain/policy";
import { clipText, eventOf, notificationLink, payloadOf, type NotificationEvent, type NotificationKind } from "~/domain/notifications";
import { findPlanById } from "../../db/queries/plans";
import {
  countUnread,
  findNotification,
  insertNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  recipientCandidates,
  type NotificationCursor,
  type NotificationListRow,
} from "../../db/queries/notifications";
import { findLiveSession } from "../../db/queries/sessions";
import type { DbOrTx } from "../../db/queries/users";
import type { Notification } from "../../db/schema";
import { publish } from "./live-bus.server";
import { enqueueOutbound } from "./outbound/enqueue.server";

export interface NotifyInput {
  event: NotificationEvent;
  planId: string | null;
  actorId: number | null;
  recipients: readonly number[];
  dedupeKey: string;
  at: number;
}

const FREE_TEXT_FIELDS = ["comment", "reason", "excerpt"] as const;

/**
 * Records an event for its recipients inside the caller's transaction: never the actor,
 * never an inactive member, never someone who may not read the plan. A (recipient, dedupe
 * key) pair is stored once, so a retried or raced event notifies once. Returns who was
 * notified now; the caller hands them to publishNotifications after its commit.
 */
export async function notify(trx: DbOrTx, input: NotifyInput): Promise<number[]> {
  const wanted = [...new Set(input.recipients)].filter((id) => id !== input.actorId);
  if (wanted.length === 0) return [];
  const plan = input.planId === null ? undefined : await findPlanById(trx, input.planId);
  if (input.planId !== null && !plan) return [];
  const candidates = await recipientCandidates(trx, input.planId, wanted);
  const readers = candidates.filter((c) => {
    if (!plan) return true;
    const actor: Actor = { id: c.id, role: c.role, title: c.title, active: true };
    return can(actor, "plan:read", { kind: "plan", ownerId: plan.owner_id, status: plan.status, access: c.access });
  });
  if (readers.length === 0) return [];
  const { kind, payload } = payloadOf(input.event);
  for (const field of FREE_TEXT_FIELDS) {
    if (typeof payload[field] === "string") payload[field] = clipText(payload[field]);
  }
  const json = JSON.stringify(payload);
  const inserted = await insertNotifications(
    trx,
    readers.map((r) => ({ userId: r.id, kind, planId: input.planId, actorId: input.actorId, payload: json, dedupeKey: input.dedupeKey, at: input.at })),
  );
  await enqueueOutbound(trx, inserted);
  return inserted.map((row) => row.user_id);
}

/** Wakes the members' live streams; call after the transaction that notified them committed. */
export function publishNotifications(userIds: readonly number[]): void {
  for (const id of new Set(userIds)) publish(userTopic(id), { kind: "notifications" });
}

export function userTopic(userId: number): string {
  return `user:${userId}`;
}

export function unreadCount(db: DbOrTx, userId: number): Promise<number> {
  return countUnread(db, userId);
}

export const NOTIFICATION_PAGE = 50;

/** What the bell and the list show of one notification. */
export interface NotificationView {
  id: number;
  kind: NotificationKind;
  event: NotificationEvent;
  link: string;
  actorName: string | null;
  createdAt: number;
  read: boolean;
}

export function notificationView(row: NotificationListRow): NotificationView | null {
  const event = eventOf(row.kind, row.payload);
  if (!event) return null;
  return {
    id: row.id,
    kind: row.kind,
    event,
    link: notificationLink(row.kind, row.plan_id, event),
    actorName: row.actor_name,
    createdAt: row.created_at,
    read: row.read_at !== null,
  };
}

export interface NotificationPage {
  rows: NotificationView[];
  /** Where the next page starts (`after`); null on the last page. */
  next: NotificationCursor | null;
}

export type { NotificationCursor };

/** Unread first, newest first, 50 a page; `newestFirst` (the bell's latest few) ignores read state. */
export async function notificationPage(
  db: DbOrTx,
  userId: number,
  options: { unreadOnly: boolean; newestFirst?: boolean; after?: NotificationCursor; limit?: number },
): Promise<NotificationPage> {
  const limit = options.limit ?? NOTIFICATION_PAGE;
  const rows = await listNotifications(db, userId, { unreadOnly: options.unreadOnly, newestFirst: options.newestFirst, limit: limit + 1, after: options.after });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    rows: page.flatMap((row) => notificationView(row) ?? []),
    next: more && last ? { unread: last.read_at === null, id: last.id } : null,
  };
}

/** A member's own notification; someone else's is reported as not found, never as forbidden. */
export async function openNotification(
  db: DbOrTx,
  userId: number,
  id: number,
  options: { markRead: boolean; at: number },
): Promise<{ ok: true; notification: Notification } | { ok: false; status: 404; code: "notFound" }> {
  const notification = await findNotification(db, userId, id);
  if (!notification) return { ok: false, status: 404, code: "notFound" };
  if (options.markRead && notification.read_at === null) {
    await markNotificationRead(db, userId, id, options.at);
    publishNotifications([userId]);
  }
  return { ok: true, notification };
}

export async function markAllRead(db: DbOrTx, userId: number, upToId: number, at: number): Promise<number> {
  const changed = await markAllNotificationsRead(db, userId, upToId, at);
  if (changed > 0) publishNotifications([userId]);
  return changed;
}

/** Whether a stream's session still stands: signed out, expired or deactivated ends it. */
export async function sessionStillLive(db: DbOrTx, sessionIdHash: string, now = Date.now()): Promise<boolean> {
  const found = await findLiveSession(db, sessionIdHash, now);
  return found !== undefined && found.user.active === 1;
}
