import { chunkRowsForInsert, MAX_BOUND_PARAMETERS } from "../chunked";
import type { DbOrTx } from "./users";

export interface StoredDocument {
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, oldest first. */
  updates: { id: number; data: Uint8Array }[];
  lastUpdateId: number;
}

export async function loadStoredDocument(db: DbOrTx, planId: string): Promise<StoredDocument> {
  const snapshot = await db.selectFrom("doc_snapshots").select(["state", "last_update_id"]).where("plan_id", "=", planId).executeTakeFirst();
  const after = snapshot?.last_update_id ?? 0;
  const updates = await db
    .selectFrom("doc_updates")
    .select(["id", "data"])
    .where("plan_id", "=", planId)
    .where("id", ">", after)
    .orderBy("id")
    .execute();
  return { snapshot: snapshot?.state ?? null, updates, lastUpdateId: updates.at(-1)?.id ?? after };
}

const COLUMNS_PER_UPDATE = 4;

/** Updates one INSERT can take within MAX_BOUND_PARAMETERS. */
export const UPDATES_PER_STATEMENT = Math.floor(MAX_BOUND_PARAMETERS / COLUMNS_PER_UPDATE);

/**
 * Appends updates of any number of plans in order, one statement per UPDATES_PER_STATEMENT
 * (atomic on its own; more need the caller's transaction); returns the id of each plan's
 * last stored update.
 */
export async function appendUpdates(
  db: DbOrTx,
  updates: readonly { planId: string; data: Uint8Array; userId: number | null }[],
  now: number,
): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  const values = updates.map((update) => ({ plan_id: update.planId, data: update.data, user_id: update.userId, created_at: now }));
  for (const chunk of chunkRowsForInsert(values, COLUMNS_PER_UPDATE)) {
    const rows = await db
      .insertInto("doc_updates")
      .values(chunk)
      .returning(["id", "plan_id"])
      .execute();
    // RETURNING lists rows in no promised order; ids grow with insertion order.
    for (const row of rows) last.set(row.plan_id, Math.max(last.get(row.plan_id) ?? 0, row.id));
  }
  return last;
}

/** Replaces the snapshot with `state`, which includes every update up to `lastUpdateId`. */
export async function writeSnapshot(db: DbOrTx, planId: string, state: Uint8Array, lastUpdateId: number, now: number): Promise<void> {
  await db
    .insertInto("doc_snapshots")
    .values({ plan_id: planId, state, last_update_id: lastUpdateId, created_at: now })
    .onConflict((oc) => oc.column("plan_id").doUpdateSet({ state, last_update_id: lastUpdateId, created_at: now }))
    .execute();
  await db.deleteFrom("doc_updates").where("plan_id", "=", planId).where("id", "<=", lastUpdateId).execute();
}
