import { z } from "zod";
import {
  deleteActualEntry,
  deleteKpiResult,
  findActualEntry,
  findEntryByInvoice,
  findKpiResult,
  insertActualEntry,
  listActualEntries,
  listKpiResults,
  planActualTotal,
  updateActualEntry,
  upsertKpiResult,
  type ActualEntryValues,
} from "../../db/queries/actuals";
import { recordAudit } from "../../db/queries/audit";
import { listBudgetLines, listKpis } from "../../db/queries/projection";
import type { DbOrTx } from "../../db/queries/users";
import type { Db } from "../../db/client";
import type { ActualEntry, Plan } from "../../db/schema";
import type { Auth } from "./context";
import { ACTUAL_TEXT_LIMITS } from "~/domain/actuals-import";
import { isPlanTotal, MoneyParseError, parseYuan } from "~/domain/money";
import { parseDateCell, parseTargetCell } from "~/domain/plan-document";
import { kpiCompletion, type BasisLine } from "~/domain/variance";
import type { FieldErrors } from "~/lib/forms";
import { parseForm } from "~/lib/forms";
import { loadBudgetBasis, loadPlanVariance } from "./variance.server";

/**
 * Actual spend (实际支出) and KPI results: relational facts finance records after the fact,
 * never part of the plan document. Each change is one transaction with its audit entry.
 * Field errors come back as stable codes (actuals.error.*) keyed by form field.
 */

// Form messages are codes; the page translates them beside each field.
function yuan(text: string, ctx: z.RefinementCtx): number {
  try {
    return parseYuan(text);
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    ctx.addIssue({ code: "custom", message: error.code });
    return z.NEVER;
  }
}

function day(text: string, ctx: z.RefinementCtx): string {
  const parsed = parseDateCell(text);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: "custom", message: "invalidDate" });
  return z.NEVER;
}

const limited = (field: keyof typeof ACTUAL_TEXT_LIMITS) =>
  z
    .string()
    .default("")
    // NFKC for the invoice no. only: a full-width invoice number is the same invoice as its
    // half-width spelling, as on import; vendors and notes keep their Chinese punctuation.
    .transform((text) => (field === "invoiceNo" ? text.normalize("NFKC") : text).trim())
    .pipe(z.string().max(ACTUAL_TEXT_LIMITS[field], { error: `${field}TooLong` }));

export const ActualEntryFormSchema = z.object({
  lineId: z.string({ error: "unknownLine" }).trim().min(1, { error: "unknownLine" }).max(64, { error: "unknownLine" }),
  spentOn: z.string({ error: "invalidDate" }).transform(day),
  amount: z.string({ error: "notAnAmount" }).transform(yuan),
  vendor: limited("vendor"),
  invoiceNo: limited("invoiceNo"),
  note: limited("note"),
});

export const KPI_NOTE_MAX = 200;

export const KpiResultFormSchema = z.object({
  kpiId: z.string({ error: "unknownKpi" }).min(1, { error: "unknownKpi" }).max(64, { error: "unknownKpi" }),
  actual: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const parsed = parseTargetCell(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: "invalidActual" });
      return z.NEVER;
    }),
  note: z
    .string()
    .default("")
    .transform((text) => text.trim())
    .pipe(z.string().max(KPI_NOTE_MAX, { error: "kpiNoteTooLong" })),
});

export type ActualsOutcome<T = object> = ({ ok: true } & T) | { ok: false; status: 400 | 404; errors: FieldErrors };

const invalid = (errors: FieldErrors): ActualsOutcome<never> => ({ ok: false, status: 400, errors });
const gone = (): ActualsOutcome<never> => ({ ok: false, status: 404, errors: { form: "entryGone" } });

/**
 * The lines actuals may be booked against: the budget they are judged by (the approved
 * snapshot, or the draft) and every line of the current draft, so spend on a line added
 * after approval is recorded and shown as outside the approved budget.
 */
