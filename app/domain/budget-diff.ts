import type { BudgetSnapshot, SnapshotLine } from "./approval";
import { basisPoints, negateFen, subtractFen, ZERO_FEN, type BasisPoints, type Fen } from "./money";

/**
 * The re-approval diff: a budget snapshot line by line against the last approved one,
 * with per-category and total deltas and the matrix's single-item change limit. Pure.
 */

export type LineChange = "added" | "removed" | "changed";

export interface LineDiff {
  id: string;
  change: LineChange;
  before: SnapshotLine | null;
  after: SnapshotLine | null;
  /** Fields that differ, for a changed line. */
  fields: (keyof SnapshotLine)[];
  /** after − before amount (a removed line's is negative). */
  deltaFen: Fen;
  /** Change of the amount in basis points of the old amount; null when there was none before. */
  deltaBasisPoints: BasisPoints | null;
  /** Moved by more than the matrix's single-item change limit (002: 15%). */
  overLimit: boolean;
}

export interface CategoryDiff {
  category: string;
  beforeNetFen: Fen;
  afterNetFen: Fen;
  deltaFen: Fen;
}

export interface BudgetDiff {
  lines: LineDiff[];
  categories: CategoryDiff[];
  spendDeltaFen: Fen;
  incomeDeltaFen: Fen;
  netDeltaFen: Fen;
}

const COMPARED: (keyof SnapshotLine)[] = ["category", "item", "quantityHundredths", "unit", "unitPriceFen", "income", "owner", "quarter", "note"];

/** |delta| / before > limit%, in exact integers. */
function overLimit(beforeFen: number, deltaFen: number, limitPercent: number): boolean {
  if (beforeFen === 0) return deltaFen !== 0;
  return BigInt(Math.abs(deltaFen)) * 100n > BigInt(limitPercent) * BigInt(Math.abs(beforeFen));
}

/** Line by line against the last approved snapshot, in the current budget's order, removed lines last. */
export function diffBudgets(approved: BudgetSnapshot, current: BudgetSnapshot, limitPercent: number): BudgetDiff {
  const before = new Map(approved.lines.map((line) => [line.id, line]));
  const after = new Set(current.lines.map((line) => line.id));
  const lines: LineDiff[] = [];
  for (const line of current.lines) {
    const old = before.get(line.id);
    if (!old) {
      lines.push({ id: line.id, change: "added", before: null, after: line, fields: [], deltaFen: line.amountFen, deltaBasisPoints: null, overLimit: true });
      continue;
    }
    const fields = COMPARED.filter((field) => old[field] !== line[field]);
    if (fields.length === 0) continue;
    const deltaFen = subtractFen(line.amountFen, old.amountFen);
    lines.push({ id: line.id, change: "changed", before: old, after: line, fields, deltaFen, deltaBasisPoints: basisPoints(deltaFen, old.amountFen), overLimit: overLimit(old.amountFen, deltaFen, limitPercent) });
  }
  for (const line of approved.lines) {
    if (!after.has(line.id)) lines.push({ id: line.id, change: "removed", before: line, after: null, fields: [], deltaFen: negateFen(line.amountFen), deltaBasisPoints: -10_000 as BasisPoints, overLimit: true });
  }
  const categories = new Map<string, CategoryDiff>();
  const category = (name: string) => {
    let entry = categories.get(name);
    if (!entry) categories.set(name, (entry = { category: name, beforeNetFen: ZERO_FEN, afterNetFen: ZERO_FEN, deltaFen: ZERO_FEN }));
    return entry;
  };
  for (const c of approved.byCategory) category(c.category).beforeNetFen = c.netFen;
  for (const c of current.byCategory) category(c.category).afterNetFen = c.netFen;
  for (const entry of categories.values()) entry.deltaFen = subtractFen(entry.afterNetFen, entry.beforeNetFen);
  return {
    lines,
    categories: [...categories.values()].filter((c) => c.deltaFen !== 0),
    spendDeltaFen: subtractFen(current.spendFen, approved.spendFen),
    incomeDeltaFen: subtractFen(current.incomeFen, approved.incomeFen),
    netDeltaFen: subtractFen(current.netFen, approved.netFen),
  };
}
