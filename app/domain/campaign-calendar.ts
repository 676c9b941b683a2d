import { addDays, daysBetween, festivalDate, FESTIVAL_KEYS, fixedDate, isIsoDate, MAX_YEAR, MIN_YEAR, officialHolidays, type Festival, type OfficialDay } from "./calendar";
import { PHASES, type Phase, type TemplateAnchor } from "./template";

/**
 * The campaign calendar (日历) without React or the database: month and quarter grids
 * (weeks from Monday, calendar days in China), what each day is (法定假日, 调休上班,
 * festivals), the plans laid over the grid, and which upcoming festivals still lack a plan.
 */

/** Festivals on the same Gregorian date every year, as planners and shoppers keep them. */
export const FIXED_FESTIVALS = {
  yuandan: "01-01",
  valentine: "02-14",
  womensDay: "03-08",
  laodong: "05-01",
  childrensDay: "06-01",
  guoqing: "10-01",
  double11: "11-11",
  double12: "12-12",
  christmas: "12-25",
} as const satisfies Record<string, string>;
export type FixedFestival = keyof typeof FIXED_FESTIVALS;
export const FIXED_FESTIVAL_KEYS = Object.keys(FIXED_FESTIVALS) as FixedFestival[];

/** A lunar festival key (zhongqiu) or a fixed one (double11); the UI names both. */
export type FestivalKey = Festival | FixedFestival;

export type OfficialKind = "holiday" | "workday";

/** A day an admin entered for a year the library does not know (or knows wrongly). */
export interface EnteredOfficialDay {
  date: string;
  kind: OfficialKind;
  name: string;
}

export type ScheduleSource = "admin" | "library" | "none";

export interface YearSchedule {
  year: number;
  /** Admin entries win over the library; "none" is a year whose schedule is not published yet. */
  source: ScheduleSource;
  holidays: OfficialDay[];
  workdays: OfficialDay[];
}

/** The official schedule of `year`: the admin's entries for it if any, else the library's. */
export function yearSchedule(year: number, entered: readonly EnteredOfficialDay[]): YearSchedule {
  const own = entered.filter((day) => day.date.startsWith(`${year}-`));
  if (own.length > 0) {
    const of = (kind: OfficialKind) =>
      own
        .filter((day) => day.kind === kind)
        .map(({ date, name }) => ({ date, name }))
        .sort((a, b) => (a.date < b.date ? -1 : 1));
    return { year, source: "admin", holidays: of("holiday"), workdays: of("workday") };
  }
  const library = officialHolidays(year);
  return library.known ? { year, source: "library", holidays: library.holidays, workdays: library.workdays } : { year, source: "none", holidays: [], workdays: [] };
}

export interface DayMarks {
  /** Name of the official holiday the day is off for (放假), or null. */
  holiday: string | null;
  /** Name of the holiday a weekend day is worked for (调休上班), or null. */
  workday: string | null;
  festivals: FestivalKey[];
}

export interface FestivalOccurrence {
  key: FestivalKey;
  date: string;
  /** The year a template takes to land on this date: the lunar year for lunar festivals (腊八 of 2026 is in January 2027). */
  templateYear: number;
}

function yearsBetween(from: string, to: string): number[] {
  const first = Math.max(MIN_YEAR, Number(from.slice(0, 4)));
  const last = Math.min(MAX_YEAR, Number(to.slice(0, 4)));
  const years: number[] = [];
  for (let year = first; year <= last; year += 1) years.push(year);
  return years;
}

