import { groupSteps, type Decision, type RevisionStatus, type StepKind } from "./approval";
import { basisPoints, subtractFen, type BasisPoints, type Fen } from "./money";
import type { ApproverTitle } from "./roles";

/**
 * What the review page tells an approver at a glance, worked out once so the phone's summary,
 * the totals tiles and the outcome after deciding all say the same thing. Pure.
 */

export interface Totals {
  spendFen: Fen;
  incomeFen: Fen;
  netFen: Fen;
}

export interface TotalChange {
  deltaFen: Fen;
  /** Of the approved amount; null when that was zero (a percentage of nothing means nothing). */
  deltaBasisPoints: BasisPoints | null;
}

/**
 * Each total against the last approved revision's. The diff carries only the deltas, and the
 * approved totals are the current ones less them, so nothing is read twice.
 */
export function versusApproved(current: Totals, deltas: { spendDeltaFen: Fen; incomeDeltaFen: Fen; netDeltaFen: Fen }): Record<keyof Totals, TotalChange> {
  const change = (now: Fen, delta: Fen): TotalChange => ({ deltaFen: delta, deltaBasisPoints: basisPoints(delta, subtractFen(now, delta)) });
  return {
    spendFen: change(current.spendFen, deltas.spendDeltaFen),
    incomeFen: change(current.incomeFen, deltas.incomeDeltaFen),
    netFen: change(current.netFen, deltas.netDeltaFen),
  };
}

interface OutcomeStep {
  index: number;
  kind: StepKind;
  title: ApproverTitle;
  decision: Decision | null;
  deciderId: number | null;
  decidedAt: number | null;
  comment: string;
}

export interface MyDecision {
  decision: Decision;
  /** Every step the one decision covered: 董事长 decides 核准、审批 at once. */
  kinds: StepKind[];
  decidedAt: number;
  comment: string;
  /** Where the revision goes from here. */
  next:
    | { kind: "nextStep"; title: ApproverTitle; kinds: StepKind[] }
    | { kind: "approved" }
    | { kind: "returned" }
    | { kind: "rejected" }
    /** Withdrawn or superseded after the decision. */
    | { kind: "closed" };
}

/** The member's own decision on a revision and what happened next, or null when they made none. */
export function myDecision(steps: readonly OutcomeStep[], status: RevisionStatus, memberId: number): MyDecision | null {
  const groups = groupSteps(steps);
  const mine = groups.find((group) => group[0]!.deciderId === memberId);
  const first = mine?.[0];
  if (!mine || !first || first.decision === null || first.decidedAt === null) return null;
  const waiting = groups.find((group) => group[0]!.decision === null);
  const next: MyDecision["next"] =
    status === "pending" && waiting
      ? { kind: "nextStep", title: waiting[0]!.title, kinds: waiting.map((s) => s.kind) }
      : status === "approved"
        ? { kind: "approved" }
        : status === "changesRequested"
          ? { kind: "returned" }
          : status === "rejected"
            ? { kind: "rejected" }
            : { kind: "closed" };
  return { decision: first.decision, kinds: mine.map((s) => s.kind), decidedAt: first.decidedAt, comment: first.comment, next };
}
