import { findRevision, listPlanRevisions, listStepsOf } from "../../../db/queries/approvals";
import { findPlanById } from "../../../db/queries/plans";
import { listAssignments, listKpis, listTimelineItems } from "../../../db/queries/projection";
import { listUsers, type DbOrTx } from "../../../db/queries/users";
import type { BudgetLineRow } from "../../../db/schema";
import type { PlanWorkbookInput, WorkbookBudgetLine } from "./plan-workbook";
import { displayStatus } from "~/domain/plan";

export const EXPORT_REVISIONS = ["draft", "approved"] as const;
export type ExportRevision = (typeof EXPORT_REVISIONS)[number];

/** The budget a workbook holds: the plan's draft, or one approved revision's snapshot. */
export type ExportedBudget = { kind: "draft" } | { kind: "approved"; revisionId: number };

/**
 * Budget lines are read a page at a time: turning SQLite rows into objects happens on the
 * reading thread, and a 100,000-line budget in one query would hold it for most of a second.
 */
const PAGE = 500;

type LineRow = Omit<BudgetLineRow, "plan_id">;

async function readLines(page: (after: number) => Promise<LineRow[]>): Promise<WorkbookBudgetLine[]> {
  const lines: WorkbookBudgetLine[] = [];
  for (let after = -1; ; ) {
    const rows = await page(after);
    for (const row of rows) {
      lines.push({
        id: row.line_id,
        category: row.category,
        item: row.item,
        quantityHundredths: row.quantity_hundredths,
        unit: row.unit,
        unitPriceFen: row.unit_price_fen,
        amountFen: row.amount_fen,
        income: row.income === 1,
        owner: row.owner,
        quarter: row.quarter,
        note: row.note,
      });
    }
    if (rows.length < PAGE) return lines;
    after = rows[rows.length - 1]!.position;
  }
}

function draftLines(db: DbOrTx, planId: string): Promise<WorkbookBudgetLine[]> {
  return readLines((after) => db.selectFrom("budget_lines").selectAll().where("plan_id", "=", planId).where("position", ">", after).orderBy("position").limit(PAGE).execute());
}

function approvedLines(db: DbOrTx, revisionId: number): Promise<WorkbookBudgetLine[]> {
  return readLines((after) => db.selectFrom("revision_lines").selectAll().where("revision_id", "=", revisionId).where("position", ">", after).orderBy("position").limit(PAGE).execute());
}

/**
 * Everything the plan workbook shows, from the plan's relational projection (kept
 * following the live document by the collaboration server) or, for an approved export, the
 * budget of the approved snapshot. The caller reads inside one read transaction, so every
 * sheet comes from the same moment. Throws when the plan or the revision does not exist.
 */
export async function loadPlanWorkbook(db: DbOrTx, planId: string, budget: ExportedBudget, exportedAt: number): Promise<PlanWorkbookInput> {
  const plan = await findPlanById(db, planId);
  if (!plan) throw new Error(`plan ${planId} does not exist`);
  const approved = budget.kind === "approved" ? await findRevision(db, budget.revisionId) : undefined;
  if (budget.kind === "approved" && approved?.plan_id !== planId) throw new Error(`plan ${planId} has no revision ${budget.revisionId}`);

  const lines = approved ? await approvedLines(db, approved.id) : await draftLines(db, planId);
  const names = new Map((await listUsers(db)).map((user) => [user.id, user.name]));
  const person = (userId: number | null, text: string) => (userId === null ? text : (names.get(userId) ?? text));
  const timeline = await listTimelineItems(db, planId);
  const tasks = new Map(timeline.map((item) => [item.item_id, item.task]));
  const revisions = await listPlanRevisions(db, planId);
  // 概览 shows the exported revision's approval chain, or for a draft the newest one.
  const shown = approved ? revisions.find((revision) => revision.id === approved.id) : revisions[0];
  const steps = shown ? await listStepsOf(db, [shown.id]) : [];
  const roles = await listAssignments(db, planId);
  const kpis = await listKpis(db, planId);
  const results = await db.selectFrom("kpi_results").select(["kpi_id", "actual"]).where("plan_id", "=", planId).execute();
  const actualOf = new Map(results.map((result) => [result.kpi_id, result.actual]));
  const entries = await db
    .selectFrom("actual_entries")
    .select(["line_id", "spent_on", "amount_fen", "vendor", "invoice_no", "note"])
    .where("plan_id", "=", planId)
    .orderBy("spent_on")
    .orderBy("id")
    .execute();

  return {
    plan: {
      title: plan.title,
      campaignType: plan.campaign_type,
      store: plan.store,
      startDate: plan.start_date,
      endDate: plan.end_date,
      anchor: plan.anchor_date,
      ownerName: names.get(plan.owner_id) ?? "",
      status: displayStatus(plan),
    },
    revision: approved ? { kind: "approved", number: approved.number } : { kind: "draft" },
    approval: shown
      ? {
          number: shown.number,
          status: shown.status,
          submitterName: shown.submitter_name,
          submittedAt: shown.submitted_at,
          steps: steps.map((step) => ({ kind: step.kind, title: step.title, decision: step.decision, deciderName: step.decider_name, decidedAt: step.decided_at, comment: step.comment })),
        }
      : null,
    budget: lines,
    timeline: timeline.map((item) => ({
      phase: item.phase,
      phaseLabel: item.phase_label,
      task: item.task,
      start: item.start_date,
      end: item.end_date,
      owner: person(item.owner_user_id, item.owner),
      status: item.status,
      dependsOn: item.depends_on === "" ? "" : (tasks.get(item.depends_on) ?? "（已删除的任务）"),
    })),
    roles: roles.map((role) => ({ person: person(role.person_user_id, role.person), role: role.role, duties: role.duties, contact: role.contact })),
    kpis: kpis.map((kpi) => ({ name: kpi.name, unit: kpi.unit, target: kpi.target, direction: kpi.direction, notes: kpi.notes, actual: actualOf.get(kpi.kpi_id) ?? null })),
    actuals: entries.map((entry) => ({ lineId: entry.line_id, spentOn: entry.spent_on, amountFen: entry.amount_fen, vendor: entry.vendor, invoiceNo: entry.invoice_no, note: entry.note })),
    exportedAt,
  };
}

/** attachment; an ASCII fallback name and the plan's title as the real one (RFC 6266 / RFC 5987). */
export function attachmentDisposition(title: string, extension: string): string {
  // Characters no file system accepts in a name, and controls, become "_".
  // eslint-disable-next-line no-control-regex
  const name = `${title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, "_").trim() || "plan"}.${extension}`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="plan.${extension}"; filename*=UTF-8''${encoded}`;
}
