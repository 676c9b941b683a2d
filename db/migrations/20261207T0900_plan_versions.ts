import { sql, type Kysely } from "kysely";

/**
 * Version history of a plan (issue 16): the document state at each version point,
 * deflate-compressed. A version is evidence like the audit log: never changed, and only an
 * automatic version may be deleted (by retention thinning; docs/decisions/0015).
 * `restored_from` is no foreign key because thinning may delete the automatic version a
 * restore came from; the restore itself stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE plan_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('auto', 'named', 'submitted', 'approved', 'reopened', 'restored')),
    name TEXT,
    state BLOB NOT NULL,
    state_vector BLOB NOT NULL,
    state_bytes INTEGER NOT NULL,
    authors TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    restored_from INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX plan_versions_plan ON plan_versions(plan_id, id)`.execute(db);
  await sql`CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
    BEGIN SELECT RAISE(ABORT, 'plan versions are immutable'); END`.execute(db);
  await sql`CREATE TRIGGER plan_versions_keep_kept BEFORE DELETE ON plan_versions WHEN OLD.kind <> 'auto'
    BEGIN SELECT RAISE(ABORT, 'only automatic versions are thinned'); END`.execute(db);
  await sql`CREATE TRIGGER plan_versions_no_replace BEFORE INSERT ON plan_versions WHEN EXISTS (SELECT 1 FROM plan_versions WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'plan versions are immutable'); END`.execute(db);
}
