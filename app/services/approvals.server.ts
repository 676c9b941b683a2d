import { createHash } from "node:crypto";
import {
  claimBudgetLock,
  closeRevision,
  endReview,
  findLastApprovedRevision,
  findLatestRevision,
  findPendingRevision,
  findRevision,
  insertReopening,
  insertRevision,
  listSteps,
  recordDecision,
  unlockApprovedBudget,
} from "../../db/queries/approvals";
import { listAssignees } from "../../db/queries/approval-center";
import { recordAudit } from "../../db/queries/audit";
import { findPlanById } from "../../db/queries/plans";
import { setReviewOutcome } from "../../db/queries/review-outcome";
import { findUserById } from "../../db/queries/users";
import type { Db } from "../../db/client";
import type { BudgetRevision, Plan } from "../../db/schema";
import { loadAuthorityMatrix } from "./authority.server";
import type { Auth, CollabControl } from "./context";
import { takeWorkflowVersion } from "./history.server";
import { publishNotifications } from "./notifications.server";
import { notifyApprovalTurn, notifyDecision, notifyReopened } from "./notification-producers.server";
import {
  canonicalSnapshot,
  chooseChain,
  decisionRefusal,
  stepsDecidedWith,
  revisionStatusAfter,
  takeSnapshot,
  type BudgetSnapshot,
  type Decision,
  type DecisionRefusal,
  type RevisionStatus,
  type StepState,
  type SubmitRefusal,
} from "~/domain/approval";
import { readBlock, readDocument } from "~/domain/plan-document";

/**
 * The budget approval workflow: submit (lock, then snapshot the live document), withdraw,
 * decide a step, reopen an approved budget. Each change is one transaction with its audit
 * entry; the collaboration server is told after commit whenever the budget lock moved, so
 * open editors are re-judged against it.
 */

export interface ApprovalContext {
  db: Db;
  collab: CollabControl;
}

export type ApprovalErrorCode =
  | SubmitRefusal
  | DecisionRefusal["code"]
  | "alreadyPending"
  | "approvedLocked"
  | "budgetLocked"
  | "notPending"
  | "notSubmitter"
  | "notApproved"
  | "planArchived"
  | "notFound";

export type ApprovalFailure = { ok: false; status: 400 | 403 | 404 | 409; code: ApprovalErrorCode; count?: number };
export type ApprovalOutcome<T> = ({ ok: true } & T) | ApprovalFailure;

const fail = (status: ApprovalFailure["status"], code: ApprovalErrorCode, count?: number): ApprovalFailure => ({ ok: false, status, code, ...(count !== undefined && { count }) });

export function snapshotHash(snapshot: BudgetSnapshot): string {
  return createHash("sha256").update(canonicalSnapshot(snapshot)).digest("hex");
}

/** Spend per category as the chain choice reads it, from a snapshot's subtotals. */
function spendOf(snapshot: Pick<BudgetSnapshot, "spendFen" | "byCategory">) {
  return { spendFen: snapshot.spendFen, byCategory: snapshot.byCategory.map((c) => ({ category: c.category, spendFen: c.spendFen })) };
}

/**
 * Locks first, then snapshots: once the lock is in the database and the live room knows it,
 * no budget edit can land, so the document read afterwards is exactly what is submitted.
 */
