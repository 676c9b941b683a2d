import { addFen, basisPoints, fen, isPlanTotal, subtractFen, ZERO_FEN, type BasisPoints, type Fen } from "./money";
import { KpiTargetSchema } from "./plan-document";

/**
 * Budget against actuals (实际对比) and KPI completion. The budget basis is the approved
 * snapshot when there is one, else the current draft; every figure is integer fen and
 * every total a sum of the same line figures, so the page, the plan workbook and the
 * portfolio reconcile to the fen. Pure: no I/O.
 */

export interface BasisLine {
  id: string;
  category: string;
  item: string;
  income: boolean;
  /** null: 待定 in the draft, budgeted as ¥0 and flagged. Plain numbers: computeVariance checks every input before it becomes Fen. */
  amountFen: number | null;
}

export interface LineVariance {
  id: string;
  category: string;
  item: string;
  income: boolean;
  budgetFen: Fen;
  actualFen: Fen;
  /** actual − budget */
  varianceFen: Fen;
  /** variance / budget in basis points (10000 = 100%); null when the budget is 0. */
  varianceBasisPoints: BasisPoints | null;
  /** A spend line that cost more than budgeted. */
  overBudget: boolean;
  tbd: boolean;
}

export interface CategoryVariance {
  category: string;
  budgetFen: Fen;
  actualFen: Fen;
  varianceFen: Fen;
  varianceBasisPoints: BasisPoints | null;
  overBudget: boolean;
}

export interface VarianceTotals {
  budgetSpendFen: Fen;
  actualSpendFen: Fen;
  budgetIncomeFen: Fen;
  actualIncomeFen: Fen;
  /** Net = spend − income, for budget and actual. */
  budgetNetFen: Fen;
  actualNetFen: Fen;
  /** actual net − budget net */
  varianceFen: Fen;
  varianceBasisPoints: BasisPoints | null;
}

export interface Variance {
  lines: LineVariance[];
  /** Actuals booked against line ids the basis does not have (e.g. a line added after approval). */
  unbudgeted: { id: string; actualFen: Fen }[];
  /** Spend lines only: income is not spending, it is reported in the totals. */
  categories: CategoryVariance[];
  totals: VarianceTotals;
  /**
   * Some amount or total is beyond MAX_PLAN_TOTAL_FEN (spend recorded before the bound
   * existed): nothing is computed, every list is empty, and the page says so instead.
   */
  outOfRange: boolean;
}

const OUT_OF_RANGE: Variance = {
  lines: [],
  unbudgeted: [],
  categories: [],
  totals: { budgetSpendFen: ZERO_FEN, actualSpendFen: ZERO_FEN, budgetIncomeFen: ZERO_FEN, actualIncomeFen: ZERO_FEN, budgetNetFen: ZERO_FEN, actualNetFen: ZERO_FEN, varianceFen: ZERO_FEN, varianceBasisPoints: null },
  outOfRange: true,
};

class OutOfRange extends Error {}

function sumSafe(a: Fen, b: Fen): Fen {
  const sum = addFen(a, b);
  if (!isPlanTotal(sum)) throw new OutOfRange();
  return sum;
}

/** The variance, or OUT_OF_RANGE when an input or a sum passes MAX_PLAN_TOTAL_FEN: a reader never throws on stored money. */
export function computeVariance(basis: readonly BasisLine[], actualByLine: ReadonlyMap<string, number>): Variance {
  if (basis.some((line) => line.amountFen !== null && !isPlanTotal(line.amountFen)) || [...actualByLine.values()].some((fen) => !isPlanTotal(fen))) return OUT_OF_RANGE;
  try {
    return varianceOf(basis, actualByLine);
  } catch (error) {
    if (error instanceof OutOfRange) return OUT_OF_RANGE;
    throw error;
  }
}

