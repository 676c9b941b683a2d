import * as Y from "yjs";
import type { Db } from "../../db/client";
import { findLastApprovedRevision, loadSnapshot } from "../../db/queries/approvals";
import { listUsers } from "../../db/queries/users";
import type { Plan } from "../../db/schema";
import { planApproval, type RevisionView } from "../approvals.server";
import type { CollabControl } from "../context";
import { readPlanDoc } from "../domain/plan-doc";
import { readBlock } from "../domain/plan-rows";
import type { PlanWorkbookInput, WorkbookBudgetLine } from "./plan-workbook";

export const EXPORT_REVISIONS = ["draft", "approved"] as const;
export type ExportRevision = (typeof EXPORT_REVISIONS)[number];

function approvalOf(view: RevisionView): NonNullable<PlanWorkbookInput["approval"]> {
  return {
    number: view.number,
    status: view.status,
    submitterName: view.submitterName,
    submittedAt: view.submittedAt,
    steps: view.steps.map((step) => ({ kind: step.kind, title: step.title, decision: step.decision, deciderName: step.deciderName, decidedAt: step.decidedAt, comment: step.comment })),
  };
}

/**
 * Everything the plan workbook shows. The timeline, roles, KPIs and the draft budget come
 * from the live document (what editors see now); an approved export takes its budget from
 * the approved snapshot instead. Null when an approved export is asked for and the plan
 * has no approved revision.
 */
export async function loadPlanWorkbook(ctx: { db: Db; collab: CollabControl }, plan: Plan, which: ExportRevision, now = Date.now()): Promise<PlanWorkbookInput | null> {
  const approved = which === "approved" ? await findLastApprovedRevision(ctx.db, plan.id) : undefined;
  if (which === "approved" && !approved) return null;

  const doc = new Y.Doc();
  let blocks;
  try {
    Y.applyUpdate(doc, await ctx.collab.documentState(plan.id));
    blocks = {
      meta: readPlanDoc(doc).meta,
      timeline: readBlock(doc, "timeline").rows,
      roles: readBlock(doc, "roles").rows,
      budget: readBlock(doc, "budget").rows,
      kpis: readBlock(doc, "kpis").rows,
    };
  } finally {
    doc.destroy();
  }

  const budget: WorkbookBudgetLine[] = approved ? (await loadSnapshot(ctx.db, approved)).lines : blocks.budget;
  const names = new Map((await listUsers(ctx.db)).map((user) => [user.id, user.name]));
  const person = (userId: number | null, text: string) => (userId === null ? text : (names.get(userId) ?? text));
  const tasks = new Map(blocks.timeline.map((item) => [item.id, item.task]));
  const approval = await planApproval(ctx.db, plan);
  const shown = approved ? approval.revisions.find((revision) => revision.id === approved.id) : approval.revisions[0];
  const results = await ctx.db.selectFrom("kpi_results").select(["kpi_id", "actual"]).where("plan_id", "=", plan.id).execute();
  const actualOf = new Map(results.map((result) => [result.kpi_id, result.actual]));
  const entries = await ctx.db
    .selectFrom("actual_entries")
    .select(["line_id", "spent_on", "amount_fen", "vendor", "invoice_no", "note"])
    .where("plan_id", "=", plan.id)
    .orderBy("spent_on")
    .orderBy("id")
    .execute();

  const { meta } = blocks;
  return {
    plan: {
      title: meta.title || plan.title,
      campaignType: meta.campaignType,
      store: meta.store,
      startDate: meta.startDate,
      endDate: meta.endDate,
      anchor: meta.anchor,
      ownerName: names.get(plan.owner_id) ?? "",
      status: plan.status,
    },
    revision: approved ? { kind: "approved", number: approved.number } : { kind: "draft" },
    approval: shown ? approvalOf(shown) : null,
    budget,
    timeline: blocks.timeline.map((item) => ({
      phase: item.phase,
      phaseLabel: item.phaseLabel,
      task: item.task,
      start: item.start,
      end: item.end,
      owner: person(item.ownerUserId, item.owner),
      status: item.status,
      dependsOn: item.dependsOn === "" ? "" : (tasks.get(item.dependsOn) ?? "（已删除的任务）"),
    })),
    roles: blocks.roles.map((role) => ({ person: person(role.personUserId, role.person), role: role.role, duties: role.duties, contact: role.contact })),
    kpis: blocks.kpis.map((kpi) => ({ name: kpi.name, unit: kpi.unit, target: kpi.target, direction: kpi.direction, notes: kpi.notes, actual: actualOf.get(kpi.id) ?? null })),
    actuals: entries.map((entry) => ({ lineId: entry.line_id, spentOn: entry.spent_on, amountFen: entry.amount_fen, vendor: entry.vendor, invoiceNo: entry.invoice_no, note: entry.note })),
    exportedAt: now,
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
