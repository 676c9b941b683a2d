import { findLastApprovedRevision, findRevision, listStepsOf } from "../../db/queries/approvals";
import { findReopeningOf } from "../../db/queries/review-outcome";
import type { DbOrTx } from "../../db/queries/users";
import type { Plan } from "../../db/schema";
import { displayStatus, type ReviewOutcome } from "~/domain/plan";

/**
 * What a planner and an approver need to read about a review that did not approve: the
 * decision pinned on the plan page (who, when, why, which revision), and on the review page
 * why the approved budget it changes was reopened.
 */

export interface ReviewOutcomeView {
  kind: ReviewOutcome;
  revisionId: number;
  revisionNumber: number;
  deciderName: string;
  comment: string;
  decidedAt: number;
}

/** The decision that sent the plan back, while the plan shows it (until the next submission). */
export async function planReviewOutcome(db: DbOrTx, plan: Plan): Promise<ReviewOutcomeView | null> {
  const shown = displayStatus(plan);
  if ((shown !== "rejected" && shown !== "changesRequested") || plan.review_outcome_revision_id === null) return null;
  const revision = await findRevision(db, plan.review_outcome_revision_id);
  const decision = shown === "rejected" ? "reject" : "requestChanges";
  const step = (await listStepsOf(db, [plan.review_outcome_revision_id])).find((s) => s.decision === decision);
  if (!revision || !step || step.decided_at === null) return null;
  return { kind: shown, revisionId: revision.id, revisionNumber: revision.number, deciderName: step.decider_name ?? "", comment: step.comment, decidedAt: step.decided_at };
}

export interface ReopeningView {
  reason: string;
  reopenerName: string;
  reopenedAt: number;
  /** The approved revision that was reopened. */
  revisionNumber: number;
}

/** Why the approved budget this revision changes was reopened; null for a first submission. */
export async function revisionReopening(db: DbOrTx, revision: { id: number; plan_id: string; number: number; submitted_at: number }): Promise<ReopeningView | null> {
  const base = await findLastApprovedRevision(db, revision.plan_id, revision.number);
  if (!base) return null;
  const reopening = await findReopeningOf(db, base.id, revision.submitted_at);
  return reopening ? { reason: reopening.reason, reopenerName: reopening.reopener_name, reopenedAt: reopening.reopened_at, revisionNumber: base.number } : null;
}
