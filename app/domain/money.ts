/** Money is integer fen (分) everywhere; the brand keeps yuan floats from sneaking in. */
export type Fen = number & { readonly __brand: "Fen" };

/** ¥10,000,000,000: the largest amount (and unit price) a person may type. */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/**
 * ¥1,000,000,000,000: the most one plan's budget, or its recorded actual spend, may add up
 * to. Far above any campaign, and a hundred times below Number.MAX_SAFE_INTEGER (≈ 9×10^15
 * fen), so sums over a plan, and over many plans, stay exact. Enforced where amounts are
 * written; readers meeting a figure beyond it (written before the bound) show it as out of
 * range instead of computing with it.
 */
export const MAX_PLAN_TOTAL_FEN = 100_000_000_000_000;

/** A total a page may compute with: an exact integer within ±MAX_PLAN_TOTAL_FEN. */
export function isPlanTotal(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_PLAN_TOTAL_FEN;
}

/** Stable codes, usable as i18n keys. */
export type MoneyErrorCode = "notAnAmount" | "tooManyDecimals" | "negativeAmount" | "amountTooLarge";

export class MoneyParseError extends Error {
  override name = "MoneyParseError";
  constructor(
    readonly code: MoneyErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new MoneyParseError("notAnAmount", `not a whole number of fen: ${value}`);
  return value as Fen;
}

/** A value from outside the type system (a chart library's callback) as fen, or null when it is not a whole number of fen. */
export function fenOrNull(value: unknown): Fen | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? fen(value) : null;
}

/**
 * The exact value of a run of ASCII digits, or null once it passes `max`
 * (≤ Number.MAX_SAFE_INTEGER). Every value kept is ≤ max, hence exact, and a step past
 * max is still caught after float rounding. This is the only way money code turns text
 * into a number.
 */
export function parseDigits(digits: string, max: number): number | null {
  let value = 0;
  for (const char of digits) {
    value = value * 10 + (char.charCodeAt(0) - 48);
    if (value > max) return null;
  }
  return value;
}

export type DecimalProblem = "notANumber" | "negative" | "tooManyDecimals" | "tooLarge";
export type DecimalParse = { ok: true; hundredths: number } | { ok: false; problem: DecimalProblem };

/**
 * Decimal text as people type it ("1,234.5", "１２３", "12.") as an exact count of
 * hundredths, at most `max`. Shared by yuan amounts and budget quantities.
 */
export function parseHundredths(text: string, max: number): DecimalParse {
  const cleaned = text.normalize("NFKC").trim().replace(/,/g, "");
  // U+2212 survives NFKC; catching it reports "negative" rather than "not a number".
  const match = /^([-\u2212])?(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return { ok: false, problem: "notANumber" };
  const [, minus, whole = "", decimals = ""] = match;
  if (minus) return { ok: false, problem: "negative" };
  if (decimals.length > 2) return { ok: false, problem: "tooManyDecimals" };
  const hundredths = parseDigits(whole + decimals.padEnd(2, "0"), max);
  return hundredths === null ? { ok: false, problem: "tooLarge" } : { ok: true, hundredths };
}

const MONEY_CODES = {
  notANumber: "notAnAmount",
  negative: "negativeAmount",
  tooManyDecimals: "tooManyDecimals",
  tooLarge: "amountTooLarge",
} as const satisfies Record<DecimalProblem, MoneyErrorCode>;

/** Chinese shorthand for thousands and ten-thousands, as typed ("1.2万", "1.2w", "1.5千", "3k"): power of ten. */
const SCALE_SUFFIXES: Readonly<Record<string, number>> = { 万: 4, w: 4, 千: 3, k: 3 };

/**
 * Parses a non-negative yuan amount as people type it ("1,234.5", "¥ 12", "１２３",
 * "12,800元", "1.2万", "1.5千", "1.2w") straight to fen, digit by digit: a scale suffix
 * moves the decimal point, so "1.2万" is exactly 1200000 fen and no float is involved.
 * Unit prices are never negative: the income flag of a budget line says which way money flows.
 */
export function parseYuan(text: string): Fen {
  const cleaned = text
    .normalize("NFKC")
    .trim()
    .replace(/^¥\s*/, "")
    .replace(/\s*元$/, "");
  const suffix = /\s*([万千wk])$/i.exec(cleaned);
  const scale = suffix ? (SCALE_SUFFIXES[suffix[1]!.toLowerCase()] ?? 0) : 0;
  const parsed = scale === 0 ? parseHundredths(cleaned, MAX_AMOUNT_FEN) : parseScaled(cleaned.slice(0, suffix!.index), scale);
  if (!parsed.ok) throw new MoneyParseError(MONEY_CODES[parsed.problem], `${MONEY_CODES[parsed.problem]}: ${text}`);
  return fen(parsed.hundredths);
}

/** "1.2" × 10^scale yuan as fen: the decimals may run `scale` digits further than plain yuan. */
function parseScaled(text: string, scale: number): DecimalParse {
  const match = /^([-\u2212])?(\d+)(?:\.(\d*))?$/.exec(text.replace(/,/g, ""));
  if (!match) return { ok: false, problem: "notANumber" };
  const [, minus, whole = "", decimals = ""] = match;
  if (minus) return { ok: false, problem: "negative" };
  if (decimals.length > 2 + scale) return { ok: false, problem: "tooManyDecimals" };
  const hundredths = parseDigits(whole + decimals.padEnd(2 + scale, "0"), MAX_AMOUNT_FEN);
  return hundredths === null ? { ok: false, problem: "tooLarge" } : { ok: true, hundredths };
}

/** A ratio in basis points: 10000 = 100%. Integer, like money, so percentages stay exact. */
export type BasisPoints = number & { readonly __brand: "BasisPoints" };

/**
 * part ÷ whole in basis points, rounded half away from zero, exactly (BigInt: no float
 * step). The one rounding rule for every percentage shown. null when whole is zero (or
 * the ratio is beyond any safe integer).
 */
export function basisPoints(part: number | bigint, whole: number | bigint): BasisPoints | null {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return null;
  const numerator = p * 10_000n;
  const negative = numerator < 0n !== w < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = w < 0n ? -w : w;
  // Read back through parseDigits, as all money text: exact, or null past MAX_SAFE_INTEGER.
  const value = parseDigits(((n * 2n + d) / (2n * d)).toString(), Number.MAX_SAFE_INTEGER);
  if (value === null) return null;
  return (negative ? -value : value) as BasisPoints;
}

/** "1234.56" / "-0.05": exact, for formatters that accept decimal strings. */
export function fenToDecimalString(amount: Fen): string {
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** a + b. The sum of two integers is an integer; callers bound it (isPlanTotal) where it can grow. */
export function addFen(a: Fen, b: Fen): Fen {
  return (a + b) as Fen;
}

/** a − b, e.g. actual − budget. */
export function subtractFen(a: Fen, b: Fen): Fen {
  return (a - b) as Fen;
}

/** −a, e.g. a removed line's change. */
export function negateFen(a: Fen): Fen {
  const value: number = a;
  return -value as Fen;
}

/** Zero fen, to start a sum from. */
export const ZERO_FEN = 0 as Fen;
