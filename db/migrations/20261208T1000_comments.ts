import { sql, type Kysely } from "kysely";

/**
 * Comment threads on a plan (issue 17): anchored to a text range (Yjs relative positions,
 * kept here and never in the document, so viewers comment without writing it), a budget
 * line, a timeline task, a KPI, or a line of an approval diff. A deleted comment keeps its
 * row, body emptied, so a thread's replies still read in order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE plans ADD COLUMN viewers_may_comment INTEGER NOT NULL DEFAULT 1 CHECK (viewers_may_comment IN (0,1))`.execute(db);

  await sql`CREATE TABLE comment_threads (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    anchor_kind TEXT NOT NULL CHECK (anchor_kind IN ('text','budgetLine','timelineItem','kpi','diffLine')),
    anchor TEXT NOT NULL CHECK (json_valid(anchor) AND json_extract(anchor, '$.kind') = anchor_kind),
    quote TEXT NOT NULL CHECK (length(quote) <= 200),
    status TEXT NOT NULL CHECK (status IN ('open','resolved')),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    resolved_by INTEGER REFERENCES users(id),
    resolved_at INTEGER,
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL) AND (resolved_at IS NULL) = (resolved_by IS NULL))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX comment_threads_plan ON comment_threads(plan_id, created_at)`.execute(db);

  await sql`CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    deleted_at INTEGER,
    CHECK (CASE WHEN deleted_at IS NULL THEN length(body) BETWEEN 1 AND 2000 ELSE body = '' END)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX comments_thread ON comments(thread_id, created_at)`.execute(db);
  // The flood limit counts a member's comments of the last minute, across plans.
  await sql`CREATE INDEX comments_author_recent ON comments(author_id, created_at)`.execute(db);
}
