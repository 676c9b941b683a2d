import { sql, type Kysely } from "kysely";

/**
 * The audit log is evidence: once written, an entry is never changed or removed, whoever
 * asks. The database refuses it itself, so no code path, script or future cascade can
 * quietly rewrite history. Also the indexes the admin viewer filters and pages by.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);

  // Newest first by (at, id): id is the rowid, which every SQLite index already carries.
  await sql`CREATE INDEX audit_log_at ON audit_log(at)`.execute(db);
  await sql`CREATE INDEX audit_log_actor_at ON audit_log(actor_id, at)`.execute(db);
}
