import { sql, type Kysely } from "kysely";

/**
 * Official days off and 调休 working days an admin entered for a year the holiday library
 * does not know yet. A year with any rows here takes its whole schedule from them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE official_days (
    date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
    year INTEGER NOT NULL CHECK (year = CAST(substr(date, 1, 4) AS INTEGER)),
    entered_by INTEGER NOT NULL REFERENCES users(id),
    entered_at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX official_days_year ON official_days(year)`.execute(db);
}
