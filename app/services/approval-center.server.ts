import {
  activeTitleHolders,
  claimReminder,
  countTab,
  insertDelegation,
  lastDelegationSeq,
  listAssignees,
  listDelegations,
  listTab,
  listUnremindedCurrentSteps,
  type CenterFilter,
  type CenterMe,
} from "../../db/queries/approval-center";
import { findLatestRevision, findRevision, listStepsOf, type StepWithNames } from "../../db/queries/approvals";
import { recordAudit } from "../../db/queries/audit";
import { findPlanById } from "../../db/queries/plans";
import { findUserById } from "../../db/queries/users";
import type { Db } from "../../db/client";
import type { DbOrTx } from "../../db/queries/users";
import { decisionRefusal, slaHoursOf, stepsDecidedWith, type Decision, type DecisionRefusal, type RevisionStatus, type SlaHours, type StepKind, type StepState } from "~/domain/approval";
import { APPROVAL_TABS, DELEGATION_REASON_MAX, currentStep, dueState, type ApprovalTab, type DueState } from "~/domain/approval-sla";
import type { Fen } from "~/domain/money";
import type { Actor } from "~/domain/policy";
import type { ApproverTitle } from "~/domain/roles";
import { loadAuthorityMatrix, listTitleHolders } from "./authority.server";
import { notify, publishNotifications } from "./notifications.server";

/**
 * The approval center (审批中心): the four tabs with search and filters, due dates from the
 * authority matrix's SLA, handing a step over (转交) and the one reminder an overdue step gets.
 */

export type { ApprovalTab, CenterFilter };
export const CENTER_PAGE_SIZE = 50;

export interface WaitingFor {
  /** The member it was handed to; otherwise the title's active holders. */
  assignee: { id: number; name: string } | null;
  title: ApproverTitle;
  holders: string[];
}

export interface CenterEntry {
  revisionId: number;
  number: number;
  status: RevisionStatus;
  planId: string;
  planTitle: string;
  spendFen: Fen;
  submitterName: string;
  submittedAt: number;
  current: { index: number; kind: StepKind; kinds: StepKind[]; waitingFor: WaitingFor; dueAt: number; due: DueState } | null;
  lastDecision: { decision: Decision; deciderName: string; kind: StepKind; at: number } | null;
  myDecision: { decision: Decision; at: number } | null;
}

export interface ApprovalCenter {
  tab: ApprovalTab;
  counts: Record<ApprovalTab, number>;
  entries: CenterEntry[];
  page: number;
  pageCount: number;
  now: number;
}

function stepStates(steps: readonly StepWithNames[], assignees: ReadonlyMap<number, number>): StepState[] {
  return steps.map((s) => ({ index: s.step_index, title: s.title, decision: s.decision, decidedBy: s.decided_by, assigneeId: assignees.get(s.step_index) ?? null }));
}

