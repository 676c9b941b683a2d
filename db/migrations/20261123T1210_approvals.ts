import { sql, type Kysely } from "kysely";

/**
 * Budget approval (app/domain/approval.ts): a submission is a revision with its own copy of
 * every line and category subtotal, and three steps (审核 → 核准 → 审批) decided in order.
 *
 * A revision is evidence. The database itself keeps it so: its lines and subtotals are
 * written once, while it is pending, and never changed; once it leaves `pending` (approved,
 * rejected, changes requested, withdrawn) neither it nor its steps change again, and none
 * of it is ever deleted. Revisions reference their plan without a cascade: plans are
 * archived, not deleted, and a plan with an approval history must not vanish with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE budget_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','changesRequested','withdrawn')),
    submitted_by INTEGER NOT NULL REFERENCES users(id),
    submitted_at INTEGER NOT NULL,
    -- The chosen chain and every candidate judged (the "why"), as JSON.
    chain TEXT NOT NULL CHECK (json_valid(chain)),
    spend_fen INTEGER NOT NULL CHECK (spend_fen >= 0),
    income_fen INTEGER NOT NULL CHECK (income_fen >= 0),
    net_fen INTEGER NOT NULL,
    -- sha256 of canonicalSnapshot(), hex.
    content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
    closed_at INTEGER,
    UNIQUE (plan_id, number),
    CHECK ((status = 'pending') = (closed_at IS NULL))
  ) STRICT`.execute(db);
  // At most one revision under review per plan, whatever races the application loses.
  await sql`CREATE UNIQUE INDEX budget_revisions_one_pending ON budget_revisions(plan_id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX budget_revisions_status ON budget_revisions(status, submitted_at)`.execute(db);

  await sql`CREATE TABLE revision_lines (
    revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
    line_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    category TEXT NOT NULL,
    item TEXT NOT NULL,
    quantity_hundredths INTEGER NOT NULL CHECK (quantity_hundredths >= 0),
    unit TEXT NOT NULL,
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    income INTEGER NOT NULL CHECK (income IN (0,1)),
    owner TEXT NOT NULL,
    quarter TEXT NOT NULL CHECK (quarter IN ('','Q1','Q2','Q3','Q4')),
    note TEXT NOT NULL,
    PRIMARY KEY (revision_id, line_id),
    UNIQUE (revision_id, position)
  ) STRICT`.execute(db);

  await sql`CREATE TABLE revision_categories (
    revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
    position INTEGER NOT NULL CHECK (position >= 0),
    category TEXT NOT NULL,
    spend_fen INTEGER NOT NULL,
    income_fen INTEGER NOT NULL,
    net_fen INTEGER NOT NULL,
    PRIMARY KEY (revision_id, position)
  ) STRICT`.execute(db);

  await sql`CREATE TABLE approval_steps (
    revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
    step_index INTEGER NOT NULL CHECK (step_index BETWEEN 0 AND 2),
    kind TEXT NOT NULL CHECK (kind IN ('review','endorse','approve')),
    title TEXT NOT NULL CHECK (title IN ('finance','deputyGm','gm','chairman')),
    decision TEXT CHECK (decision IN ('approve','reject','requestChanges')),
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (revision_id, step_index),
    CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX approval_steps_title ON approval_steps(title, decision)`.execute(db);

  // Reopening an approved budget leaves the approved revision untouched: the reason is its own fact.
  await sql`CREATE TABLE budget_reopenings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    reopened_by INTEGER NOT NULL REFERENCES users(id),
    reopened_at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX budget_reopenings_plan ON budget_reopenings(plan_id, reopened_at)`.execute(db);

  const closed = (revisionId: string) => sql.raw(`(SELECT status FROM budget_revisions WHERE id = ${revisionId}) IS NOT 'pending'`);

  await sql`CREATE TRIGGER budget_revisions_final BEFORE UPDATE ON budget_revisions WHEN OLD.status <> 'pending'
    BEGIN SELECT RAISE(ABORT, 'a decided budget revision cannot be changed'); END`.execute(db);
  await sql`CREATE TRIGGER budget_revisions_fixed BEFORE UPDATE ON budget_revisions
    WHEN NEW.id IS NOT OLD.id OR NEW.plan_id IS NOT OLD.plan_id OR NEW.number IS NOT OLD.number OR NEW.submitted_by IS NOT OLD.submitted_by
      OR NEW.submitted_at IS NOT OLD.submitted_at OR NEW.chain IS NOT OLD.chain OR NEW.spend_fen IS NOT OLD.spend_fen
      OR NEW.income_fen IS NOT OLD.income_fen OR NEW.net_fen IS NOT OLD.net_fen OR NEW.content_hash IS NOT OLD.content_hash
    BEGIN SELECT RAISE(ABORT, 'a budget revision''s snapshot cannot be changed'); END`.execute(db);
  await sql`CREATE TRIGGER budget_revisions_no_delete BEFORE DELETE ON budget_revisions
    BEGIN SELECT RAISE(ABORT, 'budget revisions are never deleted'); END`.execute(db);

  for (const table of ["revision_lines", "revision_categories"]) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_update`)} BEFORE UPDATE ON ${sql.raw(table)}
      BEGIN SELECT RAISE(ABORT, 'a budget revision''s snapshot cannot be changed'); END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.raw(table)}
      BEGIN SELECT RAISE(ABORT, 'a budget revision''s snapshot cannot be changed'); END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_pending_only`)} BEFORE INSERT ON ${sql.raw(table)} WHEN ${closed("NEW.revision_id")}
      BEGIN SELECT RAISE(ABORT, 'a decided budget revision cannot be changed'); END`.execute(db);
  }

  await sql`CREATE TRIGGER approval_steps_pending_only BEFORE INSERT ON approval_steps WHEN ${closed("NEW.revision_id")}
    BEGIN SELECT RAISE(ABORT, 'a decided budget revision cannot be changed'); END`.execute(db);
  // A step is decided once, while its revision is pending; what it asks for never changes.
  await sql`CREATE TRIGGER approval_steps_decide_once BEFORE UPDATE ON approval_steps
    WHEN OLD.decision IS NOT NULL OR ${closed("OLD.revision_id")} OR NEW.revision_id IS NOT OLD.revision_id
      OR NEW.step_index IS NOT OLD.step_index OR NEW.kind IS NOT OLD.kind OR NEW.title IS NOT OLD.title
    BEGIN SELECT RAISE(ABORT, 'a decided approval step cannot be changed'); END`.execute(db);
  await sql`CREATE TRIGGER approval_steps_no_delete BEFORE DELETE ON approval_steps
    BEGIN SELECT RAISE(ABORT, 'approval steps are never deleted'); END`.execute(db);
  await sql`CREATE TRIGGER budget_reopenings_final BEFORE UPDATE ON budget_reopenings
    BEGIN SELECT RAISE(ABORT, 'a reopening cannot be changed'); END`.execute(db);
  await sql`CREATE TRIGGER budget_reopenings_no_delete BEFORE DELETE ON budget_reopenings
    BEGIN SELECT RAISE(ABORT, 'a reopening cannot be changed'); END`.execute(db);
}
