import { idempotencyKey, parseKinds } from "~/domain/outbound/channel";
import { renderNotification } from "~/domain/outbound/message";
import type { Notification } from "../../../db/schema";
import { enabledChannelsFor, insertOutboxRows, userNames, type NewOutboxRow } from "../../../db/queries/outbound";
import type { DbOrTx } from "../../../db/queries/users";

/**
 * Queues the outbound messages of notifications just inserted, inside the caller's
 * transaction: a rolled-back event sends nothing, a committed one is sent by the outbox
 * worker (server/outbound/outbox-worker.ts), never on the request's path.
 *
 * A workspace channel gets one message per event (its recipients named together), a
 * member's own channel one per notification of theirs; each only for the kinds it chose.
 * Unique idempotency keys make a retried event queue nothing twice.
 */
export async function enqueueOutbound(trx: DbOrTx, rows: readonly Notification[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const userIds = [...new Set(rows.map((r) => r.user_id))];
  const channels = await enabledChannelsFor(trx, userIds);
  if (channels.length === 0) return [];

  const queued: NewOutboxRow[] = [];
  const workspace = channels.filter((c) => c.owner_user_id === null);
  if (workspace.length > 0) {
    const names = await userNames(trx, userIds);
    const events = new Map<string, Notification[]>();
    for (const row of rows) events.set(row.dedupe_key, [...(events.get(row.dedupe_key) ?? []), row]);
    for (const [dedupeKey, eventRows] of events) {
      const first = eventRows[0]!;
      const message = renderNotification(first, { kind: "workspace", names: eventRows.map((r) => names.get(r.user_id) ?? "").filter(Boolean) });
      if (message === null) continue;
      for (const channel of workspace) {
        if (!parseKinds(channel.kinds).includes(first.kind)) continue;
        queued.push({
          idempotency_key: idempotencyKey.workspace(channel.id, dedupeKey),
          channel_id: channel.id,
          notification_id: first.id,
          message: JSON.stringify(message),
          next_attempt_at: first.created_at,
          created_at: first.created_at,
        });
      }
    }
  }
  for (const row of rows) {
    const own = channels.filter((c) => c.owner_user_id === row.user_id && parseKinds(c.kinds).includes(row.kind));
    if (own.length === 0) continue;
    const message = renderNotification(row, { kind: "member" });
    if (message === null) continue;
    for (const channel of own) {
      queued.push({
        idempotency_key: idempotencyKey.member(channel.id, row.id),
        channel_id: channel.id,
        notification_id: row.id,
        message: JSON.stringify(message),
        next_attempt_at: row.created_at,
        created_at: row.created_at,
      });
    }
  }
  return insertOutboxRows(trx, queued);
}