export async function approvalCenter(db: Db, me: CenterMe, query: { tab: ApprovalTab; filter: CenterFilter; page: number }, now = Date.now()): Promise<ApprovalCenter> {
  const sla = slaHoursOf(await loadAuthorityMatrix(db));
  const counts = Object.fromEntries(await Promise.all(APPROVAL_TABS.map(async (tab) => [tab, await countTab(db, tab, me, query.filter)] as const))) as Record<ApprovalTab, number>;
  const pageCount = Math.max(1, Math.ceil(counts[query.tab] / CENTER_PAGE_SIZE));
  const page = Math.min(Math.max(1, query.page), pageCount);
  const rows = await listTab(db, query.tab, me, query.filter, { limit: CENTER_PAGE_SIZE, offset: (page - 1) * CENTER_PAGE_SIZE, now, sla });
  const ids = rows.map((r) => r.revision_id);
  const steps = await listStepsOf(db, ids);
  const assignees = await listAssignees(db, ids);
  const holders = await listTitleHolders(db);
  const entries = rows.map((row): CenterEntry => {
    const own = steps.filter((s) => s.revision_id === row.revision_id);
    const handed = assignees.filter((a) => a.revision_id === row.revision_id);
    const current = row.status === "pending" ? currentStep(own.map((s) => ({ index: s.step_index, kind: s.kind, decision: s.decision, decidedAt: s.decided_at })), row.submitted_at, sla) : null;
    const decided = own.filter((s) => s.decision !== null).sort((a, b) => (b.decided_at ?? 0) - (a.decided_at ?? 0) || b.step_index - a.step_index);
    const last = decided[0];
    const mine = own.find((s) => s.decided_by === me.id);
    let currentView: CenterEntry["current"] = null;
    if (current) {
      const step = own.find((s) => s.step_index === current.index)!;
      const assignee = handed.find((a) => a.step_index === current.index);
      const states = stepStates(own, new Map());
      currentView = {
        index: current.index,
        kind: current.kind,
        kinds: stepsDecidedWith(states, current.index).map((i) => own.find((s) => s.step_index === i)!.kind),
        waitingFor: { assignee: assignee ? { id: assignee.to_user_id, name: assignee.to_name } : null, title: step.title, holders: holders[step.title].map((h) => h.name) },
        dueAt: current.dueAt,
        due: dueState(current.dueAt, now),
      };
    }
    return {
      revisionId: row.revision_id,
      number: row.number,
      status: row.status,
      planId: row.plan_id,
      planTitle: row.plan_title,
      spendFen: row.spend_fen,
      submitterName: row.submitter_name,
      submittedAt: row.submitted_at,
      current: currentView,
      lastDecision: last ? { decision: last.decision!, deciderName: last.decider_name ?? "", kind: last.kind, at: last.decided_at! } : null,
      myDecision: mine ? { decision: mine.decision!, at: mine.decided_at! } : null,
    };
  });
  return { tab: query.tab, counts, entries, page, pageCount, now };
}

// ---------------------------------------------------------------------------------------
// The review page: due dates, delegations and who a step may be handed to

export interface RevisionCenterView {
  sla: SlaHours;
  /** The current step's due time and state; null once the revision left pending. */
  current: { index: number; dueAt: number; due: DueState } | null;
  delegations: { id: number; stepIndex: number; fromName: string; toName: string; reason: string; at: number }[];
  /** Assignee per step index, for steps that were handed over. */
  assignees: Record<number, { id: number; name: string }>;
}

export async function revisionCenterView(db: Db, revisionId: number, now = Date.now()): Promise<RevisionCenterView | null> {
  const revision = await findRevision(db, revisionId);
  if (!revision) return null;
  const sla = slaHoursOf(await loadAuthorityMatrix(db));
  const steps = await listStepsOf(db, [revisionId]);
  const current =
    revision.status === "pending" ? currentStep(steps.map((s) => ({ index: s.step_index, kind: s.kind, decision: s.decision, decidedAt: s.decided_at })), revision.submitted_at, sla) : null;
  const delegations = await listDelegations(db, revisionId);
  const assignees: RevisionCenterView["assignees"] = {};
  for (const a of await listAssignees(db, [revisionId])) assignees[a.step_index] = { id: a.to_user_id, name: a.to_name };
  return {
    sla,
    current: current ? { index: current.index, dueAt: current.dueAt, due: dueState(current.dueAt, now) } : null,
    delegations: delegations.map((d) => ({ id: d.id, stepIndex: d.step_index, fromName: d.from_name, toName: d.to_name, reason: d.reason, at: d.at })),
    assignees,
  };
}

interface DelegationState {
  revision: NonNullable<Awaited<ReturnType<typeof findRevision>>>;
  planTitle: string;
  planArchived: boolean;
  isCurrent: boolean;
  states: StepState[];
  current: StepState | null;
}

