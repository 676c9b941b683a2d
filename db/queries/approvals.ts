import { sql } from "kysely";
import type { BudgetSnapshot, ChosenChain, Decision, RevisionStatus, SnapshotLine } from "~/domain/approval";
import type { ApproverTitle } from "~/domain/roles";
import type { Fen } from "~/domain/money";
import type { PlanStatus } from "~/domain/plan";
import type { Quarter } from "~/domain/plan-document";
import type { ApprovalStep, BudgetRevision } from "../schema";
import { insertInChunks } from "../chunked";
import type { DbOrTx } from "./users";

export interface NewRevision {
  planId: string;
  submittedBy: number;
  submittedAt: number;
  chain: ChosenChain;
  snapshot: BudgetSnapshot;
  contentHash: string;
}

/** The revision row, its lines, category subtotals and three undecided steps; numbered after the plan's last. */
export async function insertRevision(db: DbOrTx, revision: NewRevision): Promise<BudgetRevision> {
  const last = await db
    .selectFrom("budget_revisions")
    .select((eb) => eb.fn.max("number").as("number"))
    .where("plan_id", "=", revision.planId)
    .executeTakeFirst();
  const inserted = await db
    .insertInto("budget_revisions")
    .values({
      plan_id: revision.planId,
      number: (last?.number ?? 0) + 1,
      status: "pending",
      submitted_by: revision.submittedBy,
      submitted_at: revision.submittedAt,
      chain: JSON.stringify(revision.chain),
      spend_fen: revision.snapshot.spendFen,
      income_fen: revision.snapshot.incomeFen,
      net_fen: revision.snapshot.netFen,
      content_hash: revision.contentHash,
      closed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const id = inserted.id;
  await insertInChunks(
    db,
    "revision_lines",
    revision.snapshot.lines.map((line, position) => ({
      revision_id: id,
      line_id: line.id,
      position,
      category: line.category,
      item: line.item,
      quantity_hundredths: line.quantityHundredths,
      unit: line.unit,
      unit_price_fen: line.unitPriceFen,
      amount_fen: line.amountFen,
      income: line.income ? 1 : 0,
      owner: line.owner,
      // The snapshot came from validated rows, whose quarter is one of QUARTERS.
      quarter: line.quarter as Quarter,
      note: line.note,
    })),
  );
  await insertInChunks(
    db,
    "revision_categories",
    revision.snapshot.byCategory.map((c, position) => ({ revision_id: id, position, category: c.category, spend_fen: c.spendFen, income_fen: c.incomeFen, net_fen: c.netFen })),
  );
  await insertInChunks(
    db,
    "approval_steps",
    revision.chain.chosen.steps.map((step, index) => ({ revision_id: id, step_index: index, kind: step.kind, title: step.title, decision: null, decided_by: null, decided_at: null, comment: "" })),
  );
  return inserted;
}

export function findRevision(db: DbOrTx, id: number): Promise<BudgetRevision | undefined> {
  return db.selectFrom("budget_revisions").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findPendingRevision(db: DbOrTx, planId: string): Promise<BudgetRevision | undefined> {
  return db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirst();
}

/** The plan's newest revision: the only one anyone may still decide. */
export function findLatestRevision(db: DbOrTx, planId: string): Promise<BudgetRevision | undefined> {
  return db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).orderBy("number", "desc").limit(1).executeTakeFirst();
}

/** The last approved revision numbered below `beforeNumber` (or the last at all): the base of a re-approval diff. */
export function findLastApprovedRevision(db: DbOrTx, planId: string, beforeNumber?: number): Promise<BudgetRevision | undefined> {
  let query = db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "approved");
  if (beforeNumber !== undefined) query = query.where("number", "<", beforeNumber);
  return query.orderBy("number", "desc").limit(1).executeTakeFirst();
}

export function listSteps(db: DbOrTx, revisionId: number): Promise<ApprovalStep[]> {
  return db.selectFrom("approval_steps").selectAll().where("revision_id", "=", revisionId).orderBy("step_index").execute();
}

/**
 * Records one decision, only if nobody decided the step first: of two approvers clicking at
 * once exactly one changes the row. False when the step was already decided.
 */
export async function recordDecision(
  db: DbOrTx,
  entry: { revisionId: number; stepIndex: number; decision: Decision; decidedBy: number; decidedAt: number; comment: string },
): Promise<boolean> {
  const result = await db
    .updateTable("approval_steps")
    .set({ decision: entry.decision, decided_by: entry.decidedBy, decided_at: entry.decidedAt, comment: entry.comment })
    .where("revision_id", "=", entry.revisionId)
    .where("step_index", "=", entry.stepIndex)
    .where("decision", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a pending revision; false when it had already left pending. */
export async function closeRevision(db: DbOrTx, id: number, status: Exclude<RevisionStatus, "pending">, at: number): Promise<boolean> {
  const result = await db.updateTable("budget_revisions").set({ status, closed_at: at }).where("id", "=", id).where("status", "=", "pending").executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Locks the budget for review, only if it is not locked already; false when it was. */
export async function claimBudgetLock(db: DbOrTx, planId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("plans")
    .set({ budget_locked: 1, status: "inReview", updated_at: now })
    .where("id", "=", planId)
    .where("budget_locked", "=", 0)
    .where("status", "!=", "archived")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Ends the plan's review with `state`, only if the plan is still in review: a plan archived
 * (or otherwise moved on) meanwhile is never brought back. False when it was not in review.
 */
export async function endReview(db: DbOrTx, planId: string, state: { status: PlanStatus; locked: boolean }, now: number): Promise<boolean> {
  const result = await db
    .updateTable("plans")
    .set({ status: state.status, budget_locked: state.locked ? 1 : 0, updated_at: now })
    .where("id", "=", planId)
    .where("status", "=", "inReview")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Back to draft from approved, only if still approved; false when someone else reopened it first. */
export async function unlockApprovedBudget(db: DbOrTx, planId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("plans")
    .set({ status: "draft", budget_locked: 0, updated_at: now })
    .where("id", "=", planId)
    .where("status", "=", "approved")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertReopening(db: DbOrTx, entry: { planId: string; revisionId: number; reason: string; reopenedBy: number; reopenedAt: number }): Promise<void> {
  await db
    .insertInto("budget_reopenings")
    .values({ plan_id: entry.planId, revision_id: entry.revisionId, reason: entry.reason, reopened_by: entry.reopenedBy, reopened_at: entry.reopenedAt })
    .execute();
}

/** The snapshot as stored, rebuilt from its rows: hashing it again proves nothing changed. */
export async function loadSnapshot(db: DbOrTx, revision: BudgetRevision): Promise<BudgetSnapshot> {
  const lines = await db.selectFrom("revision_lines").selectAll().where("revision_id", "=", revision.id).orderBy("position").execute();
  const categories = await db.selectFrom("revision_categories").selectAll().where("revision_id", "=", revision.id).orderBy("position").execute();
  return {
    lines: lines.map(
      (l): SnapshotLine => ({
        id: l.line_id,
        category: l.category,
        item: l.item,
        quantityHundredths: l.quantity_hundredths,
        unit: l.unit,
        unitPriceFen: l.unit_price_fen,
        amountFen: l.amount_fen,
        income: l.income === 1,
        owner: l.owner,
        quarter: l.quarter,
        note: l.note,
      }),
    ),
    byCategory: categories.map((c) => ({ category: c.category, spendFen: c.spend_fen, incomeFen: c.income_fen, netFen: c.net_fen })),
    spendFen: revision.spend_fen,
    incomeFen: revision.income_fen,
    netFen: revision.net_fen,
  };
}

export type RevisionWithNames = BudgetRevision & { submitter_name: string };
export type StepWithNames = ApprovalStep & { decider_name: string | null };

/** Every revision of a plan, newest first, with the submitter's name. */
export function listPlanRevisions(db: DbOrTx, planId: string): Promise<RevisionWithNames[]> {
  return db
    .selectFrom("budget_revisions")
    .innerJoin("users", "users.id", "budget_revisions.submitted_by")
    .selectAll("budget_revisions")
    .select("users.name as submitter_name")
    .where("budget_revisions.plan_id", "=", planId)
    .orderBy("budget_revisions.number", "desc")
    .execute();
}

/** The steps of the given revisions, in order, with the deciders' names. */
export async function listStepsOf(db: DbOrTx, revisionIds: readonly number[]): Promise<StepWithNames[]> {
  if (revisionIds.length === 0) return [];
  return db
    .selectFrom("approval_steps")
    .leftJoin("users", "users.id", "approval_steps.decided_by")
    .selectAll("approval_steps")
    .select("users.name as decider_name")
    .where("approval_steps.revision_id", "in", [...revisionIds])
    .orderBy("approval_steps.revision_id")
    .orderBy("approval_steps.step_index")
    .execute();
}

export function listPlanReopenings(db: DbOrTx, planId: string) {
  return db
    .selectFrom("budget_reopenings")
    .innerJoin("users", "users.id", "budget_reopenings.reopened_by")
    .selectAll("budget_reopenings")
    .select("users.name as reopener_name")
    .where("budget_reopenings.plan_id", "=", planId)
    .orderBy("budget_reopenings.reopened_at", "desc")
    .orderBy("budget_reopenings.id", "desc")
    .execute();
}

export interface InboxRow {
  revision_id: number;
  number: number;
  plan_id: string;
  plan_title: string;
  spend_fen: Fen;
  net_fen: Fen;
  submitted_at: number;
  submitter_name: string;
  step_index: number;
  /** When the step became the one to decide: the previous step's decision, or the submission. */
  waiting_since: number;
}

/**
 * Pending revisions whose next undecided step asks for this title, other than the member's
 * own submissions; the step that became theirs most recently first.
 */
function inboxQuery(db: DbOrTx, actor: { id: number; title: ApproverTitle }) {
  return db
    .selectFrom("budget_revisions as r")
    .innerJoin("approval_steps as s", "s.revision_id", "r.id")
    .innerJoin("plans as p", "p.id", "r.plan_id")
    .innerJoin("users as u", "u.id", "r.submitted_by")
    .where("r.status", "=", "pending")
    .where("r.submitted_by", "!=", actor.id)
    .where("s.title", "=", actor.title)
    .where("s.decision", "is", null)
    .where(sql<boolean>`s.step_index = (SELECT min(n.step_index) FROM approval_steps n WHERE n.revision_id = r.id AND n.decision IS NULL)`)
    // A step handed over (转交) waits only for its assignee.
    .where(sql<boolean>`coalesce((SELECT d.to_user_id FROM approval_delegations d WHERE d.revision_id = r.id AND d.step_index = s.step_index ORDER BY d.seq DESC LIMIT 1), ${actor.id}) = ${actor.id}`);
}

export function listInbox(db: DbOrTx, actor: { id: number; title: ApproverTitle }): Promise<InboxRow[]> {
  return inboxQuery(db, actor)
    .select([
      "r.id as revision_id",
      "r.number",
      "r.plan_id",
      "p.title as plan_title",
      "r.spend_fen",
      "r.net_fen",
      "r.submitted_at",
      "u.name as submitter_name",
      "s.step_index",
      sql<number>`coalesce((SELECT max(d.decided_at) FROM approval_steps d WHERE d.revision_id = r.id AND d.step_index < s.step_index), r.submitted_at)`.as("waiting_since"),
    ])
    .orderBy("waiting_since", "desc")
    .orderBy("r.id", "desc")
    .limit(200)
    .execute();
}

export async function countInbox(db: DbOrTx, actor: { id: number; title: ApproverTitle }): Promise<number> {
  const row = await inboxQuery(db, actor)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A submission locks the budget before it snapshots the document; a crash in between leaves
 * a plan in review with no revision to decide. Run at start-up: such plans go back to draft.
 */
export async function releaseOrphanedBudgetLocks(db: DbOrTx, now: number): Promise<string[]> {
  const orphans = await db
    .selectFrom("plans")
    .select("id")
    .where("status", "=", "inReview")
    .where("budget_locked", "=", 1)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("budget_revisions").select("id").whereRef("budget_revisions.plan_id", "=", "plans.id").where("budget_revisions.status", "=", "pending"))))
    .execute();
  const ids = orphans.map((row) => row.id);
  if (ids.length > 0) await db.updateTable("plans").set({ status: "draft", budget_locked: 0, updated_at: now }).where("id", "in", ids).execute();
  return ids;
}
