import { sql, type Kysely } from "kysely";

/**
 * The approval center (app/domain/approval-sla.ts, app/services/approval-center.server.ts):
 * who a step was handed to (转交) and which overdue steps were already reminded.
 *
 * A delegation is evidence of who was allowed to decide: written once, while its step is
 * the undecided step of a pending revision, never changed or deleted. `seq` numbers a step's
 * delegations; its unique key makes two delegations raced from the same state record one.
 * A reminder row exists only so a step past due is reminded once, however many scheduler
 * ticks race for it: its primary key is the guard.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE approval_delegations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
    step_index INTEGER NOT NULL CHECK (step_index BETWEEN 0 AND 2),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    from_user_id INTEGER NOT NULL REFERENCES users(id),
    to_user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
    at INTEGER NOT NULL,
    UNIQUE (revision_id, step_index, seq),
    CHECK (from_user_id <> to_user_id)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX approval_delegations_to ON approval_delegations(to_user_id, revision_id)`.execute(db);

  await sql`CREATE TRIGGER approval_delegations_open_step BEFORE INSERT ON approval_delegations
    WHEN (SELECT status FROM budget_revisions WHERE id = NEW.revision_id) IS NOT 'pending'
      OR (SELECT decision FROM approval_steps WHERE revision_id = NEW.revision_id AND step_index = NEW.step_index) IS NOT NULL
      OR NOT EXISTS (SELECT 1 FROM approval_steps WHERE revision_id = NEW.revision_id AND step_index = NEW.step_index)
    BEGIN SELECT RAISE(ABORT, 'only an undecided step of a pending revision can be delegated'); END`.execute(db);
  await sql`CREATE TRIGGER approval_delegations_no_update BEFORE UPDATE ON approval_delegations
    BEGIN SELECT RAISE(ABORT, 'a delegation cannot be changed'); END`.execute(db);
  await sql`CREATE TRIGGER approval_delegations_no_delete BEFORE DELETE ON approval_delegations
    BEGIN SELECT RAISE(ABORT, 'a delegation cannot be changed'); END`.execute(db);

  await sql`CREATE TABLE approval_reminders (
    revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
    step_index INTEGER NOT NULL CHECK (step_index BETWEEN 0 AND 2),
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (revision_id, step_index)
  ) STRICT`.execute(db);
  // The center's tabs: revisions a member decided, and those they submitted.
  await sql`CREATE INDEX approval_steps_decided_by ON approval_steps(decided_by, revision_id) WHERE decided_by IS NOT NULL`.execute(db);
  await sql`CREATE INDEX budget_revisions_submitted_by ON budget_revisions(submitted_by, submitted_at)`.execute(db);
}