export async function submitBudget(ctx: ApprovalContext, auth: Auth, plan: Plan, now = Date.now()): Promise<ApprovalOutcome<{ revision: BudgetRevision }>> {
  const claimed = await ctx.db.transaction().execute((trx) => claimBudgetLock(trx, plan.id, now));
  if (!claimed) {
    if (await findPendingRevision(ctx.db, plan.id)) return fail(409, "alreadyPending");
    const current = await findPlanById(ctx.db, plan.id);
    return fail(409, current?.status === "approved" ? "approvedLocked" : "budgetLocked");
  }
  const unlock = async () => {
    // Only while still in review: a plan archived meanwhile stays archived.
    await ctx.db.transaction().execute((trx) => endReview(trx, plan.id, { status: plan.status === "inReview" ? "draft" : plan.status, locked: false }, Date.now()));
    await ctx.collab.planChanged(plan.id);
  };
  let submitted: { revision: BudgetRevision; state: Uint8Array };
  try {
    await ctx.collab.planChanged(plan.id);
    // Read once: the submitted budget and the "submitted" version are the same document state.
    const state = await ctx.collab.documentState(plan.id, { stored: true });
    const budget = readDocument(state, (doc) => readBlock(doc, "budget"));
    const taken = takeSnapshot(budget.rows, budget.invalid.length);
    if (!taken.ok) {
      await unlock();
      return fail(400, taken.refusal, taken.count);
    }
    const { snapshot } = taken;
    const matrix = await loadAuthorityMatrix(ctx.db);
    const chain = chooseChain(matrix, spendOf(snapshot));
    let notified: number[] = [];
    const revision = await ctx.db.transaction().execute(async (trx) => {
      // Archiving between the lock and here ended the review: nothing is left to submit.
      if ((await findPlanById(trx, plan.id))?.status !== "inReview") return null;
      const inserted = await insertRevision(trx, { planId: plan.id, submittedBy: auth.user.id, submittedAt: now, chain, snapshot, contentHash: snapshotHash(snapshot) });
      // Resubmitted: the last review's 驳回 / 退回修改 no longer describes the plan.
      await setReviewOutcome(trx, plan.id, null);
      await recordAudit(trx, {
        actorId: auth.user.id,
        action: "approval.submit",
        targetType: "plan",
        targetId: plan.id,
        detail: { revision: inserted.number, spendFen: snapshot.spendFen, netFen: snapshot.netFen, lines: snapshot.lines.length, chain: chain.chosen.steps.map((s) => s.title) },
        at: now,
      });
      notified = await notifyApprovalTurn(trx, inserted.id, auth.user.id, now);
      return inserted;
    });
    if (!revision) return fail(409, "planArchived");
    publishNotifications(notified);
    submitted = { revision, state };
  } catch (error) {
    await unlock();
    throw error;
  }
  // Outside the try: the submission stands whatever happens to its version.
  await takeWorkflowVersion(ctx, plan.id, "submitted", auth.user.id, { state: submitted.state, at: now });
  return { ok: true, revision: submitted.revision };
}

/** The submitter takes a pending revision back: the budget unlocks and the plan is a draft again. */
export async function withdrawRevision(ctx: ApprovalContext, auth: Auth, plan: Plan, now = Date.now()): Promise<ApprovalOutcome<{ revision: BudgetRevision }>> {
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<ApprovalOutcome<{ revision: BudgetRevision }>> => {
    const pending = await findPendingRevision(trx, plan.id);
    if (!pending) return fail(409, "notPending");
    if (pending.submitted_by !== auth.user.id) return fail(403, "notSubmitter");
    if (!(await closeRevision(trx, pending.id, "withdrawn", now))) return fail(409, "notPending");
    await endReview(trx, plan.id, { status: "draft", locked: false }, now);
    await recordAudit(trx, { actorId: auth.user.id, action: "approval.withdraw", targetType: "plan", targetId: plan.id, detail: { revision: pending.number }, at: now });
    return { ok: true, revision: pending };
  });
  if (outcome.ok) await ctx.collab.planChanged(plan.id);
  return outcome;
}

export interface DecisionInput {
  revisionId: number;
  stepIndex: number;
  decision: Decision;
  comment: string;
}

/**
 * One step's decision. The actor is read fresh (a deactivation or title change counts at
 * once), the rules judge it, and the row is written only if the step is still undecided.
 */
