import type { RevisionStatus } from "~/domain/approval";
import type { PlanAccess } from "~/domain/plan";
import { findRevision, listSteps } from "../../db/queries/approvals";
import { findPlanMember, latestReopeningId } from "../../db/queries/notifications";
import { findPlanById } from "../../db/queries/plans";
import { findUserById, type DbOrTx } from "../../db/queries/users";
import { stepDeciders } from "./approval-center.server";
import { notify } from "./notifications.server";

/**
 * The approval workflow's and plan sharing's notifications, written inside the caller's
 * transaction so a notification exists exactly when its event does. Each returns the
 * members notified; the caller publishes them after commit.
 */

async function nameOf(db: DbOrTx, userId: number): Promise<string> {
  return (await findUserById(db, userId))?.name ?? "";
}

/** 轮到你审批: the revision's first undecided step, to whoever must decide it (the approval center's rule: its assignee, else its title's holders but the submitter). */
export async function notifyApprovalTurn(trx: DbOrTx, revisionId: number, actorId: number, at: number): Promise<number[]> {
  const revision = await findRevision(trx, revisionId);
  if (!revision || revision.status !== "pending") return [];
  const plan = await findPlanById(trx, revision.plan_id);
  const step = (await listSteps(trx, revision.id)).find((s) => s.decision === null);
  if (!plan || !step) return [];
  return notify(trx, {
    event: {
      kind: "approvalTurn",
      planTitle: plan.title,
      revisionId: revision.id,
      revisionNumber: revision.number,
      stepIndex: step.step_index,
      stepKind: step.kind,
      totalFen: revision.spend_fen,
    },
    planId: plan.id,
    actorId,
    recipients: await stepDeciders(trx, revision.id, step.step_index),
    dedupeKey: `approvalTurn:${revision.id}:${step.step_index}`,
    at,
  });
}

/** A step was decided: the next turn while pending, else the outcome (with the comment) to the submitter and the plan's owner. */
export async function notifyDecision(
  trx: DbOrTx,
  input: { revisionId: number; status: RevisionStatus; actorId: number; comment: string; at: number },
): Promise<number[]> {
  if (input.status === "pending") return notifyApprovalTurn(trx, input.revisionId, input.actorId, input.at);
  if (input.status === "withdrawn") return [];
  const revision = await findRevision(trx, input.revisionId);
  const plan = revision && (await findPlanById(trx, revision.plan_id));
  if (!revision || !plan) return [];
  const common = { planTitle: plan.title, revisionId: revision.id, revisionNumber: revision.number, deciderName: await nameOf(trx, input.actorId) };
  const event =
    input.status === "approved"
      ? { kind: "approved" as const, ...common }
      : { kind: input.status === "rejected" ? ("rejected" as const) : ("returned" as const), ...common, comment: input.comment };
  return notify(trx, {
    event,
    planId: plan.id,
    actorId: input.actorId,
    recipients: [revision.submitted_by, plan.owner_id],
    dedupeKey: `decision:${revision.id}`,
    at: input.at,
  });
}

/** 方案已重新打开: to everyone who decided the approved revision, and the plan's owner, with the reason. */
export async function notifyReopened(
  trx: DbOrTx,
  input: { planId: string; revisionId: number; reason: string; actorId: number; at: number },
): Promise<number[]> {
  const plan = await findPlanById(trx, input.planId);
  const revision = await findRevision(trx, input.revisionId);
  const reopeningId = await latestReopeningId(trx, input.planId);
  if (!plan || !revision || reopeningId === null) return [];
  const deciders = (await listSteps(trx, revision.id)).flatMap((s) => (s.decided_by === null ? [] : [s.decided_by]));
  return notify(trx, {
    event: {
      kind: "reopened",
      planTitle: plan.title,
      revisionId: revision.id,
      revisionNumber: revision.number,
      reason: input.reason,
      actorName: await nameOf(trx, input.actorId),
    },
    planId: plan.id,
    actorId: input.actorId,
    recipients: [...deciders, plan.owner_id],
    dedupeKey: `reopened:${reopeningId}`,
    at: input.at,
  });
}

/** 你被加入方案: only when this change added the member (an access change keeps the first added_at, so its key repeats). */
export async function notifyAddedToPlan(
  trx: DbOrTx,
  input: { planId: string; userId: number; access: PlanAccess; actorId: number; at: number },
): Promise<number[]> {
  const member = await findPlanMember(trx, input.planId, input.userId);
  const plan = await findPlanById(trx, input.planId);
  if (!member || !plan || member.added_at !== input.at) return [];
  return notify(trx, {
    event: { kind: "addedToPlan", planTitle: plan.title, actorName: await nameOf(trx, input.actorId), access: input.access },
    planId: plan.id,
    actorId: input.actorId,
    recipients: [input.userId],
    dedupeKey: `addedToPlan:${plan.id}:${member.added_at}`,
    at: input.at,
  });
}
