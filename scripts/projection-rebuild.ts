/**
 * Rebuilds every plan's projection (budget_lines, timeline_items, kpis, assignments and the
 * plan row's totals) from its stored document, the source of truth. Safe to run while the
 * server is up: both write the same rows from the same documents.
 *
 *   DATABASE_PATH=data/campaigndesk.db npm run projection:rebuild
 *
 * Exits 1 when any document could not be loaded or written (named in the output), 2 when
 * the configuration is wrong or the database file does not exist.
 */
import { existsSync } from "node:fs";
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { replacePlanProjection } from "../db/queries/projection";
import { describeInvalidRows, projectPlanDoc } from "~/domain/projection";
import { loadDocument } from "../server/collab/document-store";
import { EnvError, parseEnv } from "../server/env";

let databasePath: string;
try {
  databasePath = parseEnv(process.env).DATABASE_PATH;
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(2);
}
// createDb would make an empty database, and "0 plans rebuilt" would hide a mistyped path.
if (databasePath === ":memory:" || !existsSync(databasePath)) {
  console.error(`projection:rebuild: no database at ${databasePath} (set DATABASE_PATH)`);
  process.exit(2);
}

const db = createDb(databasePath);
let plans = 0;
let rows = 0;
let skipped = 0;
const failures: { planId: string; reason: string }[] = [];
try {
  await migrateToLatest(db);
  const ids = await db.selectFrom("plans").select("id").orderBy("created_at").orderBy("id").execute();
  for (const { id } of ids) {
    let loaded: Awaited<ReturnType<typeof loadDocument>>;
    try {
      loaded = await loadDocument(db, id);
    } catch (error) {
      failures.push({ planId: id, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    try {
      const projection = projectPlanDoc(loaded.doc);
      await replacePlanProjection(db, id, projection, Date.now());
      plans += 1;
      rows += projection.budgetLines.length + projection.timelineItems.length + projection.kpis.length + projection.assignments.length;
      skipped += projection.invalid.length;
      if (projection.invalid.length > 0) console.log(`plan ${id}: skipped ${projection.invalid.length} malformed row(s): ${describeInvalidRows(projection.invalid)}`);
    } catch (error) {
      failures.push({ planId: id, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      loaded.doc.destroy();
    }
  }
} finally {
  await db.destroy();
}

console.log(`projection:rebuild: ${plans} plan(s) rebuilt, ${rows} row(s) written, ${skipped} malformed row(s) skipped, ${failures.length} failure(s)`);
for (const failure of failures) console.error(`  plan ${failure.planId}: ${failure.reason}`);
if (failures.length > 0) process.exit(1);
