import type { Insertable } from "kysely";
import type { Database } from "./schema";
import type { DbOrTx } from "./queries/users";

/**
 * Bound parameters one statement may carry. SQLite's compiled limit is 32,766 since 3.32,
 * but it was 999 before, distributions may build it lower, and PostgreSQL (the scale-out
 * dialect) stops at 65,535: 999 is safe everywhere, and a few hundred rows per INSERT
 * already costs almost nothing over one statement, so there is nothing to win by asking the
 * connection for its real limit.
 */
export const MAX_BOUND_PARAMETERS = 999;

function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Rows split so that no INSERT of one slice binds more than MAX_BOUND_PARAMETERS values. */
export function chunkRowsForInsert<T>(rows: readonly T[], columnsPerRow: number): T[][] {
  if (!Number.isInteger(columnsPerRow) || columnsPerRow < 1) throw new RangeError(`columns per row must be a positive integer, got ${columnsPerRow}`);
  return slices(rows, Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / columnsPerRow)));
}

/** Values split for `IN (…)` lists, so each list plus the statement's other bound values stays within MAX_BOUND_PARAMETERS. */
export function chunkForInList<T>(values: readonly T[], otherParameters: number): T[][] {
  if (!Number.isInteger(otherParameters) || otherParameters < 0 || otherParameters >= MAX_BOUND_PARAMETERS) throw new RangeError(`other parameters must be 0..${MAX_BOUND_PARAMETERS - 1}, got ${otherParameters}`);
  return slices(values, MAX_BOUND_PARAMETERS - otherParameters);
}

/** The number of values one row binds: the widest row, so a row with an extra key never overflows a slice. */
export function columnsOf(rows: readonly object[]): number {
  return rows.reduce((widest, row) => Math.max(widest, Object.keys(row).length), 1);
}

/**
 * Every multi-row INSERT goes through here: a budget of thousands of lines must not hit
 * "too many SQL variables". The slices run in order on the caller's handle; pass a
 * transaction when they must land together.
 */
export async function insertInChunks<T extends keyof Database>(db: DbOrTx, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  for (const chunk of chunkRowsForInsert(rows, columnsOf(rows))) {
    await db
      .insertInto(table)
      .values(chunk)
      .execute();
  }
}
