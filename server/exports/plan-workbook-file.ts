import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { sql } from "kysely";
import { createDb, type Db } from "../../db/client";
import { writePlanWorkbook, type Pace } from "~/services/excel/plan-workbook";
import { loadPlanWorkbook, type ExportedBudget } from "~/services/excel/plan-workbook.server";

export interface PlanWorkbookRequest {
  planId: string;
  budget: ExportedBudget;
  exportedAt: number;
}

/**
 * A pace that hands the event loop back after every `sliceMs` of writing. Besides keeping
 * other work responsive, this is what keeps the zip moving: exceljs compresses through
 * zlib's thread pool, which takes one chunk per turn of the event loop.
 */
export function slices(sliceMs: number): Pace {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/** A read-only connection of its own: under WAL its read transaction never waits for, nor blocks, the server's writes. */
export async function openReader(databasePath: string): Promise<Db> {
  const db = createDb(databasePath);
  try {
    await sql`PRAGMA query_only = ON`.execute(db);
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** The number of budget lines the workbook will hold: where to build it depends on it. */
export async function countLines(db: Db, budget: ExportedBudget, planId: string): Promise<number> {
  const row =
    budget.kind === "approved"
      ? await db.selectFrom("revision_lines").select((eb) => eb.fn.countAll<number>().as("lines")).where("revision_id", "=", budget.revisionId).executeTakeFirstOrThrow()
      : await db.selectFrom("budget_lines").select((eb) => eb.fn.countAll<number>().as("lines")).where("plan_id", "=", planId).executeTakeFirstOrThrow();
  return row.lines;
}

/**
 * Writes the plan's workbook to `path`. Everything is read in one read transaction (one
 * consistent moment of the projection and the approvals), then written while `pace` lets
 * the thread's event loop run.
 */
export async function writePlanWorkbookFile(reader: Db, request: PlanWorkbookRequest, path: string, pace: Pace): Promise<void> {
  const input = await reader.connection().execute(async (connection) => {
    await sql`BEGIN`.execute(connection);
    try {
      return await loadPlanWorkbook(connection, request.planId, request.budget, request.exportedAt);
    } finally {
      await sql`ROLLBACK`.execute(connection);
    }
  });
  const output = createWriteStream(path);
  try {
    await writePlanWorkbook(input, output, pace);
  } finally {
    // Closed before anyone opens the file, and before a worker thread may be stopped.
    output.destroy();
    if (!output.closed) await once(output, "close");
  }
}
