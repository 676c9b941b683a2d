/** Money is integer fen (分) everywhere; the brand keeps yuan floats from sneaking in. */
export type Fen = number & { readonly __brand: "Fen" };

export class MoneyParseError extends Error {
  override name = "MoneyParseError";
}

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new MoneyParseError(`not a whole number of fen: ${value}`);
  return value as Fen;
}

/**
 * Parses yuan as people type it ("1,234.5", "¥ 12", "-3.05", "１２３") straight to fen,
 * digit by digit, never through parseFloat.
 */
export function parseYuan(text: string): Fen {
  const cleaned = text.normalize("NFKC").trim().replace(/^¥\s*/, "").replace(/,/g, "");
  const match = /^(-)?(\d+)(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) throw new MoneyParseError(`not an amount in yuan with at most 2 decimals: ${text}`);
  const [, minus, whole, decimals = ""] = match;
  const value = Number(whole) * 100 + Number(decimals.padEnd(2, "0"));
  return fen(minus ? -value : value);
}

/** "1234.56" / "-0.05": exact, for formatters that accept decimal strings. */
export function fenToDecimalString(amount: Fen): string {
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
