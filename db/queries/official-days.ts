import type { EnteredOfficialDay, OfficialKind } from "~/domain/campaign-calendar";
import { chunkRowsForInsert, columnsOf } from "../chunked";
import type { DbOrTx } from "./users";

export interface OfficialDaysTable {
  /** YYYY-MM-DD */
  date: string;
  kind: OfficialKind;
  name: string;
  year: number;
  entered_by: number;
  entered_at: number;
}

// The table is the calendar's alone; declaring it here keeps it out of the shared schema.
function withOfficialDays(db: DbOrTx) {
  return db.withTables<{ official_days: OfficialDaysTable }>();
}

/** Admin-entered days for the given years, in date order. */
export async function listOfficialDays(db: DbOrTx, years: readonly number[]): Promise<EnteredOfficialDay[]> {
  if (years.length === 0) return [];
  return withOfficialDays(db).selectFrom("official_days").select(["date", "kind", "name"]).where("year", "in", [...years]).orderBy("date").execute();
}

/** Replaces every entry of `year` with `days`; call inside a transaction. */
export async function replaceOfficialDays(db: DbOrTx, year: number, days: readonly EnteredOfficialDay[], enteredBy: number, now: number): Promise<void> {
  const tables = withOfficialDays(db);
  await tables.deleteFrom("official_days").where("year", "=", year).execute();
  const rows = days.map((day) => ({ date: day.date, kind: day.kind, name: day.name, year, entered_by: enteredBy, entered_at: now }));
  // The table is not in the shared schema, so insertInChunks cannot name it; the slicing is the same.
  for (const chunk of chunkRowsForInsert(rows, columnsOf(rows))) await tables.insertInto("official_days").values(chunk).execute();
}
