import type { VersionKind } from "~/domain/plan-history/summary";
import type { PlanVersionsTable } from "../schema";
import type { Selectable } from "kysely";
import type { DbOrTx } from "./users";

/** A version as listed: everything but the stored document. */
export type VersionRow = Omit<Selectable<PlanVersionsTable>, "state">;

const LISTED = ["id", "plan_id", "kind", "name", "state_vector", "state_bytes", "authors", "summary", "created_by", "restored_from", "created_at"] as const;

export async function insertVersion(
  db: DbOrTx,
  version: {
    planId: string;
    kind: VersionKind;
    name: string | null;
    state: Uint8Array;
    stateVector: Uint8Array;
    stateBytes: number;
    authors: readonly number[];
    summary: unknown;
    createdBy: number | null;
    restoredFrom: number | null;
    at: number;
  },
): Promise<VersionRow> {
  return db
    .insertInto("plan_versions")
    .values({
      plan_id: version.planId,
      kind: version.kind,
      name: version.name,
      state: version.state,
      state_vector: version.stateVector,
      state_bytes: version.stateBytes,
      authors: JSON.stringify(version.authors),
      summary: JSON.stringify(version.summary),
      created_by: version.createdBy,
      restored_from: version.restoredFrom,
      created_at: version.at,
    })
    .returning(LISTED)
    .executeTakeFirstOrThrow();
}

/** Newest first. */
export function listVersionRows(db: DbOrTx, planId: string): Promise<VersionRow[]> {
  return db.selectFrom("plan_versions").select(LISTED).where("plan_id", "=", planId).orderBy("id", "desc").execute();
}

export function findVersion(db: DbOrTx, planId: string, id: number): Promise<Selectable<PlanVersionsTable> | undefined> {
  return db.selectFrom("plan_versions").selectAll().where("plan_id", "=", planId).where("id", "=", id).executeTakeFirst();
}

export function findLatestVersion(db: DbOrTx, planId: string): Promise<Selectable<PlanVersionsTable> | undefined> {
  return db.selectFrom("plan_versions").selectAll().where("plan_id", "=", planId).orderBy("id", "desc").limit(1).executeTakeFirst();
}

/** What the scheduler needs of the last version: whether the document moved on since, and when. */
export function findLatestVersionMark(db: DbOrTx, planId: string): Promise<{ state_vector: Uint8Array; created_at: number } | undefined> {
  return db.selectFrom("plan_versions").select(["state_vector", "created_at"]).where("plan_id", "=", planId).orderBy("id", "desc").limit(1).executeTakeFirst();
}

export function listVersionAges(db: DbOrTx, planId: string): Promise<{ id: number; kind: VersionKind; created_at: number }[]> {
  return db.selectFrom("plan_versions").select(["id", "kind", "created_at"]).where("plan_id", "=", planId).execute();
}

/** Thinning: the trigger refuses any version that is not automatic. */
export async function deleteAutoVersions(db: DbOrTx, planId: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom("plan_versions").where("plan_id", "=", planId).where("kind", "=", "auto").where("id", "in", ids).execute();
}

/** Members whose updates are still in the log since `since` (the log is compacted now and then, so this is a floor). */
export async function loggedAuthorsSince(db: DbOrTx, planId: string, since: number): Promise<number[]> {
  const rows = await db
    .selectFrom("doc_updates")
    .select("user_id")
    .distinct()
    .where("plan_id", "=", planId)
    .where("created_at", ">", since)
    .where("user_id", "is not", null)
    .execute();
  return rows.flatMap((row) => (row.user_id === null ? [] : [row.user_id]));
}

export function namesOf(db: DbOrTx, ids: readonly number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("users").select(["id", "name"]).where("id", "in", [...ids]).execute();
}
