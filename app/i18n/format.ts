import type { BasisPoints, Fen } from "~/domain/money";
import { fenToDecimalString } from "~/domain/money";
import type { Locale } from "~/domain/roles";

// Building a formatter costs far more than formatting: a 500-line budget formats thousands of amounts per render.
const moneyFormats = new Map<Locale, Intl.NumberFormat>();

/** ¥1,234.56 in either language; the decimal string keeps every fen exact. */
export function formatMoney(amount: Fen, locale: Locale): string {
  let format = moneyFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: "CNY", currencyDisplay: "narrowSymbol" });
    moneyFormats.set(locale, format);
  }
  return format.format(fenToDecimalString(amount) as unknown as number);
}

export interface PercentOptions {
  /** "+4%" for a rise (a fall always shows its minus; zero neither). */
  signed?: boolean;
  /** Always two decimals ("80.00%"), as tables of figures are read; otherwise trailing zeros go ("12.5%", "80%"). */
  fixed?: boolean;
}

const percentFormats = new Map<string, Intl.NumberFormat>();

/**
 * The one percent formatter: basis points (10000 = 100%) as text, exactly, in either
 * language. The ratio goes to Intl as a decimal string, so no float step rounds it.
 */
export function formatPercent(points: BasisPoints, locale: Locale, options: PercentOptions = {}): string {
  const key = `${locale}|${options.signed ? "s" : ""}${options.fixed ? "f" : ""}`;
  let format = percentFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: "percent",
      minimumFractionDigits: options.fixed ? 2 : 0,
      maximumFractionDigits: 2,
      signDisplay: options.signed ? "exceptZero" : "auto",
      useGrouping: false,
    });
    percentFormats.set(key, format);
  }
  const abs = Math.abs(points);
  // No sign on zero: a ratio rounded to 0 from below is still shown as 0%.
  const ratio = `${points < 0 ? "-" : ""}${Math.floor(abs / 10_000)}.${String(abs % 10_000).padStart(4, "0")}`;
  return format.format(ratio as unknown as number);
}

const CHINA_TZ = "Asia/Shanghai";

export function formatDate(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: CHINA_TZ }).format(epochMs);
}

/** 21:55 — a time of day today, as a wait's end is named. */
export function formatClockTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: CHINA_TZ }).format(epochMs);
}
