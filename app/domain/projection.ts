import * as Y from "yjs";
import { BudgetError } from "./budget";
import { isPlanTotal, MAX_AMOUNT_FEN, type Fen } from "./money";
import { readPlanDoc, ROOT } from "./plan-document";
import { BLOCK_ROOTS, budgetLineAmount, readBlock, totalsOf, type Assignment, type BudgetLine, type InvalidRow, type Kpi, type TimelineItem } from "./plan-document";

/**
 * The projection of a plan document: the rows and totals the relational tables hold for
 * dashboards, approvals and exports. It is derived, never edited, so it can be rebuilt from
 * the document at any time. The document is untrusted input (any client can write any
 * shape into it): rows that do not read through the schemas are left out and reported.
 */

/** `position` is the row's place among the block's valid rows, in document order. */
export type Positioned<T> = T & { position: number };

export type ProjectedBudgetLine = Positioned<BudgetLine> & {
  /** quantity × unit price by the one line-amount rule; null for 待定. */
  amountFen: Fen | null;
};

export interface ProjectedTotals {
  spendFen: Fen;
  incomeFen: Fen;
  netFen: Fen;
  tbdCount: number;
  budgetLineCount: number;
}

export interface PlanProjection {
  /** 活动基准日, or "". */
  anchor: string;
  totals: ProjectedTotals;
  budgetLines: ProjectedBudgetLine[];
  timelineItems: Positioned<TimelineItem>[];
  kpis: Positioned<Kpi>[];
  assignments: Positioned<Assignment>[];
  /** Rows left out, for the log. */
  invalid: InvalidRow[];
}

/** The roots whose content the projection reads. */
const PROJECTED_ROOTS: readonly string[] = [ROOT.meta, ...BLOCK_ROOTS];

function positioned<T>(rows: readonly T[]): Positioned<T>[] {
  return rows.map((row, position) => ({ ...row, position }));
}

/** Where a budget line sits in the `budget` array (the first entry with its id). */
function indexInDocument(doc: Y.Doc, id: string): number {
  return doc
    .getArray<unknown>(ROOT.budget)
    .toArray()
    .findIndex((entry) => entry instanceof Y.Map && entry.get("id") === id);
}

/**
 * Every valid budget line with its amount. A line whose amount passes MAX_AMOUNT_FEN, or
 * whose addition to its side's total would pass MAX_PLAN_TOTAL_FEN, is left out and
 * reported: the document takes any client's writes, and one absurd row must neither stop
 * a plan from being projected nor put a total no reader can sum into the tables.
 */
function projectBudget(doc: Y.Doc, lines: readonly BudgetLine[], invalid: InvalidRow[]): ProjectedBudgetLine[] {
  const kept: ProjectedBudgetLine[] = [];
  const leaveOut = (line: BudgetLine, issue: string) => invalid.push({ root: ROOT.budget, index: indexInDocument(doc, line.id), id: line.id, issues: [issue] });
  let spend = 0;
  let income = 0;
  for (const line of lines) {
    let amountFen: Fen | null;
    try {
      amountFen = budgetLineAmount(line);
    } catch (error) {
      if (!(error instanceof BudgetError)) throw error;
      leaveOut(line, "amount: too large");
      continue;
    }
    if (amountFen !== null && amountFen > MAX_AMOUNT_FEN) {
      leaveOut(line, "amount: too large");
      continue;
    }
    if (amountFen !== null) {
      const sum = (line.income ? income : spend) + amountFen;
      if (!isPlanTotal(sum)) {
        leaveOut(line, "amount: total too large");
        continue;
      }
      if (line.income) income = sum;
      else spend = sum;
    }
    kept.push({ ...line, position: kept.length, amountFen });
  }
  return kept;
}

export function projectPlanDoc(doc: Y.Doc): PlanProjection {
  const { meta } = readPlanDoc(doc);
  const budget = readBlock(doc, ROOT.budget);
  const timeline = readBlock(doc, ROOT.timeline);
  const roles = readBlock(doc, ROOT.roles);
  const kpis = readBlock(doc, ROOT.kpis);
  const invalid = [...timeline.invalid, ...roles.invalid, ...budget.invalid, ...kpis.invalid];
  const budgetLines = projectBudget(doc, budget.rows, invalid);
  const totals = totalsOf(budgetLines);
  return {
    anchor: meta.anchor,
    totals: {
      spendFen: totals.spendFen,
      incomeFen: totals.incomeFen,
      netFen: totals.netFen,
      tbdCount: totals.tbdCount,
      budgetLineCount: budgetLines.length,
    },
    budgetLines,
    timelineItems: positioned(timeline.rows),
    kpis: positioned(kpis.rows),
    assignments: positioned(roles.rows),
    invalid,
  };
}

/**
 * Whether a transaction changed anything the projection reads, so text typed into a
 * narrative section does not re-project the plan.
 */
export function touchesProjection(transaction: Y.Transaction): boolean {
  const doc = transaction.doc;
  const roots = new Set(PROJECTED_ROOTS.map((name) => doc.share.get(name)).filter((type) => type !== undefined));
  for (const changed of transaction.changed.keys()) {
    let type = changed;
    while (type._item !== null && type._item.parent instanceof Y.AbstractType) type = type._item.parent as typeof type;
    if (roots.has(type)) return true;
  }
  return false;
}

/** One line per projection for the log: which rows were left out and why. */
export function describeInvalidRows(invalid: readonly InvalidRow[]): string {
  return invalid.map((row) => `${row.root}[${row.index}]${row.id ? ` ${row.id}` : ""}: ${row.issues.join("; ")}`).join(" | ");
}
