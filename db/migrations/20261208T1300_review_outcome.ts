import { sql, type Kysely } from "kysely";

/**
 * 驳回 vs 退回修改 (issue 17): how the plan's last review ended, when it ended without approval,
 * and which revision that was. Both are set by the closing decision and cleared by the next
 * submission, so a plan back in draft says why it is there. Added columns rather than a
 * rebuilt table: plans is referenced by every other table, and a rebuild would have to
 * recreate all of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE plans ADD COLUMN review_outcome TEXT CHECK (review_outcome IN ('rejected', 'changesRequested'))`.execute(db);
  // Outcome and revision come and go together.
  await sql`ALTER TABLE plans ADD COLUMN review_outcome_revision_id INTEGER REFERENCES budget_revisions(id)
    CHECK ((review_outcome IS NULL) = (review_outcome_revision_id IS NULL))`.execute(db);
  await sql`CREATE INDEX plans_review_outcome ON plans(review_outcome) WHERE review_outcome IS NOT NULL`.execute(db);
}
