import { sql } from "kysely";
import type { NotificationKind } from "~/domain/notifications";
import type { Notification } from "../schema";
import type { DbOrTx } from "./users";

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  planId: string | null;
  actorId: number | null;
  payload: string;
  dedupeKey: string;
  at: number;
}

/** Inserts what is new; a row whose (user, dedupe key) exists is skipped, so retries notify once. Returns the inserted rows. */
export async function insertNotifications(db: DbOrTx, rows: readonly NewNotification[]): Promise<Notification[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto("notifications")
    .values(
      rows.map((r) => ({
        user_id: r.userId,
        kind: r.kind,
        plan_id: r.planId,
        actor_id: r.actorId,
        payload: r.payload,
        dedupe_key: r.dedupeKey,
        created_at: r.at,
        read_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(["user_id", "dedupe_key"]).doNothing())
    .returningAll()
    .execute();
}

export async function countUnread(db: DbOrTx, userId: number): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type NotificationListRow = Notification & { actor_name: string | null };

/** Where a page ended: the next page starts after it in (unread first, newest first) order. */
export interface NotificationCursor {
  unread: boolean;
  id: number;
}

/**
 * Unread first, then newest first (`newestFirst` ignores read state: the bell's latest few);
 * `unreadOnly` for the 未读 tab. Pages on a cursor, not an offset, so new arrivals do not shift pages.
 */
export function listNotifications(
  db: DbOrTx,
  userId: number,
  options: { unreadOnly: boolean; newestFirst?: boolean; limit: number; after?: NotificationCursor },
): Promise<NotificationListRow[]> {
  const unread = sql<number>`(n.read_at IS NULL)`;
  let query = db
    .selectFrom("notifications as n")
    .leftJoin("users as a", "a.id", "n.actor_id")
    .selectAll("n")
    .select("a.name as actor_name")
    .where("n.user_id", "=", userId);
  if (options.unreadOnly) query = query.where("n.read_at", "is", null);
  const after = options.after;
  if (options.newestFirst) {
    if (after) query = query.where("n.id", "<", after.id);
    return query.orderBy("n.id", "desc").limit(options.limit).execute();
  }
  if (after) {
    const flag = Number(after.unread);
    query = query.where(sql<boolean>`(${unread} < ${flag} OR (${unread} = ${flag} AND n.id < ${after.id}))`);
  }
  return query.orderBy(unread, "desc").orderBy("n.id", "desc").limit(options.limit).execute();
}

export function findNotification(db: DbOrTx, userId: number, id: number): Promise<Notification | undefined> {
  return db.selectFrom("notifications").selectAll().where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
}

export async function markNotificationRead(db: DbOrTx, userId: number, id: number, at: number): Promise<void> {
  await db.updateTable("notifications").set({ read_at: at }).where("id", "=", id).where("user_id", "=", userId).where("read_at", "is", null).execute();
}

/** Marks read only what existed when the member looked (`upToId`), so a notification arriving meanwhile stays unread. */
export async function markAllNotificationsRead(db: DbOrTx, userId: number, upToId: number, at: number): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: at })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .where("id", "<=", upToId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Who among `userIds` is active, with their membership of the plan (for the plan:read policy). */
export function recipientCandidates(db: DbOrTx, planId: string | null, userIds: readonly number[]) {
  return db
    .selectFrom("users as u")
    .leftJoin("plan_members as m", (join) => join.onRef("m.user_id", "=", "u.id").on("m.plan_id", "=", planId ?? ""))
    .select(["u.id", "u.role", "u.title", "m.access"])
    .where("u.id", "in", userIds)
    .where("u.active", "=", 1)
    .execute();
}

export function findPlanMember(db: DbOrTx, planId: string, userId: number) {
  return db.selectFrom("plan_members").select(["access", "added_at"]).where("plan_id", "=", planId).where("user_id", "=", userId).executeTakeFirst();
}

/** The reopening just recorded for a plan (its id is the reopened notification's dedupe key). */
export async function latestReopeningId(db: DbOrTx, planId: string): Promise<number | null> {
  const row = await db.selectFrom("budget_reopenings").select("id").where("plan_id", "=", planId).orderBy("id", "desc").limit(1).executeTakeFirst();
  return row?.id ?? null;
}
