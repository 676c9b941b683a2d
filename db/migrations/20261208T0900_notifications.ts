import { sql, type Kysely } from "kysely";

/**
 * In-app notifications (issue 17): one row per recipient per event. The unique
 * (user_id, dedupe_key) is what makes a retried or raced event notify once; the service
 * inserts with ON CONFLICT DO NOTHING against it. A notification is a record of what the
 * member was told, so only its read mark ever changes, and rows are kept (no retention yet).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('approvalTurn','approved','returned','rejected','reopened','mentioned','replied','addedToPlan','approvalOverdue','delegated')),
    plan_id TEXT REFERENCES plans(id),
    actor_id INTEGER REFERENCES users(id),
    -- The event's fields as the producer saw them (titles, comments), JSON.
    payload TEXT NOT NULL CHECK (json_valid(payload) AND length(payload) <= 8000),
    dedupe_key TEXT NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (user_id, dedupe_key)
  ) STRICT`.execute(db);
  // The bell's unread count on every page load.
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
