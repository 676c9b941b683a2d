import { formatQuantity, parseQuantity, quantityFromHundredths } from "~/domain/budget";
import { parseYuan } from "~/domain/money";
import { IsoDateSchema } from "~/domain/plan";
import { KpiTargetSchema } from "./rows";

// ---------------------------------------------------------------------------------------
// Cell input: what a person types, checked before anything is written.

export type CellErrorCode =
  | "notANumber"
  | "negativeQuantity"
  | "tooManyDecimals"
  | "tooLarge"
  | "notAnAmount"
  | "negativeAmount"
  | "amountTooLarge"
  | "invalidDate"
  | "endBeforeStart"
  | "tooLong"
  | "invalidTarget";

export type CellParse<T> = { ok: true; value: T } | { ok: false; code: CellErrorCode };

/** A quantity cell: up to 2 decimals, not negative. */
export function parseQuantityCell(text: string): CellParse<number> {
  try {
    return { ok: true, value: parseQuantity(text).hundredths };
  } catch (error) {
    return { ok: false, code: (error as { code: CellErrorCode }).code };
  }
}

/** A unit-price cell: yuan straight to fen; blank, 待定 or TBD means to be decided. */
export function parsePriceCell(text: string): CellParse<number | null> {
  const trimmed = text.normalize("NFKC").trim();
  if (trimmed === "" || trimmed === "待定" || trimmed.toUpperCase() === "TBD") return { ok: true, value: null };
  try {
    return { ok: true, value: parseYuan(trimmed) };
  } catch (error) {
    return { ok: false, code: (error as { code: CellErrorCode }).code };
  }
}

/** A KPI target: decimal text, or blank / 待定 for not yet set. */
export function parseTargetCell(text: string): CellParse<string | null> {
  const trimmed = text.normalize("NFKC").trim().replace(/,/g, "");
  if (trimmed === "" || trimmed === "待定" || trimmed.toUpperCase() === "TBD") return { ok: true, value: null };
  const canonical = trimmed.replace(/^(-?)0+(?=\d)/, "$1").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return KpiTargetSchema.safeParse(canonical).success ? { ok: true, value: canonical } : { ok: false, code: "invalidTarget" };
}

export function parseDateCell(text: string): CellParse<string> {
  const trimmed = text.normalize("NFKC").trim().replace(/[/.]/g, "-");
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const iso = match ? `${match[1]}-${match[2]?.padStart(2, "0")}-${match[3]?.padStart(2, "0")}` : trimmed;
  return IsoDateSchema.safeParse(iso).success ? { ok: true, value: iso } : { ok: false, code: "invalidDate" };
}

export function parseTextCell(text: string, max: number): CellParse<string> {
  const trimmed = text.trim();
  return trimmed.length > max ? { ok: false, code: "tooLong" } : { ok: true, value: trimmed };
}

export function formatQuantityHundredths(hundredths: number): string {
  return formatQuantity(quantityFromHundredths(hundredths));
}
