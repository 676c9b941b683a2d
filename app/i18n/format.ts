import type { BasisPoints, Fen } from "~/domain/money";
import { fenToDecimalString, MoneyParseError, parseYuan } from "~/domain/money";
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
  /** "+4.0%" for a rise (a fall always shows its minus; zero neither). */
  signed?: boolean;
  /**
   * Two decimals ("80.00%"), for the exported workbook and the review written into the plan,
   * where figures are read as a table. Every page uses the default, one decimal always
   * ("93.0%", "92.2%", "108.6%"), so percentages beside each other line up and compare.
   */
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
      minimumFractionDigits: options.fixed ? 2 : 1,
      maximumFractionDigits: options.fixed ? 2 : 1,
      // "negative", not "auto": a small fall rounded to zero reads 0.0%, never "-0.0%".
      signDisplay: options.signed ? "exceptZero" : "negative",
      useGrouping: false,
    });
    percentFormats.set(key, format);
  }
  const abs = Math.abs(points);
  // No sign on zero: a ratio rounded to 0 from below is still shown as 0.0%.
  const ratio = `${points < 0 ? "-" : ""}${Math.floor(abs / 10_000)}.${String(abs % 10_000).padStart(4, "0")}`;
  return format.format(ratio as unknown as number);
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
// The units planners write for an amount of money in a KPI (营业额 目标 380000 元).
const MONEY_UNITS = new Set(["元", "¥", "人民币", "rmb", "cny", "yuan"]);

/**
 * A KPI figure (decimal text, as the plan stores it) with its unit. An amount in 元 reads as
 * money, like every other amount on the page ("¥380,000.00", never "380000 元" beside
 * "¥412,800.00"); any other figure gets digit grouping and its unit ("12,000 人", "150 万元").
 */
export function formatKpiValue(value: string, unit: string, locale: Locale): string {
  const trimmedUnit = unit.trim();
  if (MONEY_UNITS.has(trimmedUnit.toLowerCase())) {
    try {
      return formatMoney(parseYuan(value), locale);
    } catch (error) {
      // A negative or over-precise figure is no amount parseYuan takes: shown as a number instead.
      if (!(error instanceof MoneyParseError)) throw error;
    }
  }
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
    numberFormats.set(locale, format);
  }
  const number = /^-?\d+(\.\d+)?$/.test(value.trim()) ? format.format(value.trim() as unknown as number) : value;
  return trimmedUnit === "" ? number : `${number} ${trimmedUnit}`;
}

const CHINA_TZ = "Asia/Shanghai";

export function formatDate(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: CHINA_TZ }).format(epochMs);
}

/** A calendar day (YYYY-MM-DD, a day in China) in the member's date style: 2027年6月19日 / Jun 19, 2027. */
export function formatIsoDate(iso: string, locale: Locale): string {
  return formatDate(Date.parse(`${iso}T12:00:00+08:00`), locale);
}

/** 21:55 — a time of day today, as a wait's end is named. */
export function formatClockTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: CHINA_TZ }).format(epochMs);
}
