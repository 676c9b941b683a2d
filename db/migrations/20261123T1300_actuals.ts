import { sql, type Kysely } from "kysely";

/**
 * Actual spend and KPI results: relational facts finance records after the fact, never
 * part of the plan document. Entries point at a budget line by its document id (the
 * projection's rows are rewritten on every change, so no foreign key to them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE actual_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    line_id TEXT NOT NULL,
    spent_on TEXT NOT NULL CHECK (spent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0 AND amount_fen <= 1000000000000),
    vendor TEXT NOT NULL DEFAULT '',
    invoice_no TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('manual','import')),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER
  ) STRICT`.execute(db);
  await sql`CREATE INDEX actual_entries_plan_line ON actual_entries(plan_id, line_id)`.execute(db);
  // Imports are idempotent by invoice number: the same invoice for the same line is one entry.
  await sql`CREATE UNIQUE INDEX actual_entries_invoice ON actual_entries(plan_id, line_id, invoice_no) WHERE invoice_no <> ''`.execute(db);

  await sql`CREATE TABLE kpi_results (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    kpi_id TEXT NOT NULL,
    actual TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (plan_id, kpi_id)
  ) STRICT`.execute(db);
}
