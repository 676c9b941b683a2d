import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    campaign_type TEXT NOT NULL CHECK (campaign_type IN ('holiday','double11','opening','membership','bankVip')),
    store TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','inReview','approved','running','finished','archived')),
    budget_locked INTEGER NOT NULL DEFAULT 0 CHECK (budget_locked IN (0,1)),
    template_id TEXT,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (start_date <= end_date)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX plans_owner ON plans(owner_id)`.execute(db);
  await sql`CREATE INDEX plans_status_start ON plans(status, start_date)`.execute(db);

  await sql`CREATE TABLE plan_members (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    access TEXT NOT NULL CHECK (access IN ('edit','view')),
    added_by INTEGER REFERENCES users(id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (plan_id, user_id)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX plan_members_user ON plan_members(user_id)`.execute(db);

  // The Yjs document: a snapshot plus the updates appended after it, in order. AUTOINCREMENT:
  // ids must never be reused after compaction deletes the log, or new updates would sort
  // below the snapshot's last_update_id and be skipped on load.
  await sql`CREATE TABLE doc_snapshots (
    plan_id TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    state BLOB NOT NULL,
    last_update_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE TABLE doc_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    user_id INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX doc_updates_plan ON doc_updates(plan_id, id)`.execute(db);
}