async function delegationState(db: DbOrTx, revisionId: number): Promise<DelegationState | null> {
  const revision = await findRevision(db, revisionId);
  const plan = revision && (await findPlanById(db, revision.plan_id));
  if (!revision || !plan) return null;
  const steps = await listStepsOf(db, [revisionId]);
  const assignees = new Map((await listAssignees(db, [revisionId])).map((a) => [a.step_index, a.to_user_id]));
  const states = stepStates(steps, assignees);
  const latest = await findLatestRevision(db, plan.id);
  return {
    revision,
    planTitle: plan.title,
    planArchived: plan.status === "archived",
    isCurrent: latest?.id === revision.id,
    states,
    current: revision.status === "pending" ? (states.find((s) => s.decision === null) ?? null) : null,
  };
}

/** Whoever may decide the current step now may hand it over; the same rules judge both. */
function mayDecide(actor: Actor, state: DelegationState): DecisionRefusal | null {
  if (!state.current) return { status: 409, code: "notCurrent" };
  return decisionRefusal({
    actor: { id: actor.id, active: actor.active, title: actor.title },
    revision: { status: state.revision.status, submittedBy: state.revision.submitted_by, isCurrent: state.isCurrent },
    steps: state.states,
    stepIndex: state.current.index,
    decision: "approve",
    comment: "",
  });
}

export type DelegateRefusalCode =
  | DecisionRefusal["code"]
  | "notFound"
  | "planArchived"
  | "stepNotCurrent"
  | "reasonRequired"
  | "targetUnknown"
  | "targetInactive"
  | "targetWrongTitle"
  | "targetIsSubmitter"
  | "targetDecidedOther"
  | "targetIsSelf"
  | "raced";
export type DelegateOutcome = { ok: true; delegationId: number } | { ok: false; status: 400 | 403 | 404 | 409; code: DelegateRefusalCode };

/** Why `targetId` cannot take the current step, or null when they can. */
function targetRefusal(state: DelegationState, actorId: number, target: { id: number; active: number; title: ApproverTitle | null } | undefined): DelegateRefusalCode | null {
  const step = state.current!;
  if (!target) return "targetUnknown";
  if (target.id === actorId || target.id === step.assigneeId) return "targetIsSelf";
  if (target.active !== 1) return "targetInactive";
  if (target.title !== step.title) return "targetWrongTitle";
  if (target.id === state.revision.submitted_by) return "targetIsSubmitter";
  const group = stepsDecidedWith(state.states, step.index);
  if (state.states.some((s) => !group.includes(s.index) && s.decidedBy === target.id)) return "targetDecidedOther";
  return null;
}

/**
 * Hands the current step to another holder of its title (转交), with the reason: recorded,
 * audited and notified in one transaction. Of delegations raced from the same state the
 * step's sequence number lets exactly one in.
 */
export async function delegateStep(
  db: Db,
  actor: Actor,
  input: { revisionId: number; stepIndex: number; toUserId: number; reason: string },
  now = Date.now(),
): Promise<DelegateOutcome> {
  const reason = input.reason.trim();
  const outcome = await db.transaction().execute(async (trx): Promise<DelegateOutcome & { notified?: number[] }> => {
    const state = await delegationState(trx, input.revisionId);
    if (!state) return { ok: false, status: 404, code: "notFound" };
    if (state.planArchived) return { ok: false, status: 409, code: "planArchived" };
    const refusal = mayDecide(actor, state);
    if (refusal) return { ok: false, status: refusal.status, code: refusal.code };
    const step = state.current!;
    if (!stepsDecidedWith(state.states, step.index).includes(input.stepIndex)) return { ok: false, status: 409, code: "stepNotCurrent" };
    if (reason === "" || reason.length > DELEGATION_REASON_MAX) return { ok: false, status: 400, code: "reasonRequired" };
    const target = await findUserById(trx, input.toUserId);
    const targetProblem = targetRefusal(state, actor.id, target);
    if (targetProblem) return { ok: false, status: 400, code: targetProblem };
    const seq = (await lastDelegationSeq(trx, state.revision.id, step.index)) + 1;
    const id = await insertDelegation(trx, { revisionId: state.revision.id, stepIndex: step.index, seq, fromUserId: actor.id, toUserId: input.toUserId, reason, at: now });
    if (id === null) return { ok: false, status: 409, code: "raced" };
    await recordAudit(trx, {
      actorId: actor.id,
      action: "approval.delegate",
      targetType: "plan",
      targetId: state.revision.plan_id,
      detail: { revision: state.revision.number, step: step.index, fromUserId: actor.id, toUserId: input.toUserId, reason },
      at: now,
    });
    const actorName = (await findUserById(trx, actor.id))?.name ?? "";
    const notified = await notify(trx, {
      event: { kind: "delegated", planTitle: state.planTitle, revisionId: state.revision.id, revisionNumber: state.revision.number, stepIndex: step.index, actorName, reason },
      planId: state.revision.plan_id,
      actorId: actor.id,
      recipients: [input.toUserId],
      dedupeKey: `delegated:${id}`,
      at: now,
    });
    return { ok: true, delegationId: id, notified };
  });
  if (!outcome.ok) return outcome;
  publishNotifications(outcome.notified ?? []);
  return { ok: true, delegationId: outcome.delegationId };
}