export async function bookableLines(db: DbOrTx, planId: string): Promise<BasisLine[]> {
  const [{ lines }, draft] = await Promise.all([loadBudgetBasis(db, planId), listBudgetLines(db, planId)]);
  const known = new Set(lines.map((line) => line.id));
  const added = draft
    .filter((line) => !known.has(line.line_id))
    .map((line) => ({ id: line.line_id, category: line.category, item: line.item, income: line.income === 1, amountFen: line.amount_fen }));
  return [...lines, ...added];
}

/** The checks that need the database: the line is this plan's, and the invoice is not booked on it already. */
async function checkEntry(trx: DbOrTx, planId: string, values: ActualEntryValues, editing?: number): Promise<{ errors: FieldErrors; line?: BasisLine }> {
  const line = (await bookableLines(trx, planId)).find((candidate) => candidate.id === values.lineId);
  if (!line) return { errors: { lineId: "unknownLine" } };
  if (values.invoiceNo !== "") {
    const booked = await findEntryByInvoice(trx, planId, values.lineId, values.invoiceNo);
    if (booked && booked.id !== editing) return { errors: { invoiceNo: "duplicateInvoice" }, line };
  }
  return { errors: {}, line };
}

/**
 * Whether adding `deltaFen` keeps the plan's actual spend within MAX_PLAN_TOTAL_FEN. A change
 * that lowers the total is always allowed, so spend recorded before the bound can be corrected.
 */
export async function withinPlanActualRange(trx: DbOrTx, planId: string, deltaFen: number): Promise<boolean> {
  return deltaFen <= 0 || isPlanTotal((await planActualTotal(trx, planId)) + deltaFen);
}

function valuesOf(data: z.infer<typeof ActualEntryFormSchema>): ActualEntryValues {
  return { lineId: data.lineId, spentOn: data.spentOn, amountFen: data.amount, vendor: data.vendor, invoiceNo: data.invoiceNo, note: data.note };
}

function factsOf(entry: Pick<ActualEntry, "line_id" | "spent_on" | "amount_fen" | "vendor" | "invoice_no" | "note">) {
  return { lineId: entry.line_id, spentOn: entry.spent_on, amountFen: entry.amount_fen, vendor: entry.vendor, invoiceNo: entry.invoice_no, note: entry.note };
}

export async function recordActualEntry(db: Db, auth: Auth, plan: Plan, form: FormData, now = Date.now()): Promise<ActualsOutcome<{ entryId: number }>> {
  const parsed = parseForm(form, ActualEntryFormSchema);
  if (!parsed.ok) return invalid(parsed.fieldErrors);
  const values = valuesOf(parsed.data);
  return db.transaction().execute(async (trx) => {
    const { errors, line } = await checkEntry(trx, plan.id, values);
    if (!line || Object.keys(errors).length > 0) return invalid(errors);
    if (!(await withinPlanActualRange(trx, plan.id, values.amountFen))) return invalid({ amount: "planTotalTooLarge" });
    const entryId = await insertActualEntry(trx, { ...values, planId: plan.id, source: "manual", createdBy: auth.user.id, createdAt: now });
    await recordAudit(trx, {
      actorId: auth.user.id,
      action: "actual.create",
      targetType: "plan",
      targetId: plan.id,
      detail: { entryId, item: line.item, ...values },
      at: now,
    });
    return { ok: true as const, entryId };
  });
}

export async function editActualEntry(
  db: Db,
  auth: Auth,
  plan: Plan,
  entryId: number,
  form: FormData,
  now = Date.now()
): Promise<ActualsOutcome<{ entryId: number }>> {
  const parsed = parseForm(form, ActualEntryFormSchema);
  if (!parsed.ok) return invalid(parsed.fieldErrors);
  const values = valuesOf(parsed.data);
  return db.transaction().execute(async (trx) => {
    const before = await findActualEntry(trx, plan.id, entryId);
    if (!before) return gone();
    const { errors, line } = await checkEntry(trx, plan.id, values, entryId);
    if (!line || Object.keys(errors).length > 0) return invalid(errors);
    if (!(await withinPlanActualRange(trx, plan.id, values.amountFen - before.amount_fen))) return invalid({ amount: "planTotalTooLarge" });
    await updateActualEntry(trx, plan.id, entryId, values, { updatedBy: auth.user.id, updatedAt: now });
    await recordAudit(trx, {
      actorId: auth.user.id,
      action: "actual.update",
      targetType: "plan",
      targetId: plan.id,
      detail: { entryId, item: line.item, lineId: values.lineId, amountFen: values.amountFen, invoiceNo: values.invoiceNo, from: factsOf(before), to: values },
      at: now,
    });
    return { ok: true as const, entryId };
  });
}

