import { sql, type RawBuilder } from "kysely";
import type { RevisionStatus, SlaHours, StepKind } from "~/domain/approval";
import type { ApprovalTab } from "~/domain/approval-sla";
import type { Fen } from "~/domain/money";
import type { ApproverTitle } from "~/domain/roles";
import type { DbOrTx } from "./users";

/**
 * The approval center: its four tabs (待我审批, 我已审批, 我发起的, 抄送我), delegations
 * (转交) and overdue reminders. A delegation is recorded on the step that was current, the
 * first of its decision's group; its latest row names the step's assignee.
 */


export interface CenterFilter {
  /** Part of the plan title, matched literally. */
  q?: string;
  status?: RevisionStatus;
  /** Inclusive. */
  fromMs?: number;
  /** Exclusive. */
  toMs?: number;
}

export interface CenterMe {
  id: number;
  title: ApproverTitle | null;
}

const CURRENT_INDEX = sql<number>`(SELECT min(n.step_index) FROM approval_steps n WHERE n.revision_id = r.id AND n.decision IS NULL)`;
const ASSIGNEE = sql<number | null>`(SELECT d.to_user_id FROM approval_delegations d WHERE d.revision_id = r.id AND d.step_index = ${CURRENT_INDEX} ORDER BY d.seq DESC LIMIT 1)`;

/** The revision's current step asks for my title and was not handed to someone else, or was handed to me. */
function waitingOnMe(me: CenterMe): RawBuilder<boolean> {
  if (me.title === null) return sql<boolean>`0`;
  return sql<boolean>`(r.status = 'pending' AND r.submitted_by <> ${me.id}
    AND EXISTS (SELECT 1 FROM approval_steps c WHERE c.revision_id = r.id AND c.step_index = ${CURRENT_INDEX} AND c.title = ${me.title})
    AND coalesce(${ASSIGNEE}, ${me.id}) = ${me.id})`;
}

const decidedBy = (me: CenterMe) => sql<boolean>`EXISTS (SELECT 1 FROM approval_steps m WHERE m.revision_id = r.id AND m.decided_by = ${me.id})`;

