import { sql, type Kysely } from "kysely";

/**
 * Notification kind `accessRequested` (issue 18): a member who opened a link to a plan they
 * may not read asks its owner to add them. SQLite cannot change a CHECK in place, so the
 * notifications table is rebuilt with the same columns, rows, indexes and triggers. The outbox
 * refers to notifications by id; the foreign keys are checked at commit, when every id it
 * points at exists again in the rebuilt table.
 */
const KINDS = "'approvalTurn','approved','returned','rejected','reopened','mentioned','replied','addedToPlan','approvalOverdue','delegated','accessRequested'";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
  await sql`CREATE TABLE notifications_next (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN (${sql.raw(KINDS)})),
    plan_id TEXT REFERENCES plans(id),
    actor_id INTEGER REFERENCES users(id),
    payload TEXT NOT NULL CHECK (json_valid(payload) AND length(payload) <= 8000),
    dedupe_key TEXT NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (user_id, dedupe_key)
  ) STRICT`.execute(db);
  await sql`INSERT INTO notifications_next (id, user_id, kind, plan_id, actor_id, payload, dedupe_key, created_at, read_at)
    SELECT id, user_id, kind, plan_id, actor_id, payload, dedupe_key, created_at, read_at FROM notifications`.execute(db);
  // Dropping a table fires no DELETE trigger; the no-delete guard goes with it and is recreated below.
  await sql`DROP TABLE notifications`.execute(db);
  await sql`ALTER TABLE notifications_next RENAME TO notifications`.execute(db);
  await sql`CREATE INDEX notifications_unread ON notifications(user_id, read_at)`.execute(db);
  await sql`CREATE INDEX notifications_recent ON notifications(user_id, id)`.execute(db);
  await sql`CREATE TRIGGER notifications_read_only BEFORE UPDATE ON notifications
    WHEN NEW.id IS NOT OLD.id OR NEW.user_id IS NOT OLD.user_id OR NEW.kind IS NOT OLD.kind OR NEW.plan_id IS NOT OLD.plan_id
      OR NEW.actor_id IS NOT OLD.actor_id OR NEW.payload IS NOT OLD.payload OR NEW.dedupe_key IS NOT OLD.dedupe_key
      OR NEW.created_at IS NOT OLD.created_at OR (OLD.read_at IS NOT NULL AND NEW.read_at IS NOT OLD.read_at)
    BEGIN SELECT RAISE(ABORT, 'only a notification''s read mark changes, once'); END`.execute(db);
  await sql`CREATE TRIGGER notifications_no_delete BEFORE DELETE ON notifications
    BEGIN SELECT RAISE(ABORT, 'notifications are kept'); END`.execute(db);
}