function varianceOf(basis: readonly BasisLine[], actualByLine: ReadonlyMap<string, number>): Variance {
  const known = new Set(basis.map((line) => line.id));
  const lines = basis.map((line): LineVariance => {
    const budgetFen = line.amountFen === null ? ZERO_FEN : fen(line.amountFen);
    const actualFen = fen(actualByLine.get(line.id) ?? 0);
    const varianceFen = subtractFen(actualFen, budgetFen);
    return {
      id: line.id,
      category: line.category,
      item: line.item,
      income: line.income,
      budgetFen,
      actualFen,
      varianceFen,
      varianceBasisPoints: basisPoints(varianceFen, budgetFen),
      overBudget: !line.income && actualFen > budgetFen,
      tbd: line.amountFen === null,
    };
  });
  const unbudgeted = [...actualByLine].filter(([id, actualFen]) => !known.has(id) && actualFen !== 0).map(([id, actualFen]) => ({ id, actualFen: fen(actualFen) }));

  const groups = new Map<string, CategoryVariance>();
  const totals: VarianceTotals = { budgetSpendFen: ZERO_FEN, actualSpendFen: ZERO_FEN, budgetIncomeFen: ZERO_FEN, actualIncomeFen: ZERO_FEN, budgetNetFen: ZERO_FEN, actualNetFen: ZERO_FEN, varianceFen: ZERO_FEN, varianceBasisPoints: null };
  for (const line of lines) {
    if (line.income) {
      totals.budgetIncomeFen = sumSafe(totals.budgetIncomeFen, line.budgetFen);
      totals.actualIncomeFen = sumSafe(totals.actualIncomeFen, line.actualFen);
      continue;
    }
    totals.budgetSpendFen = sumSafe(totals.budgetSpendFen, line.budgetFen);
    totals.actualSpendFen = sumSafe(totals.actualSpendFen, line.actualFen);
    let group = groups.get(line.category);
    if (!group) groups.set(line.category, (group = { category: line.category, budgetFen: ZERO_FEN, actualFen: ZERO_FEN, varianceFen: ZERO_FEN, varianceBasisPoints: null, overBudget: false }));
    group.budgetFen = sumSafe(group.budgetFen, line.budgetFen);
    group.actualFen = sumSafe(group.actualFen, line.actualFen);
  }
  const categories = [...groups.values()].map((group) => {
    const varianceFen = subtractFen(group.actualFen, group.budgetFen);
    return { ...group, varianceFen, varianceBasisPoints: basisPoints(varianceFen, group.budgetFen), overBudget: group.actualFen > group.budgetFen };
  });
  totals.budgetNetFen = subtractFen(totals.budgetSpendFen, totals.budgetIncomeFen);
  totals.actualNetFen = subtractFen(totals.actualSpendFen, totals.actualIncomeFen);
  totals.varianceFen = sumSafe(totals.actualNetFen, subtractFen(ZERO_FEN, totals.budgetNetFen));
  totals.varianceBasisPoints = basisPoints(totals.varianceFen, totals.budgetNetFen);
  return { lines, unbudgeted, categories, totals, outOfRange: false };
}

/** Decimal text ("95.5", "-3") as an exact scaled integer: value × 10^4. */
function scaled(text: string): bigint | null {
  if (!KpiTargetSchema.safeParse(text).success) return null;
  const negative = text.startsWith("-");
  const [whole = "0", decimals = ""] = (negative ? text.slice(1) : text).split(".");
  const value = BigInt(whole) * 10_000n + BigInt(decimals.padEnd(4, "0"));
  return negative ? -value : value;
}

/**
 * How far a KPI got, in basis points of its target (10000 = 100%): actual ÷ target when
 * higher is better, target ÷ actual when lower is better (a cost per lead of ¥4 against a
 * ¥5 target is 125%). null when either is missing or the divisor is zero.
 */
export function kpiCompletion(target: string | null, actual: string | null, direction: "up" | "down"): BasisPoints | null {
  if (target === null || actual === null) return null;
  const t = scaled(target);
  const a = scaled(actual);
  if (t === null || a === null) return null;
  return direction === "up" ? basisPoints(a, t) : basisPoints(t, a);
}
