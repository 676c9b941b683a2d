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

/** Appends updates in order; returns the id of the last one. */
export async function appendUpdates(
  db: DbOrTx,
  planId: string,
  updates: readonly { data: Uint8Array; userId: number | null }[],
  now: number,
): Promise<number> {
  let last = 0;
  for (const update of updates) {
    const row = await db
      .insertInto("doc_updates")
      .values({ plan_id: planId, data: update.data, user_id: update.userId, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    last = row.id;
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
