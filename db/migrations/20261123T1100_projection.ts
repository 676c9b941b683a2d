import { sql, type Kysely } from "kysely";

/**
 * The projection of each plan document's structured blocks (app/domain/projection.ts):
 * derived rows, rewritten whole from the document, so every table is keyed by the row ids
 * the document gives and ordered by `position`. Member ids in the document are whatever a
 * client wrote, so they carry no foreign key: one stale id must not stop a plan projecting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE plans ADD COLUMN spend_fen INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE plans ADD COLUMN income_fen INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE plans ADD COLUMN net_fen INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE plans ADD COLUMN tbd_count INTEGER NOT NULL DEFAULT 0 CHECK (tbd_count >= 0)`.execute(db);
  await sql`ALTER TABLE plans ADD COLUMN budget_line_count INTEGER NOT NULL DEFAULT 0 CHECK (budget_line_count >= 0)`.execute(db);
  await sql`ALTER TABLE plans ADD COLUMN anchor_date TEXT NOT NULL DEFAULT ''`.execute(db);
  // NULL until the plan's document is first projected.
  await sql`ALTER TABLE plans ADD COLUMN projected_at INTEGER`.execute(db);

  await sql`CREATE TABLE budget_lines (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    line_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    category TEXT NOT NULL,
    item TEXT NOT NULL,
    quantity_hundredths INTEGER NOT NULL CHECK (quantity_hundredths >= 0),
    unit TEXT NOT NULL,
    unit_price_fen INTEGER CHECK (unit_price_fen >= 0),
    amount_fen INTEGER CHECK (amount_fen >= 0),
    income INTEGER NOT NULL CHECK (income IN (0,1)),
    owner TEXT NOT NULL,
    quarter TEXT NOT NULL CHECK (quarter IN ('','Q1','Q2','Q3','Q4')),
    note TEXT NOT NULL,
    PRIMARY KEY (plan_id, line_id),
    UNIQUE (plan_id, position),
    -- 待定 (no unit price) is exactly the lines without an amount.
    CHECK ((unit_price_fen IS NULL) = (amount_fen IS NULL))
  ) STRICT`.execute(db);

  await sql`CREATE TABLE timeline_items (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    phase TEXT NOT NULL CHECK (phase IN ('prep','warmup','live','followup','review')),
    phase_label TEXT NOT NULL,
    task TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_user_id INTEGER,
    status TEXT NOT NULL CHECK (status IN ('notStarted','inProgress','done','cancelled')),
    depends_on TEXT NOT NULL,
    PRIMARY KEY (plan_id, item_id),
    UNIQUE (plan_id, position),
    CHECK (start_date <= end_date)
  ) STRICT`.execute(db);

  await sql`CREATE TABLE kpis (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    kpi_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- Decimal text kept exact (up to 4 decimals); NULL for 待定.
    target TEXT,
    direction TEXT NOT NULL CHECK (direction IN ('up','down')),
    notes TEXT NOT NULL,
    PRIMARY KEY (plan_id, kpi_id),
    UNIQUE (plan_id, position)
  ) STRICT`.execute(db);

  await sql`CREATE TABLE assignments (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    assignment_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    person TEXT NOT NULL,
    person_user_id INTEGER,
    role TEXT NOT NULL,
    duties TEXT NOT NULL,
    contact TEXT NOT NULL,
    PRIMARY KEY (plan_id, assignment_id),
    UNIQUE (plan_id, position)
  ) STRICT`.execute(db);
}