export interface DelegationOptions {
  stepIndex: number;
  candidates: { id: number; name: string }[];
}

/** The members the actor may hand the current step to, or null when the actor may not hand it over. */
export async function delegationOptions(db: Db, actor: Actor, revisionId: number): Promise<DelegationOptions | null> {
  const state = await delegationState(db, revisionId);
  if (!state || state.planArchived || mayDecide(actor, state) !== null) return null;
  const step = state.current!;
  const holders = await activeTitleHolders(db, step.title);
  const candidates = holders.filter((h) => targetRefusal(state, actor.id, { id: h.id, active: 1, title: step.title }) === null);
  return { stepIndex: step.index, candidates };
}

/** Who must decide a step now: its assignee, or the active holders of its title other than the submitter. */
export async function stepDeciders(db: DbOrTx, revisionId: number, stepIndex: number): Promise<number[]> {
  const state = await delegationState(db, revisionId);
  const step = state?.states.find((s) => s.index === stepIndex);
  if (!state || !step) return [];
  const group = stepsDecidedWith(state.states, step.index);
  const assigneeId = state.states.find((s) => group.includes(s.index) && s.assigneeId !== null)?.assigneeId ?? null;
  if (assigneeId !== null) return [assigneeId];
  const decidedOther = new Set(state.states.filter((s) => !group.includes(s.index) && s.decidedBy !== null).map((s) => s.decidedBy));
  return (await activeTitleHolders(db, step.title)).map((h) => h.id).filter((id) => id !== state.revision.submitted_by && !decidedOther.has(id));
}

/**
 * Reminds whoever must decide each step past its due time, once per step: the reminder row's
 * primary key is claimed in the same transaction as the notification, so ticks racing for
 * the same step (or a crash between them) never remind twice or lose the reminder.
 */
export async function sendOverdueReminders(db: Db, now = Date.now()): Promise<number> {
  const sla = slaHoursOf(await loadAuthorityMatrix(db));
  const due = (await listUnremindedCurrentSteps(db)).filter((s) => s.since + sla[s.kind] * 3_600_000 <= now);
  let reminded = 0;
  for (const step of due) {
    const notified = await db.transaction().execute(async (trx) => {
      if (!(await claimReminder(trx, step.revision_id, step.step_index, now))) return null;
      const recipients = await stepDeciders(trx, step.revision_id, step.step_index);
      return notify(trx, {
        event: { kind: "approvalOverdue", planTitle: step.plan_title, revisionId: step.revision_id, revisionNumber: step.number, stepIndex: step.step_index, dueAt: step.since + sla[step.kind] * 3_600_000 },
        planId: step.plan_id,
        actorId: null,
        recipients,
        dedupeKey: `overdue:${step.revision_id}:${step.step_index}`,
        at: now,
      });
    });
    if (notified === null) continue;
    reminded += 1;
    publishNotifications(notified);
  }
  return reminded;
}
