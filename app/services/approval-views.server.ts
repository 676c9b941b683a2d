import {
  countInbox,
  findLastApprovedRevision,
  findLatestRevision,
  findRevision,
  listInbox,
  listPlanReopenings,
  listPlanRevisions,
  listStepsOf,
  loadSnapshot,
  type StepWithNames,
} from "../../db/queries/approvals";
import { findPlanById } from "../../db/queries/plans";
import { findUserById } from "../../db/queries/users";
import type { Db } from "../../db/client";
import type { BudgetRevision, Plan } from "../../db/schema";
import { chooseChain, type AuthorityMatrix, type BudgetSnapshot, type ChosenChain, type Decision, type RevisionStatus } from "~/domain/approval";
import { diffBudgets, type BudgetDiff } from "~/domain/budget-diff";
import { fen, type Fen } from "~/domain/money";
import type { ApproverTitle } from "~/domain/roles";
import { loadAuthorityMatrix } from "./authority.server";

/**
 * Reading the approval workflow: the plan's approval panel (revisions, reopenings, the chain
 * a submission would get now), the approver's inbox and the review page with its diff.
 */


export interface StepView {
  index: number;
  kind: StepWithNames["kind"];
  title: ApproverTitle;
  decision: Decision | null;
  deciderId: number | null;
  deciderName: string | null;
  decidedAt: number | null;
  comment: string;
}

export interface RevisionView {
  id: number;
  number: number;
  status: RevisionStatus;
  submitterId: number;
  submitterName: string;
  submittedAt: number;
  closedAt: number | null;
  spendFen: Fen;
  incomeFen: Fen;
  netFen: Fen;
  chain: ChosenChain;
  steps: StepView[];
}

function stepView(s: StepWithNames): StepView {
  return { index: s.step_index, kind: s.kind, title: s.title, decision: s.decision, deciderId: s.decided_by, deciderName: s.decider_name, decidedAt: s.decided_at, comment: s.comment };
}

function revisionView(r: BudgetRevision & { submitter_name: string }, steps: readonly StepWithNames[]): RevisionView {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    submitterId: r.submitted_by,
    submitterName: r.submitter_name,
    submittedAt: r.submitted_at,
    closedAt: r.closed_at,
    spendFen: r.spend_fen,
    incomeFen: r.income_fen,
    netFen: r.net_fen,
    chain: JSON.parse(r.chain) as ChosenChain,
    steps: steps.filter((s) => s.revision_id === r.id).map(stepView),
  };
}

/** The index of the step to decide next, or null when none is left. */
export function nextStepIndex(steps: readonly StepView[]): number | null {
  return steps.find((s) => s.decision === null)?.index ?? null;
}

export interface PlanApproval {
  /** Every revision, newest first. */
  revisions: RevisionView[];
  reopenings: { revisionId: number; reason: string; reopenerName: string; reopenedAt: number }[];
  pending: RevisionView | null;
  lastApproved: RevisionView | null;
  /** The chain the projected budget would get if submitted now, and why. */
  preview: ChosenChain;
  /** The authority matrix the preview was chosen by, so the page can re-choose from the live document. */
  matrix: AuthorityMatrix;
  projected: { spendFen: Fen; netFen: Fen; lineCount: number; tbdCount: number };
}

export async function planApproval(db: Db, plan: Plan): Promise<PlanApproval> {
  const rows = await listPlanRevisions(db, plan.id);
  const steps = await listStepsOf(db, rows.map((r) => r.id));
  const revisions = rows.map((r) => revisionView(r, steps));
  const byCategory = await db
    .selectFrom("budget_lines")
    .select(["category", (eb) => eb.fn.sum<number>("amount_fen").as("spend_fen"), (eb) => eb.fn.min<number>("position").as("first")])
    .where("plan_id", "=", plan.id)
    .where("income", "=", 0)
    .where("amount_fen", "is not", null)
    .groupBy("category")
    .orderBy("first")
    .execute();
  const matrix = await loadAuthorityMatrix(db);
  const preview = chooseChain(matrix, { spendFen: plan.spend_fen, byCategory: byCategory.map((c) => ({ category: c.category, spendFen: fen(Number(c.spend_fen)) })) });
  const reopenings = await listPlanReopenings(db, plan.id);
  return {
    revisions,
    reopenings: reopenings.map((r) => ({ revisionId: r.revision_id, reason: r.reason, reopenerName: r.reopener_name, reopenedAt: r.reopened_at })),
    pending: revisions.find((r) => r.status === "pending") ?? null,
    lastApproved: revisions.find((r) => r.status === "approved") ?? null,
    preview,
    matrix,
    projected: { spendFen: plan.spend_fen, netFen: plan.net_fen, lineCount: plan.budget_line_count, tbdCount: plan.tbd_count },
  };
}

export interface InboxEntry {
  revisionId: number;
  number: number;
  planId: string;
  planTitle: string;
  spendFen: Fen;
  netFen: Fen;
  submitterName: string;
  submittedAt: number;
  stepIndex: number;
  waitingSince: number;
  steps: StepView[];
}

/** What waits for this member's title, the most recently arrived first; nothing for members without one. */
export async function approvalInbox(db: Db, actor: { id: number; title: ApproverTitle | null }): Promise<InboxEntry[]> {
  if (actor.title === null) return [];
  const rows = await listInbox(db, { id: actor.id, title: actor.title });
  const steps = await listStepsOf(db, rows.map((r) => r.revision_id));
  return rows.map((r) => ({
    revisionId: r.revision_id,
    number: r.number,
    planId: r.plan_id,
    planTitle: r.plan_title,
    spendFen: r.spend_fen,
    netFen: r.net_fen,
    submitterName: r.submitter_name,
    submittedAt: r.submitted_at,
    stepIndex: r.step_index,
    waitingSince: r.waiting_since,
    steps: steps.filter((s) => s.revision_id === r.revision_id).map(stepView),
  }));
}

export function approvalInboxCount(db: Db, actor: { id: number; title: ApproverTitle | null }): Promise<number> {
  return actor.title === null ? Promise.resolve(0) : countInbox(db, { id: actor.id, title: actor.title });
}

export interface RevisionReview {
  plan: Plan;
  revision: RevisionView;
  isCurrent: boolean;
  snapshot: BudgetSnapshot;
  /** Against the last approved revision before this one; null for a first approval. */
  base: { number: number; netFen: Fen } | null;
  diff: BudgetDiff | null;
  changeLimitPercent: number;
}

export async function revisionReview(db: Db, revisionId: number, matrix?: AuthorityMatrix): Promise<RevisionReview | null> {
  const row = await findRevision(db, revisionId);
  const plan = row && (await findPlanById(db, row.plan_id));
  if (!row || !plan) return null;
  const submitter = await findUserById(db, row.submitted_by);
  const steps = await listStepsOf(db, [row.id]);
  const snapshot = await loadSnapshot(db, row);
  const base = await findLastApprovedRevision(db, plan.id, row.number);
  const { changeLimitPercent } = matrix ?? (await loadAuthorityMatrix(db));
  const latest = await findLatestRevision(db, plan.id);
  return {
    plan,
    revision: revisionView({ ...row, submitter_name: submitter?.name ?? "" }, steps),
    isCurrent: latest?.id === row.id,
    snapshot,
    base: base ? { number: base.number, netFen: base.net_fen } : null,
    diff: base ? diffBudgets(await loadSnapshot(db, base), snapshot, changeLimitPercent) : null,
    changeLimitPercent,
  };
}
