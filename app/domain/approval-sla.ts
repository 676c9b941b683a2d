import type { Decision, SlaHours, StepKind } from "./approval";

/**
 * Due dates of approval steps (审批时限): a step is due its kind's SLA hours after it became
 * the step to decide, i.e. after the previous decision or the submission. Pure: the clock
 * is always passed in.
 */

/** The approval center's tabs: 待我审批, 我已审批, 我发起的, 抄送我. */
export const APPROVAL_TABS = ["waiting", "decided", "submitted", "cc"] as const;
export type ApprovalTab = (typeof APPROVAL_TABS)[number];

/** The longest reason a step may be handed over (转交) with. */
export const DELEGATION_REASON_MAX = 500;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface SlaStep {
  index: number;
  kind: StepKind;
  decision: Decision | null;
  decidedAt: number | null;
}

export interface CurrentStep {
  index: number;
  kind: StepKind;
  /** When it became the step to decide. */
  since: number;
  dueAt: number;
}

/** The first undecided step of a pending revision with its due time; null when every step is decided. */
export function currentStep(steps: readonly SlaStep[], submittedAt: number, sla: SlaHours): CurrentStep | null {
  const next = steps.find((s) => s.decision === null);
  if (!next) return null;
  const since = steps.filter((s) => s.index < next.index).reduce((latest, s) => Math.max(latest, s.decidedAt ?? 0), submittedAt);
  return { index: next.index, kind: next.kind, since, dueAt: since + sla[next.kind] * HOUR_MS };
}

export interface DueState {
  overdue: boolean;
  /** How long is left, or how long it is past due, in the largest whole unit that fits ("还剩 5 小时", "已超时 2 天"). */
  amount: number;
  unit: "day" | "hour" | "minute";
}

export function dueState(dueAt: number, now: number): DueState {
  const overdue = now >= dueAt;
  const span = Math.abs(dueAt - now);
  if (span >= DAY_MS) return { overdue, amount: Math.floor(span / DAY_MS), unit: "day" };
  if (span >= HOUR_MS) return { overdue, amount: Math.floor(span / HOUR_MS), unit: "hour" };
  // Under a minute still reads as one: "还剩 0 分钟" says nothing.
  return { overdue, amount: Math.max(1, Math.floor(span / MINUTE_MS)), unit: "minute" };
}
