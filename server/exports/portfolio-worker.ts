import { parentPort, threadId, workerData } from "node:worker_threads";
import { sql } from "kysely";
import { createDb } from "../../db/client";
import type { PortfolioFilter } from "~/domain/portfolio";
import type { Locale } from "~/domain/roles";
import { createI18n } from "~/i18n/i18n";
import { writePortfolioWorkbook, type PortfolioWorkbookResult } from "~/services/excel/portfolio-workbook";

/**
 * Builds one portfolio workbook on its own thread (started by export-jobs.ts), so the
 * collaboration server's event loop never waits on thousands of rows of XML and zip.
 * It opens its own connection to the database file, read-only, and reads everything in one
 * read transaction: under WAL that is a consistent snapshot that never blocks the server's
 * writes.
 */

export interface PortfolioWorkerInput {
  databasePath: string;
  filter: PortfolioFilter;
  locale: Locale;
  outputPath: string;
}

export type PortfolioWorkerMessage =
  | { kind: "progress"; done: number; total: number; threadId: number }
  | ({ kind: "done"; threadId: number } & PortfolioWorkbookResult)
  | { kind: "failed"; error: unknown; threadId: number };

async function build(input: PortfolioWorkerInput, post: (message: PortfolioWorkerMessage) => void): Promise<PortfolioWorkbookResult> {
  const db = createDb(input.databasePath);
  try {
    await sql`PRAGMA query_only = ON`.execute(db);
    const t = createI18n(input.locale).t;
    return await db.connection().execute(async (connection) => {
      await sql`BEGIN`.execute(connection);
      try {
        return await writePortfolioWorkbook(connection, input.filter, input.outputPath, t, (progress) => post({ kind: "progress", ...progress, threadId }));
      } finally {
        await sql`ROLLBACK`.execute(connection);
      }
    });
  } finally {
    await db.destroy();
  }
}

if (parentPort) {
  const port = parentPort;
  const post = (message: PortfolioWorkerMessage) => port.postMessage(message);
  build(workerData as PortfolioWorkerInput, post).then(
    (result) => post({ kind: "done", ...result, threadId }),
    (error: unknown) => post({ kind: "failed", error, threadId }),
  );
}
