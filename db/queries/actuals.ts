import { sql, type Insertable } from "kysely";
import type { ActualEntriesTable, ActualEntry, KpiResult } from "../schema";
import type { DbOrTx } from "./users";

export type ActualEntryWithNames = ActualEntry & { creator_name: string; updater_name: string | null };

/** Every actual spend entry of a plan, grouped by line, oldest spending first within a line. */
export function listActualEntries(db: DbOrTx, planId: string): Promise<ActualEntryWithNames[]> {
  return db
    .selectFrom("actual_entries")
    .innerJoin("users as creator", "creator.id", "actual_entries.created_by")
    .leftJoin("users as updater", "updater.id", "actual_entries.updated_by")
    .selectAll("actual_entries")
    .select(["creator.name as creator_name", "updater.name as updater_name"])
    .where("actual_entries.plan_id", "=", planId)
    .orderBy("actual_entries.line_id")
    .orderBy("actual_entries.spent_on")
    .orderBy("actual_entries.id")
    .execute();
}

/**
 * The plan's recorded actual spend, for the write-time bound. TOTAL, not SUM: it never
 * fails on integer overflow, and a total past the bound only needs to be known as such.
 */
export async function planActualTotal(db: DbOrTx, planId: string): Promise<number> {
  const row = await db
    .selectFrom("actual_entries")
    .select(sql<number>`TOTAL(amount_fen)`.as("total"))
    .where("plan_id", "=", planId)
    .executeTakeFirstOrThrow();
  return row.total;
}

export function findActualEntry(db: DbOrTx, planId: string, id: number): Promise<ActualEntry | undefined> {
  return db.selectFrom("actual_entries").selectAll().where("plan_id", "=", planId).where("id", "=", id).executeTakeFirst();
}

/** The entry already booked for this invoice on this line, if any (invoice numbers are unique per plan and line). */
export function findEntryByInvoice(db: DbOrTx, planId: string, lineId: string, invoiceNo: string): Promise<ActualEntry | undefined> {
  return db
    .selectFrom("actual_entries")
    .selectAll()
    .where("plan_id", "=", planId)
    .where("line_id", "=", lineId)
    .where("invoice_no", "=", invoiceNo)
    .executeTakeFirst();
}

export interface ActualEntryValues {
  lineId: string;
  spentOn: string;
  amountFen: number;
  vendor: string;
  invoiceNo: string;
  note: string;
}

/** A new entry: its values, the plan it books on, where it came from and who recorded it when. */
export type NewActualEntry = ActualEntryValues & { planId: string; source: ActualEntry["source"]; createdBy: number; createdAt: number };

/** The row a new entry is stored as; not updated yet. */
export function newActualEntryRow(entry: NewActualEntry): Insertable<ActualEntriesTable> {
  return {
    plan_id: entry.planId,
    line_id: entry.lineId,
    spent_on: entry.spentOn,
    amount_fen: entry.amountFen,
    vendor: entry.vendor,
    invoice_no: entry.invoiceNo,
    note: entry.note,
    source: entry.source,
    created_by: entry.createdBy,
    created_at: entry.createdAt,
    updated_by: null,
    updated_at: null,
  };
}

export async function insertActualEntry(db: DbOrTx, entry: NewActualEntry): Promise<number> {
  const row = await db.insertInto("actual_entries").values(newActualEntryRow(entry)).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

export async function updateActualEntry(
  db: DbOrTx,
  planId: string,
  id: number,
  values: ActualEntryValues,
  by: { updatedBy: number; updatedAt: number }
): Promise<boolean> {
  const result = await db
    .updateTable("actual_entries")
    .set({
      line_id: values.lineId,
      spent_on: values.spentOn,
      amount_fen: values.amountFen,
      vendor: values.vendor,
      invoice_no: values.invoiceNo,
      note: values.note,
      updated_by: by.updatedBy,
      updated_at: by.updatedAt,
    })
    .where("plan_id", "=", planId)
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteActualEntry(db: DbOrTx, planId: string, id: number): Promise<boolean> {
  const result = await db.deleteFrom("actual_entries").where("plan_id", "=", planId).where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type KpiResultWithName = KpiResult & { recorder_name: string };

export function listKpiResults(db: DbOrTx, planId: string): Promise<KpiResultWithName[]> {
  return db
    .selectFrom("kpi_results")
    .innerJoin("users", "users.id", "kpi_results.recorded_by")
    .selectAll("kpi_results")
    .select("users.name as recorder_name")
    .where("kpi_results.plan_id", "=", planId)
    .execute();
}

export function findKpiResult(db: DbOrTx, planId: string, kpiId: string): Promise<KpiResult | undefined> {
  return db.selectFrom("kpi_results").selectAll().where("plan_id", "=", planId).where("kpi_id", "=", kpiId).executeTakeFirst();
}

/** One result per KPI: recording again replaces the value and who recorded it. */
export async function upsertKpiResult(
  db: DbOrTx,
  result: { planId: string; kpiId: string; actual: string; note: string; recordedBy: number; recordedAt: number }
): Promise<void> {
  await db
    .insertInto("kpi_results")
    .values({
      plan_id: result.planId,
      kpi_id: result.kpiId,
      actual: result.actual,
      note: result.note,
      recorded_by: result.recordedBy,
      recorded_at: result.recordedAt,
    })
    .onConflict((oc) =>
      oc
        .columns(["plan_id", "kpi_id"])
        .doUpdateSet({ actual: result.actual, note: result.note, recorded_by: result.recordedBy, recorded_at: result.recordedAt })
    )
    .execute();
}

export async function deleteKpiResult(db: DbOrTx, planId: string, kpiId: string): Promise<boolean> {
  const result = await db.deleteFrom("kpi_results").where("plan_id", "=", planId).where("kpi_id", "=", kpiId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
