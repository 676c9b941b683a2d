import type { Fen } from "../domain/money";
import { fenToDecimalString } from "../domain/money";
import type { Locale } from "../domain/roles";

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

const CHINA_TZ = "Asia/Shanghai";

export function formatDate(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: CHINA_TZ }).format(epochMs);
}

/** 21:55 — a time of day today, as a wait's end is named. */
export function formatClockTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: CHINA_TZ }).format(epochMs);
}
