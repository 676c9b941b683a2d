import { sql, type Kysely } from "kysely";

/**
 * The append-only tables refuse UPDATE and DELETE by trigger, but `INSERT OR REPLACE` (or
 * `REPLACE INTO`) deletes the row it conflicts with without firing DELETE triggers (SQLite
 * fires them only with recursive_triggers on), so it could rewrite an audit entry or an
 * approved snapshot. An insert that would collide with an existing row on any unique key is
 * refused before the conflict is resolved, whatever the statement's OR clause says: a real
 * insert never collides, so nothing legitimate is lost. UPSERT's DO UPDATE is refused here
 * too, before the UPDATE triggers would have been asked.
 */
const GUARDS: ReadonlyArray<{ table: string; keys: readonly (readonly string[])[]; message: string }> = [
  { table: "audit_log", keys: [["id"]], message: "audit_log is append-only" },
  { table: "budget_revisions", keys: [["id"], ["plan_id", "number"]], message: "budget revisions are never replaced" },
  { table: "revision_lines", keys: [["revision_id", "line_id"], ["revision_id", "position"]], message: "a budget revision''s snapshot cannot be changed" },
  { table: "revision_categories", keys: [["revision_id", "position"]], message: "a budget revision''s snapshot cannot be changed" },
  { table: "approval_steps", keys: [["revision_id", "step_index"]], message: "approval steps are never replaced" },
  { table: "budget_reopenings", keys: [["id"]], message: "a reopening cannot be changed" },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { table, keys, message } of GUARDS) {
    const collides = keys.map((columns) => `EXISTS (SELECT 1 FROM ${table} WHERE ${columns.map((c) => `${c} = NEW.${c}`).join(" AND ")})`).join(" OR ");
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_replace`)} BEFORE INSERT ON ${sql.raw(table)} WHEN ${sql.raw(collides)}
      BEGIN SELECT RAISE(ABORT, ${sql.raw(`'${message}'`)}); END`.execute(db);
  }
}
