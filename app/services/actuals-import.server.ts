import type { Db } from "../../db/client";
import { findLineIdsOfOtherPlans, insertActualEntries, listInvoicedEntries, listKnownLineIds, updateImportedEntry } from "../../db/queries/actual-import";
import { recordAudit } from "../../db/queries/audit";
import { withinPlanActualRange } from "./actuals.server";
import { addFen, ZERO_FEN, type Fen } from "~/domain/money";
import { foreignLineIds, validateActualsImport, type ImportEntry, type ImportIssue, type ImportSheet } from "~/domain/actuals-import";
import { readActualsSheet, unzipWorkbook, type FileRefusalCode } from "./excel/actuals-reader.server";

/** The actuals import (实际支出导入): the workbook is read by excel/actuals-reader.server.ts, then validated and applied here. */

export interface ImportSummary {
  rows: number;
  totalFen: Fen;
  created: number;
  updated: number;
  unchanged: number;
}

export type ImportOutcome =
  | { ok: true; summary: ImportSummary }
  | { ok: false; status: 413 | 422; file: FileRefusalCode }
  | { ok: false; status: 422; issues: ImportIssue[] };

/**
 * Applies validated entries in one transaction. Idempotent by invoice no.: an entry with
 * the same (plan, line, invoice no.) is updated (or left alone when nothing differs), any
 * other row is added. Budget lines, the document, revisions and the projection are never
 * touched: actuals are facts about spending, not budget.
 */
export async function applyActualsImport(db: Db, input: { planId: string; actorId: number; entries: readonly ImportEntry[]; now: number }): Promise<ImportSummary | "planTotalTooLarge"> {
  const { planId, actorId, entries, now } = input;
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await listInvoicedEntries(trx, planId)).map((entry) => [JSON.stringify([entry.line_id, entry.invoice_no]), entry]));
    const fresh: ImportEntry[] = [];
    const changed: { id: number; entry: ImportEntry }[] = [];
    let unchanged = 0;
    // Each amount is at most MAX_AMOUNT_FEN and a file at most MAX_IMPORT_ROWS rows: this sum is exact.
    let deltaFen = 0;
    for (const entry of entries) {
      const current = existing.get(JSON.stringify([entry.lineId, entry.invoiceNo]));
      if (!current) {
        fresh.push(entry);
        deltaFen += entry.amountFen;
      } else if (current.spent_on === entry.spentOn && current.amount_fen === entry.amountFen && current.vendor === entry.vendor && current.note === entry.note) {
        unchanged += 1;
      } else {
        changed.push({ id: current.id, entry });
        deltaFen += entry.amountFen - current.amount_fen;
      }
    }
    // Judged before anything is written: a refused file changes nothing.
    if (!(await withinPlanActualRange(trx, planId, deltaFen))) return "planTotalTooLarge" as const;
    for (const { id, entry } of changed) {
      await updateImportedEntry(trx, id, { spentOn: entry.spentOn, amountFen: entry.amountFen, vendor: entry.vendor, note: entry.note, updatedBy: actorId, updatedAt: now });
    }
    const updated = changed.length;
    await insertActualEntries(
      trx,
      fresh.map((entry) => ({ ...entry, planId, source: "import" as const, createdBy: actorId, createdAt: now })),
    );
    const summary: ImportSummary = {
      rows: entries.length,
      totalFen: entries.reduce((sum, entry) => addFen(sum, entry.amountFen), ZERO_FEN),
      created: fresh.length,
      updated,
      unchanged,
    };
    await recordAudit(trx, { actorId, action: "actuals.import", targetType: "plan", targetId: planId, detail: summary, at: now });
    return summary;
  });
}

/** The whole import: refuse the file, or report every bad row and write nothing, or apply it all. */
export async function importActuals(db: Db, input: { planId: string; actorId: number; bytes: Buffer; now?: number }): Promise<ImportOutcome> {
  const unzipped = await unzipWorkbook(input.bytes);
  if (!unzipped.ok) return { ok: false, status: unzipped.refusal.status, file: unzipped.refusal.code };
  let sheet: ImportSheet;
  try {
    sheet = await readActualsSheet(unzipped.entries);
  } catch {
    // Valid zip, required parts present, but not a workbook exceljs can read (malformed XML).
    return { ok: false, status: 422, file: "damaged" };
  }
  const lineIds = await listKnownLineIds(db, input.planId);
  const otherPlanLineIds = await findLineIdsOfOtherPlans(db, input.planId, foreignLineIds(sheet, lineIds));
  const validation = validateActualsImport(sheet, { lineIds, otherPlanLineIds });
  if (!validation.ok) return { ok: false, status: 422, issues: validation.issues };
  const summary = await applyActualsImport(db, { planId: input.planId, actorId: input.actorId, entries: validation.entries, now: input.now ?? Date.now() });
  if (summary === "planTotalTooLarge") return { ok: false, status: 422, issues: [{ row: null, code: "planTotalTooLarge", params: {} }] };
  return { ok: true, summary };
}