function tabCondition(tab: ApprovalTab, me: CenterMe): RawBuilder<boolean> {
  switch (tab) {
    case "waiting":
      return waitingOnMe(me);
    case "decided":
      return decidedBy(me);
    case "submitted":
      return sql<boolean>`r.submitted_by = ${me.id}`;
    case "cc":
      return sql<boolean>`((p.owner_id = ${me.id} OR EXISTS (SELECT 1 FROM plan_members pm WHERE pm.plan_id = p.id AND pm.user_id = ${me.id}))
        AND r.submitted_by <> ${me.id} AND NOT ${decidedBy(me)} AND NOT ${waitingOnMe(me)})`;
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: DbOrTx, tab: ApprovalTab, me: CenterMe, filter: CenterFilter) {
  let query = db
    .selectFrom("budget_revisions as r")
    .innerJoin("plans as p", "p.id", "r.plan_id")
    .innerJoin("users as u", "u.id", "r.submitted_by")
    .where(tabCondition(tab, me));
  if (filter.q) query = query.where(sql<boolean>`p.title LIKE ${`%${escapeLike(filter.q)}%`} ESCAPE '\\'`);
  if (filter.status) query = query.where("r.status", "=", filter.status);
  if (filter.fromMs !== undefined) query = query.where("r.submitted_at", ">=", filter.fromMs);
  if (filter.toMs !== undefined) query = query.where("r.submitted_at", "<", filter.toMs);
  return query;
}

export async function countTab(db: DbOrTx, tab: ApprovalTab, me: CenterMe, filter: CenterFilter): Promise<number> {
  const row = await filtered(db, tab, me, filter)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CenterRow {
  revision_id: number;
  number: number;
  status: RevisionStatus;
  plan_id: string;
  plan_title: string;
  spend_fen: Fen;
  submitted_by: number;
  submitter_name: string;
  submitted_at: number;
  closed_at: number | null;
}

/**
 * One page of a tab. 待我审批: overdue steps first, the most overdue on top, then the rest by
 * the step that became mine most recently; the other tabs: newest submission first.
 */
export function listTab(db: DbOrTx, tab: ApprovalTab, me: CenterMe, filter: CenterFilter, page: { limit: number; offset: number; now: number; sla: SlaHours }): Promise<CenterRow[]> {
  let query = filtered(db, tab, me, filter).select([
    "r.id as revision_id",
    "r.number",
    "r.status",
    "r.plan_id",
    "p.title as plan_title",
    "r.spend_fen",
    "r.submitted_by",
    "u.name as submitter_name",
    "r.submitted_at",
    "r.closed_at",
  ]);
  if (tab === "waiting") {
    const since = sql<number>`coalesce((SELECT max(d.decided_at) FROM approval_steps d WHERE d.revision_id = r.id AND d.step_index < ${CURRENT_INDEX}), r.submitted_at)`;
    const hours = sql<number>`(SELECT CASE c.kind WHEN 'review' THEN ${page.sla.review} WHEN 'endorse' THEN ${page.sla.endorse} ELSE ${page.sla.approve} END
      FROM approval_steps c WHERE c.revision_id = r.id AND c.step_index = ${CURRENT_INDEX})`;
    const due = sql<number>`(${since} + ${hours} * 3600000)`;
    query = query
      .orderBy(sql`CASE WHEN ${due} <= ${page.now} THEN 0 ELSE 1 END`)
      .orderBy(sql`CASE WHEN ${due} <= ${page.now} THEN ${due} END`)
      .orderBy(sql`${since}`, "desc");
  } else {
    query = query.orderBy("r.submitted_at", "desc");
  }
  return query.orderBy("r.id", "desc").limit(page.limit).offset(page.offset).execute();
}

export interface AssigneeRow {
  revision_id: number;
  step_index: number;
  to_user_id: number;
  to_name: string;
}

/** The latest delegation of each step of the given revisions: who each handed-over step belongs to now. */
export async function listAssignees(db: DbOrTx, revisionIds: readonly number[]): Promise<AssigneeRow[]> {
  if (revisionIds.length === 0) return [];
  return db
    .selectFrom("approval_delegations as d")
    .innerJoin("users as u", "u.id", "d.to_user_id")
    .select(["d.revision_id", "d.step_index", "d.to_user_id", "u.name as to_name"])
    .where("d.revision_id", "in", [...revisionIds])
    .where(sql<boolean>`d.seq = (SELECT max(x.seq) FROM approval_delegations x WHERE x.revision_id = d.revision_id AND x.step_index = d.step_index)`)
    .execute();
}

export interface DelegationRow {
  id: number;
  step_index: number;
  from_user_id: number;
  from_name: string;
  to_user_id: number;
  to_name: string;
  reason: string;
  at: number;
}

export function listDelegations(db: DbOrTx, revisionId: number): Promise<DelegationRow[]> {
  return db
    .selectFrom("approval_delegations as d")
    .innerJoin("users as f", "f.id", "d.from_user_id")
    .innerJoin("users as t", "t.id", "d.to_user_id")
    .select(["d.id", "d.step_index", "d.from_user_id", "f.name as from_name", "d.to_user_id", "t.name as to_name", "d.reason", "d.at"])
    .where("d.revision_id", "=", revisionId)
    .orderBy("d.id")
    .execute();
}

export async function lastDelegationSeq(db: DbOrTx, revisionId: number, stepIndex: number): Promise<number> {
  const row = await db
    .selectFrom("approval_delegations")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("revision_id", "=", revisionId)
    .where("step_index", "=", stepIndex)
    .executeTakeFirst();
  return row?.seq ?? 0;
}

/**
 * Records a delegation numbered `seq`; null when another delegation took that number first,
 * so of two raced from the same state exactly one is recorded.
 */
export async function insertDelegation(
  db: DbOrTx,
  entry: { revisionId: number; stepIndex: number; seq: number; fromUserId: number; toUserId: number; reason: string; at: number },
): Promise<number | null> {
  const row = await db
    .insertInto("approval_delegations")
    .values({ revision_id: entry.revisionId, step_index: entry.stepIndex, seq: entry.seq, from_user_id: entry.fromUserId, to_user_id: entry.toUserId, reason: entry.reason, at: entry.at })
    .onConflict((oc) => oc.columns(["revision_id", "step_index", "seq"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Active members holding a title: who decides a step nobody was handed. */
export async function activeTitleHolders(db: DbOrTx, title: ApproverTitle): Promise<{ id: number; name: string }[]> {
  return db.selectFrom("users").select(["id", "name"]).where("title", "=", title).where("active", "=", 1).orderBy("id").execute();
}

export interface CurrentStepRow {
  revision_id: number;
  number: number;
  plan_id: string;
  plan_title: string;
  submitted_by: number;
  step_index: number;
  kind: StepKind;
  title: ApproverTitle;
  since: number;
}

/** The current step of every pending revision that has not been reminded yet. */
export function listUnremindedCurrentSteps(db: DbOrTx): Promise<CurrentStepRow[]> {
  return db
    .selectFrom("budget_revisions as r")
    .innerJoin("plans as p", "p.id", "r.plan_id")
    .innerJoin("approval_steps as s", (join) => join.onRef("s.revision_id", "=", "r.id").on(sql<boolean>`s.step_index = ${CURRENT_INDEX}`))
    .select([
      "r.id as revision_id",
      "r.number",
      "r.plan_id",
      "p.title as plan_title",
      "r.submitted_by",
      "s.step_index",
      "s.kind",
      "s.title",
      sql<number>`coalesce((SELECT max(d.decided_at) FROM approval_steps d WHERE d.revision_id = r.id AND d.step_index < s.step_index), r.submitted_at)`.as("since"),
    ])
    .where("r.status", "=", "pending")
    .where("p.status", "!=", "archived")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("approval_reminders as m").select("m.step_index").whereRef("m.revision_id", "=", "r.id").whereRef("m.step_index", "=", "s.step_index"))))
    .execute();
}

/** Marks a step reminded; false when another tick did first, so it is reminded once. */
export async function claimReminder(db: DbOrTx, revisionId: number, stepIndex: number, at: number): Promise<boolean> {
  const row = await db
    .insertInto("approval_reminders")
    .values({ revision_id: revisionId, step_index: stepIndex, sent_at: at })
    .onConflict((oc) => oc.columns(["revision_id", "step_index"]).doNothing())
    .returning("revision_id")
    .executeTakeFirst();
  return row !== undefined;
}