export async function removeActualEntry(db: Db, auth: Auth, plan: Plan, entryId: number, now = Date.now()): Promise<ActualsOutcome> {
  return db.transaction().execute(async (trx) => {
    const entry = await findActualEntry(trx, plan.id, entryId);
    if (!entry || !(await deleteActualEntry(trx, plan.id, entryId))) return gone();
    // The entry is gone from the table; the audit entry is where its values remain.
    await recordAudit(trx, {
      actorId: auth.user.id,
      action: "actual.delete",
      targetType: "plan",
      targetId: plan.id,
      detail: { entryId, ...factsOf(entry), source: entry.source, createdBy: entry.created_by },
      at: now,
    });
    return { ok: true as const };
  });
}

/** Records (or, with an empty value, clears) the actual value of one of the plan's KPIs. */
export async function recordKpiResult(db: Db, auth: Auth, plan: Plan, form: FormData, now = Date.now()): Promise<ActualsOutcome<{ kpiId: string }>> {
  const parsed = parseForm(form, KpiResultFormSchema);
  if (!parsed.ok) return invalid(parsed.fieldErrors);
  const { kpiId, actual, note } = parsed.data;
  return db.transaction().execute(async (trx) => {
    const kpi = (await listKpis(trx, plan.id)).find((candidate) => candidate.kpi_id === kpiId);
    if (!kpi) return invalid({ kpiId: "unknownKpi" });
    const before = await findKpiResult(trx, plan.id, kpiId);
    if (actual === null) await deleteKpiResult(trx, plan.id, kpiId);
    else await upsertKpiResult(trx, { planId: plan.id, kpiId, actual, note, recordedBy: auth.user.id, recordedAt: now });
    await recordAudit(trx, {
      actorId: auth.user.id,
      action: "kpi.result",
      targetType: "plan",
      targetId: plan.id,
      detail: {
        kpiId,
        name: kpi.name,
        from: { actual: before?.actual ?? null, note: before?.note ?? "" },
        to: { actual, note: actual === null ? "" : note },
      },
      at: now,
    });
    return { ok: true as const, kpiId };
  });
}

export type ActualsPageData = Awaited<ReturnType<typeof actualsPageData>>;

/** Everything the 实际对比 page shows: the variance, the lines to book against, the entries and the KPI results. */
export async function actualsPageData(db: Db, planId: string) {
  const [variance, lines, entries, kpis, results] = await Promise.all([
    loadPlanVariance(db, planId),
    bookableLines(db, planId),
    listActualEntries(db, planId),
    listKpis(db, planId),
    listKpiResults(db, planId),
  ]);
  const resultOf = new Map(results.map((result) => [result.kpi_id, result]));
  return {
    variance,
    lines: lines.map((line) => ({ id: line.id, category: line.category, item: line.item, income: line.income })),
    entries: entries.map((entry) => ({
      id: entry.id,
      lineId: entry.line_id,
      spentOn: entry.spent_on,
      amountFen: entry.amount_fen,
      vendor: entry.vendor,
      invoiceNo: entry.invoice_no,
      note: entry.note,
      source: entry.source,
      createdBy: entry.creator_name,
      createdAt: entry.created_at,
      updatedBy: entry.updater_name,
      updatedAt: entry.updated_at,
    })),
    kpis: kpis.map((kpi) => {
      const result = resultOf.get(kpi.kpi_id);
      return {
        id: kpi.kpi_id,
        name: kpi.name,
        unit: kpi.unit,
        target: kpi.target,
        direction: kpi.direction,
        actual: result?.actual ?? null,
        note: result?.note ?? "",
        completionBasisPoints: kpiCompletion(kpi.target, result?.actual ?? null, kpi.direction),
        recordedBy: result?.recorder_name ?? null,
        recordedAt: result?.recorded_at ?? null,
      };
    }),
  };
}
