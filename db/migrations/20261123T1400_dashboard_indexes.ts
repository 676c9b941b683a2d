import { sql, type Kysely } from "kysely";

/**
 * The dashboard (概览) reads the projection over a period: plans by date (the portfolio's
 * (start date, id) page order and the 30-day list), and each plan's last approved revision.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX plans_start_id ON plans(start_date, id)`.execute(db);
  await sql`CREATE INDEX budget_revisions_plan_status ON budget_revisions(plan_id, status, number)`.execute(db);
}
