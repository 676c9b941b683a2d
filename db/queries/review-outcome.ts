import type { ExpressionBuilder } from "kysely";
import type { PlanDisplayStatus, ReviewOutcome } from "~/domain/plan";
import type { Database } from "../schema";
import type { DbOrTx } from "./users";

/**
 * The plan's review outcome (驳回 / 退回修改): written by the decision that closes a revision
 * without approving it, cleared by the next submission; and the filter on the status members
 * see (app/domain/plan.ts displayStatus), so lists filter by what they show.
 */

export async function setReviewOutcome(db: DbOrTx, planId: string, outcome: { kind: ReviewOutcome; revisionId: number } | null): Promise<void> {
  await db
    .updateTable("plans")
    .set({ review_outcome: outcome?.kind ?? null, review_outcome_revision_id: outcome?.revisionId ?? null })
    .where("id", "=", planId)
    .execute();
}

/** `plans` rows whose display status is `status`: a returned or rejected plan is no plain 草稿. */
export function whereDisplayStatus(status: PlanDisplayStatus) {
  return (eb: ExpressionBuilder<Database, "plans">) => {
    if (status === "rejected" || status === "changesRequested") return eb.and([eb("plans.status", "=", "draft"), eb("plans.review_outcome", "=", status)]);
    if (status === "draft") return eb.and([eb("plans.status", "=", "draft"), eb("plans.review_outcome", "is", null)]);
    return eb("plans.status", "=", status);
  };
}

/**
 * Why the budget a revision changes was reopened: the reopening of its base (the last approved
 * revision before it) made before it was submitted. Every resubmission until the next approval
 * answers the same reopening.
 */
export function findReopeningOf(db: DbOrTx, baseRevisionId: number, submittedAt: number) {
  return db
    .selectFrom("budget_reopenings")
    .innerJoin("users", "users.id", "budget_reopenings.reopened_by")
    .select(["budget_reopenings.id", "budget_reopenings.reason", "budget_reopenings.reopened_at", "users.name as reopener_name"])
    .where("budget_reopenings.revision_id", "=", baseRevisionId)
    .where("budget_reopenings.reopened_at", "<=", submittedAt)
    .orderBy("budget_reopenings.reopened_at", "desc")
    .orderBy("budget_reopenings.id", "desc")
    .executeTakeFirst();
}
