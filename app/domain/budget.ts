import { fen, parseDigits, parseHundredths, type DecimalProblem, type Fen } from "./money";

/** The expense classes of seed 002 (D company's marketing plan). */
export const STANDARD_CATEGORIES = ["基础费用", "消费者品牌发展费用", "渠道发展费用"] as const;

/** 1,000,000,000 units, in hundredths. */
export const MAX_QUANTITY_HUNDREDTHS = 100_000_000_000;

/** A quantity with at most two decimals, held exactly as quantity × 100. */
export type Quantity = { readonly hundredths: number } & { readonly __brand: "Quantity" };

/** Stable codes, usable as i18n keys. */
export type BudgetErrorCode = "notANumber" | "negativeQuantity" | "tooManyDecimals" | "tooLarge" | "totalTooLarge";

export class BudgetError extends Error {
  override name = "BudgetError";
  constructor(
    readonly code: BudgetErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

const QUANTITY_CODES = {
  notANumber: "notANumber",
  negative: "negativeQuantity",
  tooManyDecimals: "tooManyDecimals",
  tooLarge: "tooLarge",
} as const satisfies Record<DecimalProblem, BudgetErrorCode>;

/** "2.5", "10,000", "１００": non-negative, at most 2 decimals, at most 1e9. */
export function parseQuantity(text: string): Quantity {
  const parsed = parseHundredths(text, MAX_QUANTITY_HUNDREDTHS);
  if (!parsed.ok) throw new BudgetError(QUANTITY_CODES[parsed.problem], `${QUANTITY_CODES[parsed.problem]}: ${text}`);
  return { hundredths: parsed.hundredths } as Quantity;
}

/** Rebuilds a stored quantity (its integer hundredths), checking it as parseQuantity would. */
export function quantityFromHundredths(hundredths: number): Quantity {
  if (!Number.isSafeInteger(hundredths)) throw new BudgetError("notANumber", `not whole hundredths: ${hundredths}`);
  if (hundredths < 0) throw new BudgetError("negativeQuantity");
  if (hundredths > MAX_QUANTITY_HUNDREDTHS) throw new BudgetError("tooLarge");
  return { hundredths } as Quantity;
}

/** "2.5", "10000", "0.15": shortest exact decimal, no grouping. */
export function formatQuantity(quantity: Quantity): string {
  const whole = Math.floor(quantity.hundredths / 100);
  const cents = quantity.hundredths % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, "0").replace(/0$/, "")}`;
}

/**
 * The one line-amount rule: quantity × unit price, rounded half-up to the fen, computed
 * exactly. A TBD (待定) price gives no amount.
 */
export function lineAmount(quantity: Quantity, unitPriceFen: Fen): Fen;
export function lineAmount(quantity: Quantity, unitPriceFen: Fen | null): Fen | null;
export function lineAmount(quantity: Quantity, unitPriceFen: Fen | null): Fen | null {
  if (unitPriceFen === null) return null;
  const exact = BigInt(quantity.hundredths) * BigInt(unitPriceFen); // in hundredths of a fen
  const magnitude = exact < 0n ? -exact : exact;
  // Half away from zero, as Excel's ROUND does; prices are never negative anyway.
  const rounded = (magnitude + 50n) / 100n;
  // Money code may not call the Number function (eslint.config.js): the bigint comes back through its digits.
  const value = parseDigits(rounded.toString(), Number.MAX_SAFE_INTEGER);
  if (value === null) throw new BudgetError("totalTooLarge", `line amount exceeds ${Number.MAX_SAFE_INTEGER} fen`);
  return fen(exact < 0n ? -value : value);
}

export type BudgetLineInput = {
  id: string;
  category: string;
  quantity: Quantity;
  /** null: 待定 (TBD). */
  unitPriceFen: Fen | null;
  income: boolean;
  /** Nothing typed into the line yet (添加类别 makes one): no amount, but not a 待定 either. */
  blank?: boolean;
};

export type CategoryTotals = {
  category: string;
  spendFen: Fen;
  incomeFen: Fen;
  netFen: Fen;
  lineCount: number;
  tbdCount: number;
};

export type BudgetTotals = {
  spendFen: Fen;
  incomeFen: Fen;
  /** spend − income */
  netFen: Fen;
  tbdCount: number;
  /** In order of first appearance. */
  byCategory: CategoryTotals[];
};

/** The sum of two safe integers is exact whenever it is itself safe, so one check per step suffices. */
function safe(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new BudgetError("totalTooLarge", `total exceeds ${Number.MAX_SAFE_INTEGER} fen`);
  return fen(value);
}

/** Every total is a sum of line amounts, so the editor, the sheet and the snapshot agree to the fen. */
export function budgetTotals(lines: readonly BudgetLineInput[]): BudgetTotals {
  const groups = new Map<string, CategoryTotals>();
  let spendFen = fen(0);
  let incomeFen = fen(0);
  let tbdCount = 0;
  for (const line of lines) {
    let group = groups.get(line.category);
    if (!group) {
      group = { category: line.category, spendFen: fen(0), incomeFen: fen(0), netFen: fen(0), lineCount: 0, tbdCount: 0 };
      groups.set(line.category, group);
    }
    group.lineCount += 1;
    const amount = lineAmount(line.quantity, line.unitPriceFen);
    if (amount === null) {
      if (line.blank) continue;
      group.tbdCount += 1;
      tbdCount += 1;
    } else if (line.income) {
      group.incomeFen = safe(group.incomeFen + amount);
      incomeFen = safe(incomeFen + amount);
    } else {
      group.spendFen = safe(group.spendFen + amount);
      spendFen = safe(spendFen + amount);
    }
  }
  const byCategory = [...groups.values()];
  for (const group of byCategory) group.netFen = safe(group.spendFen - group.incomeFen);
  return { spendFen, incomeFen, netFen: safe(spendFen - incomeFen), tbdCount, byCategory };
}
