import { sql, type Kysely } from "kysely";

/**
 * Every login attempt now prunes the failures that left the throttle window; an index on
 * the time keeps that a short range delete instead of a scan of the whole table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX login_failures_at ON login_failures(at)`.execute(db);
}
