import { Lunar } from "lunar-typescript";
// The pre-generated data file, not the library's functions: chinese-days builds its
// lookup tables at load time from UTC dates formatted in the *local* zone, so in any
// zone west of UTC every holiday shifts a day early. The JSON is plain data, keyed by
// the calendar date, and behaves the same on every server and in every browser.
import chineseDaysData from "chinese-days/dist/chinese-days.json";

/**
 * Calendar facts for planning: lunar festivals, fixed dates, the official holiday
 * schedule, and date arithmetic on plain calendar dates (YYYY-MM-DD). Pure: no clock,
 * no time zone — every date is a calendar day, computed in UTC.
 */

export const FESTIVAL_KEYS = ["chunjie", "yuanxiao", "duanwu", "qixi", "zhongqiu", "chongyang", "laba"] as const;
export type Festival = (typeof FESTIVAL_KEYS)[number];

/** Festivals by lunar month and day, with the name planners use. */
export const FESTIVALS: Readonly<Record<Festival, { name: string; lunarMonth: number; lunarDay: number }>> = {
  chunjie: { name: "春节", lunarMonth: 1, lunarDay: 1 },
  yuanxiao: { name: "元宵节", lunarMonth: 1, lunarDay: 15 },
  duanwu: { name: "端午节", lunarMonth: 5, lunarDay: 5 },
  qixi: { name: "七夕", lunarMonth: 7, lunarDay: 7 },
  zhongqiu: { name: "中秋节", lunarMonth: 8, lunarDay: 15 },
  chongyang: { name: "重阳节", lunarMonth: 9, lunarDay: 9 },
  laba: { name: "腊八节", lunarMonth: 12, lunarDay: 8 },
};

/** Years the calendar functions accept; far wider than any plan, narrow enough to catch typos. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be a whole number from ${MIN_YEAR} to ${MAX_YEAR}, got ${year}`);
  }
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Formats a UTC calendar day; years outside 0000–9999 never reach here (checked by callers). */
function formatUtc(date: Date): string {
  return `${String(date.getUTCFullYear()).padStart(4, "0")}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

/** Days since 1970-01-01 for a checked YYYY-MM-DD, or null if the date does not exist. */
function toDayNumber(iso: string): number | null {
  const match = ISO_DATE.exec(iso);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  date.setUTCFullYear(y);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return Math.round(date.getTime() / DAY_MS);
}

/** True for a YYYY-MM-DD string naming a day that exists (no 2027-02-29). */
export function isIsoDate(value: string): boolean {
  return toDayNumber(value) !== null;
}

/** The calendar day `n` days after `iso` (before, for negative `n`). */
export function addDays(iso: string, n: number): string {
  const day = toDayNumber(iso);
  if (day === null) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${iso}`);
  if (!Number.isSafeInteger(n)) throw new RangeError(`days must be a whole number, got ${n}`);
  const result = new Date((day + n) * DAY_MS);
  const year = result.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`${iso} + ${n} days leaves the years 0000–9999`);
  return formatUtc(result);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  if (a === null) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${from}`);
  if (b === null) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${to}`);
  return b - a;
}

/** True for "MM-DD" naming a day that exists in every year (so not 02-29). */
export function isMonthDay(value: string): boolean {
  const match = MONTH_DAY.exec(value);
  if (!match || value === "02-29") return false;
  // 2001 is not a leap year: any MM-DD valid there is valid in every year.
  return toDayNumber(`2001-${value}`) !== null;
}

/** "11-11" in `year`: "2027-11-11". */
export function fixedDate(monthDay: string, year: number): string {
  checkYear(year);
  if (!isMonthDay(monthDay)) throw new RangeError(`not a month and day that exists every year (MM-DD, not 02-29): ${monthDay}`);
  return `${year}-${monthDay}`;
}

/**
 * The Gregorian date of a lunar festival in lunar year `year`: `Lunar.fromYmd(year, m, d)`.
 * For every festival but 腊八 that is also the Gregorian year; 腊八 (12th month, 8th day)
 * of lunar year 2026 falls on 2027-01-15 — it closes the lunar year, before the next 春节.
 * Months are the regular (non-leap) months, as the festivals are kept.
 */
export function festivalDate(festival: Festival, year: number): string {
  checkYear(year);
  if (!Object.hasOwn(FESTIVALS, festival)) throw new RangeError(`unknown festival: ${String(festival)}`);
  const spec = FESTIVALS[festival];
  const solar = Lunar.fromYmd(year, spec.lunarMonth, spec.lunarDay).getSolar();
  return `${String(solar.getYear()).padStart(4, "0")}-${pad2(solar.getMonth())}-${pad2(solar.getDay())}`;
}

export interface OfficialDay {
  date: string;
  /** Chinese holiday name as the State Council notice writes it: 国庆节, 春节, … */
  name: string;
}

export interface OfficialSchedule {
  /** False until the State Council's schedule for the year is in the installed chinese-days. */
  known: boolean;
  /** Days off (放假), weekends inside a holiday included. */
  holidays: OfficialDay[];
  /** Weekend days that are working days (调休上班). */
  workdays: OfficialDay[];
}

interface ChineseDaysData {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
}
const officialData: ChineseDaysData = chineseDaysData;

/** "National Day,国庆节,3" → "国庆节"; anything unexpected is kept whole. */
function chineseName(entry: string): string {
  const parts = entry.split(",");
  return parts.length >= 2 && parts[1] ? parts[1] : entry;
}

function daysOf(table: Readonly<Record<string, string>>, year: number): OfficialDay[] {
  const prefix = `${year}-`;
  return Object.entries(table)
    .filter(([date]) => date.startsWith(prefix))
    .map(([date, entry]) => ({ date, name: chineseName(entry) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The official holiday schedule of `year` (放假 and 调休上班 days) from chinese-days.
 * A year the library does not know yet (the schedule is published each November for the
 * next year) comes back `known: false` with no days, so callers can say "not published".
 */
export function officialHolidays(year: number): OfficialSchedule {
  checkYear(year);
  const holidays = daysOf(officialData.holidays, year);
  const workdays = daysOf(officialData.workdays, year);
  // Every published schedule has days off (元旦 at least); a year without any is unknown.
  return holidays.length > 0 ? { known: true, holidays, workdays } : { known: false, holidays: [], workdays: [] };
}

/** Today's date in China, where the campaigns run, whatever the server's time zone. */
export function chinaToday(now = Date.now()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