export async function decideStep(ctx: ApprovalContext, actorId: number, input: DecisionInput, now = Date.now()): Promise<ApprovalOutcome<{ status: RevisionStatus; planId: string }>> {
  let notified: number[] = [];
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<ApprovalOutcome<{ status: RevisionStatus; planId: string; unlocked: boolean }>> => {
    const revision = await findRevision(trx, input.revisionId);
    if (!revision) return fail(404, "notFound");
    // Archiving withdraws the pending revision; the plan's own state says why a late decision is refused.
    if ((await findPlanById(trx, revision.plan_id))?.status === "archived") return fail(409, "planArchived");
    const steps = await listSteps(trx, revision.id);
    const actor = await findUserById(trx, actorId);
    const latest = await findLatestRevision(trx, revision.plan_id);
    const assignees = await listAssignees(trx, [revision.id]);
    const stepStates: StepState[] = steps.map((s) => ({
      index: s.step_index,
      title: s.title,
      decision: s.decision,
      decidedBy: s.decided_by,
      assigneeId: assignees.find((a) => a.step_index === s.step_index)?.to_user_id ?? null,
    }));
    const comment = input.comment.trim();
    const refusal = decisionRefusal({
      actor: { id: actorId, active: actor?.active === 1, title: actor?.title ?? null },
      revision: { status: revision.status, submittedBy: revision.submitted_by, isCurrent: latest?.id === revision.id },
      steps: stepStates,
      stepIndex: input.stepIndex,
      decision: input.decision,
      comment,
    });
    if (refusal) return fail(refusal.status, refusal.code);
    // One decision covers the step's group (董事长 for 核准 and 审批): every row of it, or none.
    const [first, ...rest] = stepsDecidedWith(stepStates, input.stepIndex);
    const record = (stepIndex: number) => recordDecision(trx, { revisionId: revision.id, stepIndex, decision: input.decision, decidedBy: actorId, decidedAt: now, comment });
    if (first === undefined || !(await record(first))) return fail(409, "alreadyDecided");
    for (const stepIndex of rest) {
      if (!(await record(stepIndex))) throw new Error(`step ${stepIndex} of revision ${revision.id} was decided apart from its group`);
    }
    const status = revisionStatusAfter(stepStates, input.stepIndex, input.decision);
    if (status !== "pending") {
      await closeRevision(trx, revision.id, status, now);
      // Approved: the budget stays locked as the plan's approved budget. Otherwise it goes back to the planners.
      const ended = await endReview(trx, revision.plan_id, status === "approved" ? { status: "approved", locked: true } : { status: "draft", locked: false }, now);
      // A pending revision always has its plan in review; if not, roll the decision back rather than move the plan.
      if (!ended) throw new Error(`plan ${revision.plan_id} is not in review while revision ${revision.id} was pending`);
      if (status === "rejected" || status === "changesRequested") await setReviewOutcome(trx, revision.plan_id, { kind: status, revisionId: revision.id });
    }
    notified = await notifyDecision(trx, { revisionId: revision.id, status, actorId, comment, at: now });
    await recordAudit(trx, {
      actorId,
      action: "approval.decide",
      targetType: "plan",
      targetId: revision.plan_id,
      detail: { revision: revision.number, step: input.stepIndex, steps: [first, ...rest], decision: input.decision, comment, outcome: status },
      at: now,
    });
    return { ok: true, status, planId: revision.plan_id, unlocked: status !== "pending" && status !== "approved" };
  });
  if (!outcome.ok) return outcome;
  publishNotifications(notified);
  if (outcome.unlocked) await ctx.collab.planChanged(outcome.planId);
  // The budget is locked as approved: the version holds exactly the approved budget.
  if (outcome.status === "approved") await takeWorkflowVersion(ctx, outcome.planId, "approved", actorId, { at: now });
  return { ok: true, status: outcome.status, planId: outcome.planId };
}

/** An editor reopens an approved budget for changes; the approved revision stays as the base of the next diff. */
export async function reopenBudget(ctx: ApprovalContext, auth: Auth, plan: Plan, reason: string, now = Date.now()): Promise<ApprovalOutcome<object>> {
  let notified: number[] = [];
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<ApprovalOutcome<object>> => {
    const approved = await findLastApprovedRevision(trx, plan.id);
    if (!approved || !(await unlockApprovedBudget(trx, plan.id, now))) return fail(409, "notApproved");
    await insertReopening(trx, { planId: plan.id, revisionId: approved.id, reason, reopenedBy: auth.user.id, reopenedAt: now });
    notified = await notifyReopened(trx, { planId: plan.id, revisionId: approved.id, reason, actorId: auth.user.id, at: now });
    await recordAudit(trx, { actorId: auth.user.id, action: "approval.reopen", targetType: "plan", targetId: plan.id, detail: { revision: approved.number, reason }, at: now });
    return { ok: true };
  });
  if (outcome.ok) {
    publishNotifications(notified);
    await ctx.collab.planChanged(plan.id);
    await takeWorkflowVersion(ctx, plan.id, "reopened", auth.user.id, { at: now });
  }
  return outcome;
}
