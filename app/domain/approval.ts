import { z } from "zod";
import { BudgetError } from "./budget";
import { fen, isPlanTotal, MAX_AMOUNT_FEN, type Fen } from "./money";
import { budgetLineAmount, isBlankBudgetLine, totalsOf, type BudgetLine } from "./plan-document";
import { APPROVER_TITLES, ApproverTitleSchema, type ApproverTitle } from "./roles";

/**
 * Budget approval rules: the authority matrix (审批权限表) and how it picks a chain, the
 * immutable snapshot a submission takes and who may decide which step (the re-approval
 * diff is budget-diff.ts). Pure: no I/O, no clock.
 */

export const STEP_KINDS = ["review", "endorse", "approve"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const DECISIONS = ["approve", "reject", "requestChanges"] as const;
export const DecisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof DecisionSchema>;

export const REVISION_STATUSES = ["pending", "approved", "rejected", "changesRequested", "withdrawn"] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

// ---------------------------------------------------------------------------------------
// Authority matrix

const FenBoundSchema = z.number().int().min(0).max(MAX_AMOUNT_FEN).transform(fen);

export const MAX_SLA_HOURS = 720;
const SlaHoursSchema = z.number().int().min(1).max(MAX_SLA_HOURS);
export type SlaHours = Record<StepKind, number>;
export const DEFAULT_SLA_HOURS: SlaHours = { review: 24, endorse: 48, approve: 48 };

/** The matrix's SLA, or the defaults for a matrix saved before SLAs existed. */
export function slaHoursOf(matrix: Pick<AuthorityMatrix, "slaHours">): SlaHours {
  return matrix.slaHours ?? DEFAULT_SLA_HOURS;
}

export const BandSchema = z.object({
  /** Amounts above this (exclusive); null: from ¥0 (inclusive). */
  overFen: FenBoundSchema.nullable(),
  /** Amounts up to this (inclusive); null: no upper limit. */
  upToFen: FenBoundSchema.nullable(),
  /** 审核 → 核准 → 审批: one approver title per step. */
  steps: z.tuple([ApproverTitleSchema, ApproverTitleSchema, ApproverTitleSchema]),
});
export type Band = z.infer<typeof BandSchema>;

export const WorkItemSchema = z.object({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/),
  name: z.string().trim().min(1).max(40),
  bands: z.array(BandSchema).min(1).max(10),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;

export const AuthorityMatrixSchema = z.object({
  /** The first work item is the main row: it judges the plan's total spend. */
  workItems: z.array(WorkItemSchema).min(1).max(20),
  /** Budget category → work item key (e.g. 业务接待 → reception). */
  categoryMap: z.record(z.string().trim().min(1).max(40), z.string()),
  /** A line whose amount moved by more than this percentage is highlighted in the re-approval diff (002). */
  changeLimitPercent: z.number().int().min(1).max(100),
  /** Hours each step kind may wait before it is overdue; matrices stored before it had none and get the defaults. */
  slaHours: z
    .object({ review: SlaHoursSchema, endorse: SlaHoursSchema, approve: SlaHoursSchema })
    .optional(),
});
export type AuthorityMatrix = z.infer<typeof AuthorityMatrixSchema>;

/** 001 第五篇's 资产权限审批表, with 活动预算 on the main row. */
export const DEFAULT_AUTHORITY_MATRIX: AuthorityMatrix = {
  workItems: [
    {
      key: "budget",
      name: "活动预算/资金支付",
      bands: [
        { overFen: null, upToFen: fen(5_000_000), steps: ["finance", "deputyGm", "gm"] },
        { overFen: fen(5_000_000), upToFen: fen(50_000_000), steps: ["finance", "gm", "chairman"] },
        { overFen: fen(50_000_000), upToFen: null, steps: ["finance", "chairman", "chairman"] },
      ],
    },
    {
      key: "reception",
      name: "业务接待费用",
      bands: [
        { overFen: null, upToFen: fen(50_000), steps: ["finance", "deputyGm", "gm"] },
        { overFen: fen(50_000), upToFen: null, steps: ["finance", "gm", "chairman"] },
      ],
    },
  ],
  categoryMap: { 业务接待: "reception", 业务接待费用: "reception" },
  changeLimitPercent: 15,
};

export type MatrixProblemCode =
  | "duplicateKey"
  | "firstBandMustStartAtZero"
  | "gap"
  | "overlap"
  | "emptyBand"
  | "lastBandMustBeOpen"
  | "titleNotHeld"
  | "unknownWorkItem"
  | "mainRowMapped";

export interface MatrixProblem {
  code: MatrixProblemCode;
  /** Where: "workItems[1].bands[0].steps[2]", "categoryMap.业务接待". */
  path: string;
  /** Values for the message: the title, the amount in fen, the key. */
  params: Record<string, string | number>;
}

/**
 * Bands of each work item must cover every amount exactly once: from ¥0, each starting
 * where the last ended, the last without limit; every step's title must be held by an
 * active member, or submissions would wait forever.
 */
export function validateMatrix(matrix: AuthorityMatrix, titlesHeld: ReadonlySet<ApproverTitle>): MatrixProblem[] {
  const problems: MatrixProblem[] = [];
  const keys = new Set<string>();
  matrix.workItems.forEach((item, i) => {
    if (keys.has(item.key)) problems.push({ code: "duplicateKey", path: `workItems[${i}].key`, params: { key: item.key } });
    keys.add(item.key);
    item.bands.forEach((band, b) => {
      const path = `workItems[${i}].bands[${b}]`;
      const previous = item.bands[b - 1];
      if (b === 0 && band.overFen !== null) problems.push({ code: "firstBandMustStartAtZero", path: `${path}.overFen`, params: { item: item.name } });
      if (previous && previous.upToFen !== null && band.overFen !== null) {
        if (band.overFen > previous.upToFen) problems.push({ code: "gap", path: `${path}.overFen`, params: { item: item.name, fromFen: previous.upToFen, toFen: band.overFen } });
        if (band.overFen < previous.upToFen) problems.push({ code: "overlap", path: `${path}.overFen`, params: { item: item.name, fromFen: band.overFen, toFen: previous.upToFen } });
      }
      if (previous && (previous.upToFen === null || band.overFen === null)) problems.push({ code: "overlap", path: `${path}.overFen`, params: { item: item.name, fromFen: band.overFen ?? 0, toFen: previous.upToFen ?? MAX_AMOUNT_FEN } });
      if (band.upToFen !== null && band.upToFen <= (band.overFen ?? -1)) problems.push({ code: "emptyBand", path: `${path}.upToFen`, params: { item: item.name } });
      if (b === item.bands.length - 1 && band.upToFen !== null) problems.push({ code: "lastBandMustBeOpen", path: `${path}.upToFen`, params: { item: item.name } });
      band.steps.forEach((title, s) => {
        if (!titlesHeld.has(title)) problems.push({ code: "titleNotHeld", path: `${path}.steps[${s}]`, params: { item: item.name, title } });
      });
    });
  });
  const mainKey = matrix.workItems[0]?.key;
  for (const [category, key] of Object.entries(matrix.categoryMap)) {
    if (!keys.has(key)) problems.push({ code: "unknownWorkItem", path: `categoryMap.${category}`, params: { category, key } });
    else if (key === mainKey) problems.push({ code: "mainRowMapped", path: `categoryMap.${category}`, params: { category } });
  }
  return problems;
}

export interface ChainStep {
  kind: StepKind;
  title: ApproverTitle;
}

/**
 * The decisions a chain asks for: consecutive steps of one title are one decision. 001's
 * table names 董事长 for both 核准 and 审批 above ¥500,000; in a Chinese approval chain that
 * is one signature "核准、审批", not the same person deciding twice (which only adds a
 * chance to decide the two differently). The matrix keeps its three columns and the
 * database its three step rows, written together by that one decision; the chain is shown
 * as "董事长（核准、审批）". Steps of one title that are not consecutive stay separate
 * decisions, which separate members must make.
 */
export function groupSteps<S extends { title: ApproverTitle }>(steps: readonly S[]): S[][] {
  const groups: S[][] = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (last && last[0]!.title === step.title) last.push(step);
    else groups.push([step]);
  }
  return groups;
}

export interface ChainCandidate {
  workItemKey: string;
  workItemName: string;
  /** The plan's total spend (main row) or the mapped category's spend subtotal. */
  amountFen: Fen;
  /** null for the main row. */
  category: string | null;
  band: Band;
  steps: ChainStep[];
}

export interface ChosenChain {
  chosen: ChainCandidate;
  /** Every row that was judged, main row first: the "why" shown before submitting. */
  candidates: ChainCandidate[];
}

function bandFor(item: WorkItem, amountFen: Fen): Band {
  const band = item.bands.find((b) => (b.overFen === null || amountFen > b.overFen) && (b.upToFen === null || amountFen <= b.upToFen));
  // validateMatrix guarantees full coverage; a stored matrix that lost it falls to the strictest band.
  return band ?? item.bands[item.bands.length - 1]!;
}

function candidate(item: WorkItem, amountFen: Fen, category: string | null): ChainCandidate {
  const band = bandFor(item, amountFen);
  return {
    workItemKey: item.key,
    workItemName: item.name,
    amountFen,
    category,
    band,
    steps: band.steps.map((title, i) => ({ kind: STEP_KINDS[i]!, title })),
  };
}

const rank = (title: ApproverTitle) => APPROVER_TITLES.indexOf(title);
const finalRank = (c: ChainCandidate) => rank(c.steps[c.steps.length - 1]!.title);

/**
 * The main row judges total spend; each mapped category its own spend subtotal. The chain
 * whose final approver ranks highest wins; ties go to the main row, then to the earlier row.
 */
export function chooseChain(matrix: AuthorityMatrix, spend: { spendFen: Fen; byCategory: readonly { category: string; spendFen: Fen }[] }): ChosenChain {
  const [main] = matrix.workItems;
  if (!main) throw new Error("authority matrix has no work items");
  const candidates = [candidate(main, spend.spendFen, null)];
  for (const group of spend.byCategory) {
    const key = matrix.categoryMap[group.category];
    const item = key === undefined ? undefined : matrix.workItems.find((w) => w.key === key);
    if (item && item !== main) candidates.push(candidate(item, group.spendFen, group.category));
  }
  const chosen = candidates.reduce((best, next) => (finalRank(next) > finalRank(best) ? next : best));
  return { chosen, candidates };
}

// ---------------------------------------------------------------------------------------
// Snapshot

export interface SnapshotLine {
  id: string;
  category: string;
  item: string;
  quantityHundredths: number;
  unit: string;
  unitPriceFen: Fen;
  amountFen: Fen;
  income: boolean;
  owner: string;
  quarter: string;
  note: string;
}

export interface BudgetSnapshot {
  lines: SnapshotLine[];
  byCategory: { category: string; spendFen: Fen; incomeFen: Fen; netFen: Fen }[];
  spendFen: Fen;
  incomeFen: Fen;
  netFen: Fen;
}

export type SubmitRefusal = "budgetEmpty" | "budgetHasTbd" | "budgetHasInvalidRows" | "budgetOutOfRange";

/** The budget as submitted, or why it cannot be: every total a sum of the same line amounts. */
export function takeSnapshot(rows: readonly BudgetLine[], invalidRows: number): { ok: true; snapshot: BudgetSnapshot } | { ok: false; refusal: SubmitRefusal; count: number } {
  if (invalidRows > 0) return { ok: false, refusal: "budgetHasInvalidRows", count: invalidRows };
  // A line nobody typed into (a category just added) is no part of the budget put up for approval.
  const lines = rows.filter((line) => !isBlankBudgetLine(line));
  if (lines.length === 0) return { ok: false, refusal: "budgetEmpty", count: 0 };
  // A line past MAX_AMOUNT_FEN, or totals past MAX_PLAN_TOTAL_FEN, only come from writes around the editor.
  let totals: ReturnType<typeof totalsOf>;
  try {
    totals = totalsOf(lines);
  } catch (error) {
    if (!(error instanceof BudgetError)) throw error;
    return { ok: false, refusal: "budgetOutOfRange", count: 0 };
  }
  const tooLarge = lines.filter((line) => (budgetLineAmount(line) ?? 0) > MAX_AMOUNT_FEN).length;
  if (tooLarge > 0 || !isPlanTotal(totals.spendFen) || !isPlanTotal(totals.incomeFen)) return { ok: false, refusal: "budgetOutOfRange", count: tooLarge };
  if (totals.tbdCount > 0) return { ok: false, refusal: "budgetHasTbd", count: totals.tbdCount };
  const snapshotLines = lines.map((line): SnapshotLine => {
    const amountFen = budgetLineAmount(line);
    if (amountFen === null || line.unitPriceFen === null) throw new Error("a priced line has no amount");
    return { ...line, unitPriceFen: fen(line.unitPriceFen), amountFen };
  });
  return {
    ok: true,
    snapshot: {
      lines: snapshotLines,
      byCategory: totals.byCategory.map(({ category, spendFen, incomeFen, netFen }) => ({ category, spendFen, incomeFen, netFen })),
      spendFen: totals.spendFen,
      incomeFen: totals.incomeFen,
      netFen: totals.netFen,
    },
  };
}

/** Keys in a fixed order, so equal snapshots always serialize (and hash) the same. */
export function canonicalSnapshot(snapshot: BudgetSnapshot): string {
  return JSON.stringify({
    lines: snapshot.lines.map((l) => [l.id, l.category, l.item, l.quantityHundredths, l.unit, l.unitPriceFen, l.amountFen, l.income, l.owner, l.quarter, l.note]),
    byCategory: snapshot.byCategory.map((c) => [c.category, c.spendFen, c.incomeFen, c.netFen]),
    totals: [snapshot.spendFen, snapshot.incomeFen, snapshot.netFen],
  });
}

// ---------------------------------------------------------------------------------------
// Deciding

export interface StepState {
  index: number;
  title: ApproverTitle;
  decision: Decision | null;
  decidedBy: number | null;
  /** Set when the step was handed over (转交): only this member may decide it. */
  assigneeId: number | null;
}

/** The indices one decision on `stepIndex` decides: its group of consecutive same-title steps. */
export function stepsDecidedWith(steps: readonly StepState[], stepIndex: number): number[] {
  return (groupSteps(steps).find((group) => group.some((s) => s.index === stepIndex)) ?? []).map((s) => s.index);
}

export interface DecisionRequest {
  actor: { id: number; active: boolean; title: ApproverTitle | null };
  revision: { status: RevisionStatus; submittedBy: number; isCurrent: boolean };
  steps: readonly StepState[];
  stepIndex: number;
  decision: Decision;
  comment: string;
}

/** 403: not theirs to decide; 409: the revision or step moved on; 400: fix the input. */
export type DecisionRefusal =
  | { status: 403; code: "inactive" | "wrongTitle" | "delegatedToOther" | "isSubmitter" | "decidedOtherStep" }
  | { status: 409; code: "notCurrent" | "withdrawn" | "alreadyDecided" | "outOfOrder" }
  | { status: 400; code: "commentRequired" | "unknownStep" };

/** 退回修改 and 驳回 send the budget back; the planner has to be told why. */
export function decisionNeedsComment(decision: Decision): boolean {
  return decision !== "approve";
}

export function decisionRefusal(request: DecisionRequest): DecisionRefusal | null {
  const step = request.steps.find((s) => s.index === request.stepIndex);
  if (!step) return { status: 400, code: "unknownStep" };
  if (!request.actor.active) return { status: 403, code: "inactive" };
  if (request.actor.title !== step.title) return { status: 403, code: "wrongTitle" };
  const group = stepsDecidedWith(request.steps, step.index);
  // A handed-over step belongs to its assignee alone, for every step its one decision covers.
  const assigneeId = request.steps.find((s) => group.includes(s.index) && s.assigneeId !== null)?.assigneeId ?? null;
  if (assigneeId !== null && assigneeId !== request.actor.id) return { status: 403, code: "delegatedToOther" };
  if (request.actor.id === request.revision.submittedBy) return { status: 403, code: "isSubmitter" };
  // Separate decisions are separate people's: one member never makes two of a revision's.
  if (request.steps.some((s) => !group.includes(s.index) && s.decidedBy === request.actor.id)) return { status: 403, code: "decidedOtherStep" };
  if (request.revision.status === "withdrawn") return { status: 409, code: "withdrawn" };
  if (!request.revision.isCurrent || request.revision.status !== "pending") return { status: 409, code: "notCurrent" };
  if (step.decision !== null) return { status: 409, code: "alreadyDecided" };
  const next = request.steps.find((s) => s.decision === null);
  if (next === undefined || !group.includes(next.index)) return { status: 409, code: "outOfOrder" };
  if (decisionNeedsComment(request.decision) && request.comment.trim() === "") return { status: 400, code: "commentRequired" };
  return null;
}

/** What a decision does to the revision: the last approval approves it; a reject or request-changes ends it. */
export function revisionStatusAfter(steps: readonly StepState[], stepIndex: number, decision: Decision): RevisionStatus {
  if (decision === "reject") return "rejected";
  if (decision === "requestChanges") return "changesRequested";
  const decided = stepsDecidedWith(steps, stepIndex);
  const remaining = steps.filter((s) => s.decision === null && !decided.includes(s.index));
  return remaining.length === 0 ? "approved" : "pending";
}