/** Every lunar and fixed festival from `from` to `to`, in date order. */
export function festivalsBetween(from: string, to: string): FestivalOccurrence[] {
  const found: FestivalOccurrence[] = [];
  const years = yearsBetween(from, to);
  // 腊八 of lunar year Y falls in January of Y+1, so the lunar years start one earlier.
  const lunarYears = years.length > 0 && years[0]! > MIN_YEAR ? [years[0]! - 1, ...years] : years;
  for (const year of lunarYears) {
    for (const key of FESTIVAL_KEYS) {
      const date = festivalDate(key, year);
      if (from <= date && date <= to) found.push({ key, date, templateYear: year });
    }
  }
  for (const year of years) {
    for (const key of FIXED_FESTIVAL_KEYS) {
      const date = fixedDate(FIXED_FESTIVALS[key], year);
      if (from <= date && date <= to) found.push({ key, date, templateYear: year });
    }
  }
  return found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The marks of every marked day from `from` to `to`, keyed by date. */
export function marksBetween(from: string, to: string, entered: readonly EnteredOfficialDay[]): Map<string, DayMarks> {
  const marks = new Map<string, DayMarks>();
  const at = (date: string): DayMarks => {
    let entry = marks.get(date);
    if (!entry) {
      entry = { holiday: null, workday: null, festivals: [] };
      marks.set(date, entry);
    }
    return entry;
  };
  for (const year of yearsBetween(from, to)) {
    const schedule = yearSchedule(year, entered);
    for (const day of schedule.holidays) if (from <= day.date && day.date <= to) at(day.date).holiday = day.name;
    for (const day of schedule.workdays) if (from <= day.date && day.date <= to) at(day.date).workday = day.name;
  }
  for (const festival of festivalsBetween(from, to)) at(festival.date).festivals.push(festival.key);
  return marks;
}

/** Years from `from` to `to` with neither a library schedule nor admin entries. */
export function unpublishedYears(from: string, to: string, entered: readonly EnteredOfficialDay[]): number[] {
  return yearsBetween(from, to).filter((year) => yearSchedule(year, entered).source === "none");
}

// ---------------------------------------------------------------------------------------
// Grids

export type CalendarViewKind = "month" | "quarter";
const MONTH = /^(\d{4})-(\d{2})$/;

/** "2027-09" when it names a month in the supported years, else null. */
export function parseMonth(value: string | null | undefined): string | null {
  const match = MONTH.exec(value ?? "");
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 ? `${match[1]}-${match[2]}` : null;
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The month `n` months after `month` ("2027-12", 1 → "2028-01"). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

function lastDayOf(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/** 0 for Monday … 6 for Sunday: the week in China starts on Monday. */
function weekdayIndex(date: string): number {
  // 2001-01-01 was a Monday.
  return ((daysBetween("2001-01-01", date) % 7) + 7) % 7;
}

/** The months a view shows: one, or the three of the quarter `month` falls in. */
export function viewMonths(view: CalendarViewKind, month: string): string[] {
  if (view === "month") return [month];
  const first = addMonths(month, -((Number(month.slice(5, 7)) - 1) % 3));
  return [first, addMonths(first, 1), addMonths(first, 2)];
}

/** Where the previous and next buttons go: a month or a quarter away. */
export function stepMonth(view: CalendarViewKind, month: string, direction: -1 | 1): string {
  return view === "month" ? addMonths(month, direction) : addMonths(viewMonths("quarter", month)[0]!, 3 * direction);
}

export interface CalendarPlan {
  id: string;
  title: string;
  status: string;
  startDate: string;
  endDate: string;
  /** First start to last end of each phase's timeline items. */
  phases: { phase: Phase; start: string; end: string }[];
}

export interface BarSegment {
  planId: string;
  title: string;
  status: string;
  /** Column of the first day (0 = Monday) and how many days the segment covers in this week. */
  column: number;
  span: number;
  lane: number;
  /** The plan goes on before this week / after it: the bar's edge is open. */
  continuesBefore: boolean;
  continuesAfter: boolean;
  phases: { phase: Phase; column: number; span: number }[];
}

export interface CalendarDay {
  date: string;
  inMonth: boolean;
  weekend: boolean;
  today: boolean;
  marks: DayMarks;
}

export interface CalendarWeek {
  days: CalendarDay[];
  bars: BarSegment[];
  lanes: number;
}

export interface MonthGrid {
  month: string;
  weeks: CalendarWeek[];
}

const NO_MARKS: DayMarks = { holiday: null, workday: null, festivals: [] };

function clip(start: string, end: string, weekStart: string): { column: number; span: number } | null {
  const weekEnd = addDays(weekStart, 6);
  if (end < weekStart || start > weekEnd) return null;
  const from = start < weekStart ? weekStart : start;
  const to = end > weekEnd ? weekEnd : end;
  return { column: daysBetween(weekStart, from), span: daysBetween(from, to) + 1 };
}

/** Plans in lanes so overlapping ones never share a row; a plan keeps its lane all month. */
function assignLanes(plans: readonly CalendarPlan[]): Map<string, number> {
  const ordered = [...plans].sort((a, b) => (a.startDate !== b.startDate ? (a.startDate < b.startDate ? -1 : 1) : a.endDate < b.endDate ? -1 : 1));
  const laneEnds: string[] = [];
  const lanes = new Map<string, number>();
  for (const plan of ordered) {
    let lane = laneEnds.findIndex((end) => end < plan.startDate);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = plan.endDate;
    lanes.set(plan.id, lane);
  }
  return lanes;
}

export function monthGrid(month: string, options: { today: string; marks: ReadonlyMap<string, DayMarks>; plans: readonly CalendarPlan[] }): MonthGrid {
  const first = `${month}-01`;
  const last = lastDayOf(month);
  const gridStart = addDays(first, -weekdayIndex(first));
  const gridEnd = addDays(last, 6 - weekdayIndex(last));
  const visible = options.plans.filter((plan) => plan.startDate <= gridEnd && plan.endDate >= gridStart);
  const lanes = assignLanes(visible);
  const weeks: CalendarWeek[] = [];
  for (let weekStart = gridStart; weekStart <= gridEnd; weekStart = addDays(weekStart, 7)) {
    const days: CalendarDay[] = [];
    for (let i = 0; i < 7; i += 1) {
      const date = addDays(weekStart, i);
      days.push({ date, inMonth: monthOf(date) === month, weekend: i >= 5, today: date === options.today, marks: options.marks.get(date) ?? NO_MARKS });
    }
    const bars: BarSegment[] = [];
    for (const plan of visible) {
      const place = clip(plan.startDate, plan.endDate, weekStart);
      if (!place) continue;
      bars.push({
        planId: plan.id,
        title: plan.title,
        status: plan.status,
        ...place,
        lane: lanes.get(plan.id) ?? 0,
        continuesBefore: plan.startDate < weekStart,
        continuesAfter: plan.endDate > addDays(weekStart, 6),
        phases: plan.phases.flatMap((p) => {
          const phasePlace = clip(p.start, p.end, weekStart);
          return phasePlace ? [{ phase: p.phase, ...phasePlace }] : [];
        }),
      });
    }
    weeks.push({ days, bars, lanes: bars.reduce((max, bar) => Math.max(max, bar.lane + 1), 0) });
  }
  return { month, weeks };
}

/** The first and last day a view's grids show, for loading marks and plans. */
export function viewRange(months: readonly string[]): { from: string; to: string } {
  const first = `${months[0]}-01`;
  const last = lastDayOf(months[months.length - 1]!);
  return { from: addDays(first, -weekdayIndex(first)), to: addDays(last, 6 - weekdayIndex(last)) };
}

/** Timeline items of a plan folded into one span per phase, in phase order. */
export function phaseSpans(items: readonly { phase: Phase; startDate: string; endDate: string }[]): CalendarPlan["phases"] {
  const spans = new Map<Phase, { start: string; end: string }>();
  for (const item of items) {
    if (!isIsoDate(item.startDate) || !isIsoDate(item.endDate)) continue;
    const span = spans.get(item.phase);
    if (!span) spans.set(item.phase, { start: item.startDate, end: item.endDate });
    else {
      if (item.startDate < span.start) span.start = item.startDate;
      if (item.endDate > span.end) span.end = item.endDate;
    }
  }
  return PHASES.flatMap((phase) => {
    const span = spans.get(phase);
    return span ? [{ phase, ...span }] : [];
  });
}

// ---------------------------------------------------------------------------------------
// Suggestions

/** How far ahead the calendar looks for festivals still without a plan. */
export const SUGGESTION_DAYS = 90;

export interface SuggestionTemplate {
  id: string;
  name: string;
  anchor: TemplateAnchor;
}

export interface SuggestionPlan {
  anchorDate: string;
  templateId: string | null;
  startDate: string;
  endDate: string;
}

export interface FestivalSuggestion {
  festival: FestivalKey;
  date: string;
  daysAway: number;
  templates: { id: string; name: string; createUrl: string }[];
}

function anchorMatches(anchor: TemplateAnchor, festival: FestivalKey): boolean {
  if (anchor.kind === "lunar") return anchor.festival === festival;
  if (anchor.kind === "fixed") return (FIXED_FESTIVALS as Record<string, string>)[festival] === anchor.monthDay;
  return false;
}

/**
 * Festivals from `today` to `days` ahead with a template anchored on them and no plan the
 * member can read for them: none anchored on that date, none made from one of those
 * templates spanning it. Each suggests its templates with the pre-filled create form.
 */
export function festivalSuggestions(input: {
  today: string;
  days?: number;
  templates: readonly SuggestionTemplate[];
  plans: readonly SuggestionPlan[];
}): FestivalSuggestion[] {
  const until = addDays(input.today, input.days ?? SUGGESTION_DAYS);
  return festivalsBetween(input.today, until).flatMap((occurrence) => {
    const templates = input.templates.filter((template) => anchorMatches(template.anchor, occurrence.key));
    if (templates.length === 0) return [];
    const ids = new Set(templates.map((template) => template.id));
    const planned = input.plans.some(
      (plan) =>
        plan.anchorDate === occurrence.date ||
        (plan.templateId !== null && ids.has(plan.templateId) && plan.startDate <= occurrence.date && occurrence.date <= plan.endDate),
    );
    if (planned) return [];
    return [
      {
        festival: occurrence.key,
        date: occurrence.date,
        daysAway: daysBetween(input.today, occurrence.date),
        templates: templates.map((template) => ({
          id: template.id,
          name: template.name,
          createUrl: `/plans/new?${new URLSearchParams({ template: template.id, year: String(occurrence.templateYear) }).toString()}`,
        })),
      },
    ];
  });
}
