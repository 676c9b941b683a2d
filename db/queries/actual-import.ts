import { newActualEntryRow, type NewActualEntry } from "./actuals";
import { findLastApprovedRevision } from "./approvals";
import { chunkForInList, insertInChunks } from "../chunked";
import type { DbOrTx } from "./users";

/**
 * Budget line ids of the plan: the current draft's and the last approved snapshot's (the
 * variance basis), so an invoice can still be booked on an approved line a reopened draft dropped.
 */
export async function listKnownLineIds(db: DbOrTx, planId: string): Promise<Set<string>> {
  const draft = await db.selectFrom("budget_lines").select("line_id").where("plan_id", "=", planId).execute();
  const approved = await findLastApprovedRevision(db, planId);
  const snapshot = approved ? await db.selectFrom("revision_lines").select("line_id").where("revision_id", "=", approved.id).execute() : [];
  return new Set([...draft, ...snapshot].map((row) => row.line_id));
}

/** Which of these line ids are budget lines of some other plan. */
export async function findLineIdsOfOtherPlans(db: DbOrTx, planId: string, lineIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // One more bound value beside the list: the plan id.
  for (const chunk of chunkForInList(lineIds, 1)) {
    const rows = await db.selectFrom("budget_lines").select("line_id").distinct().where("plan_id", "<>", planId).where("line_id", "in", chunk).execute();
    for (const row of rows) found.add(row.line_id);
  }
  return found;
}

export interface InvoicedEntry {
  id: number;
  line_id: string;
  invoice_no: string;
  spent_on: string;
  amount_fen: number;
  vendor: string;
  note: string;
}

/** The plan's entries that carry an invoice no.: the ones an import may update. */
export function listInvoicedEntries(db: DbOrTx, planId: string): Promise<InvoicedEntry[]> {
  return db
    .selectFrom("actual_entries")
    .select(["id", "line_id", "invoice_no", "spent_on", "amount_fen", "vendor", "note"])
    .where("plan_id", "=", planId)
    .where("invoice_no", "<>", "")
    .execute();
}

export function insertActualEntries(db: DbOrTx, entries: readonly NewActualEntry[]): Promise<void> {
  return insertInChunks(db, "actual_entries", entries.map(newActualEntryRow));
}

export async function updateImportedEntry(
  db: DbOrTx,
  id: number,
  values: { spentOn: string; amountFen: number; vendor: string; note: string; updatedBy: number; updatedAt: number },
): Promise<void> {
  await db
    .updateTable("actual_entries")
    .set({ spent_on: values.spentOn, amount_fen: values.amountFen, vendor: values.vendor, note: values.note, updated_by: values.updatedBy, updated_at: values.updatedAt })
    .where("id", "=", id)
    .execute();
}
