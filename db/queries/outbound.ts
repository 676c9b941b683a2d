import { sql } from "kysely";
import type { ChannelKind } from "~/domain/outbound/channel";
import type { NotificationChannel, OutboxRow } from "../schema";
import type { DbOrTx } from "./users";

export async function enabledChannelsFor(db: DbOrTx, userIds: readonly number[]): Promise<NotificationChannel[]> {
  return db
    .selectFrom("notification_channels")
    .selectAll()
    .where("enabled", "=", 1)
    .where((eb) => (userIds.length === 0 ? eb("owner_user_id", "is", null) : eb.or([eb("owner_user_id", "is", null), eb("owner_user_id", "in", userIds)])))
    .execute();
}

export async function userNames(db: DbOrTx, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface NewOutboxRow {
  idempotency_key: string;
  channel_id: number;
  notification_id: number | null;
  message: string;
  next_attempt_at: number;
  created_at: number;
}

/** Inserts the rows not yet queued (by idempotency key); returns the ids of those inserted. */
export async function insertOutboxRows(db: DbOrTx, rows: readonly NewOutboxRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto("outbox")
    .values(rows.map((r) => ({ ...r, status: "pending" as const })))
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .execute();
  return inserted.map((r) => r.id);
}

export async function channelById(db: DbOrTx, id: number): Promise<NotificationChannel | undefined> {
  return db.selectFrom("notification_channels").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function workspaceChannels(db: DbOrTx): Promise<NotificationChannel[]> {
  return db.selectFrom("notification_channels").selectAll().where("owner_user_id", "is", null).orderBy("id").execute();
}

export async function memberChannels(db: DbOrTx, userId: number): Promise<NotificationChannel[]> {
  return db.selectFrom("notification_channels").selectAll().where("owner_user_id", "=", userId).orderBy("id").execute();
}

/**
 * A workspace channel, unless the workspace already has `limit`: the count and the insert are
 * one statement, so parallel requests cannot slip past the limit together.
 */
export async function insertWorkspaceChannel(
  db: DbOrTx,
  values: { kind: ChannelKind; name: string; target: string; secret: string | null; kinds: string; enabled: number; created_by: number; at: number },
  limit: number,
): Promise<number | null> {
  const result = await sql<{ id: number }>`INSERT INTO notification_channels (owner_user_id, kind, name, target, secret, kinds, enabled, created_by, created_at, updated_at)
    SELECT NULL, ${values.kind}, ${values.name}, ${values.target}, ${values.secret}, ${values.kinds}, ${values.enabled}, ${values.created_by}, ${values.at}, ${values.at}
    WHERE (SELECT count(*) FROM notification_channels WHERE owner_user_id IS NULL) < ${limit}
    RETURNING id`.execute(db);
  return result.rows[0]?.id ?? null;
}

export async function updateChannel(
  db: DbOrTx,
  id: number,
  ownerUserId: number | null,
  values: { kind?: ChannelKind; name?: string; target?: string; secret?: string | null; kinds?: string; enabled?: number; at: number },
): Promise<boolean> {
  const { at, ...rest } = values;
  const result = await db
    .updateTable("notification_channels")
    .set({ ...rest, updated_at: at })
    .where("id", "=", id)
    .where((eb) => (ownerUserId === null ? eb("owner_user_id", "is", null) : eb("owner_user_id", "=", ownerUserId)))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteChannel(db: DbOrTx, id: number, ownerUserId: number | null): Promise<boolean> {
  const result = await db
    .deleteFrom("notification_channels")
    .where("id", "=", id)
    .where((eb) => (ownerUserId === null ? eb("owner_user_id", "is", null) : eb("owner_user_id", "=", ownerUserId)))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A member's own channel of one sort (their email, or their robot), created or replaced in one statement. */
export async function upsertMemberChannel(
  db: DbOrTx,
  userId: number,
  slot: "email" | "robot",
  values: { kind: ChannelKind; name: string; target: string; secret: string | null; kinds: string; enabled: number; at: number },
): Promise<void> {
  // The conflict target repeats the partial unique index's condition, as SQLite requires.
  const slotCondition = slot === "email" ? sql`owner_user_id IS NOT NULL AND kind = 'email'` : sql`owner_user_id IS NOT NULL AND kind <> 'email'`;
  await sql`INSERT INTO notification_channels (owner_user_id, kind, name, target, secret, kinds, enabled, created_by, created_at, updated_at)
    VALUES (${userId}, ${values.kind}, ${values.name}, ${values.target}, ${values.secret}, ${values.kinds}, ${values.enabled}, ${userId}, ${values.at}, ${values.at})
    ON CONFLICT (owner_user_id) WHERE ${slotCondition}
    DO UPDATE SET kind = excluded.kind, name = excluded.name, target = excluded.target, secret = excluded.secret,
      kinds = excluded.kinds, enabled = excluded.enabled, updated_at = excluded.updated_at`.execute(db);
}

export async function deleteMemberChannel(db: DbOrTx, userId: number, slot: "email" | "robot"): Promise<void> {
  await db
    .deleteFrom("notification_channels")
    .where("owner_user_id", "=", userId)
    .where("kind", slot === "email" ? "=" : "<>", "email")
    .execute();
}

/** At start-up: the previous process's leases are void, since one process owns the database. */
export async function releaseOutboxLeases(db: DbOrTx): Promise<number> {
  const result = await db.updateTable("outbox").set({ claimed_until: null }).where("status", "=", "pending").where("claimed_until", "is not", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Claims due rows with a lease in one statement, counting the attempt now so a crash mid-send still counts it. */
export async function claimDueOutbox(db: DbOrTx, now: number, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const result = await sql<OutboxRow>`UPDATE outbox SET claimed_until = ${now + leaseMs}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox
      WHERE status = 'pending' AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
      ORDER BY next_attempt_at, id LIMIT ${limit}
    )
    RETURNING *`.execute(db);
  return result.rows;
}

export async function markOutboxSent(db: DbOrTx, id: number, now: number): Promise<void> {
  await db.updateTable("outbox").set({ status: "sent", sent_at: now, claimed_until: null, last_error: null }).where("id", "=", id).where("status", "=", "pending").execute();
}

/** A failed try: again at `nextAt`, or failed for good when null. */
export async function markOutboxFailedAttempt(db: DbOrTx, id: number, error: string, nextAt: number | null): Promise<void> {
  await db
    .updateTable("outbox")
    .set(nextAt === null ? { status: "failed", claimed_until: null, last_error: error } : { next_attempt_at: nextAt, claimed_until: null, last_error: error })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

/** 立即重试: a failed row (or every failed row of the workspace) goes back to the queue with a fresh count. */
export async function retryFailedOutbox(db: DbOrTx, now: number, id?: number): Promise<number> {
  let query = db.updateTable("outbox").set({ status: "pending", attempts: 0, next_attempt_at: now, claimed_until: null }).where("status", "=", "failed");
  if (id !== undefined) query = query.where("id", "=", id);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function outboxRow(db: DbOrTx, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function outboxCounts(db: DbOrTx): Promise<{ pending: number; failed: number; sent: number }> {
  const rows = await db.selectFrom("outbox").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
  const counts = { pending: 0, failed: 0, sent: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The latest rows that went wrong (failed for good, or pending after an error), for the admin page. */
export async function recentOutboxProblems(db: DbOrTx, limit: number) {
  return db
    .selectFrom("outbox")
    .innerJoin("notification_channels", "notification_channels.id", "outbox.channel_id")
    .select(["outbox.id", "outbox.status", "outbox.attempts", "outbox.last_error", "outbox.next_attempt_at", "outbox.created_at", "outbox.message", "notification_channels.name as channel_name", "notification_channels.kind as channel_kind", "notification_channels.owner_user_id"])
    .where("outbox.last_error", "is not", null)
    .where("outbox.status", "<>", "sent")
    .orderBy("outbox.id", "desc")
    .limit(limit)
    .execute();
}

/** The newest test message of each channel, for 发送测试消息's result. */
export async function latestTests(db: DbOrTx, channelIds: readonly number[]): Promise<OutboxRow[]> {
  if (channelIds.length === 0) return [];
  return db
    .selectFrom("outbox")
    .selectAll()
    .where("notification_id", "is", null)
    .where("channel_id", "in", channelIds)
    .where("id", "in", (eb) => eb.selectFrom("outbox as o").select((o) => o.fn.max("o.id").as("id")).where("o.notification_id", "is", null).groupBy("o.channel_id"))
    .execute();
}
