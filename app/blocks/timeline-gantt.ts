import type { GanttHoliday, GanttTask, GanttViewMode } from "frappe-gantt";
import { addDays, daysBetween, festivalDate, FESTIVAL_KEYS, MAX_YEAR, MIN_YEAR, officialHolidays, type Festival } from "~/domain/calendar";
import type { Phase } from "~/domain/template";
import type { TaskStatus, TimelineItem } from "~/domain/plan-document";

/**
 * The timeline block's logic without React or the DOM: which rows the Gantt draws and
 * how, which holidays and festivals fall in the timeline, and whether a 前置任务 choice
 * closes a loop. Dates are calendar days (YYYY-MM-DD) throughout.
 */

/** One colour per phase, shared by the Gantt bars, the legend and the table's phase chips. */
export const PHASE_COLORS: Readonly<Record<Phase, { bar: string; progress: string }>> = {
  prep: { bar: "#8fb3f0", progress: "#3370ff" },
  warmup: { bar: "#f6c48a", progress: "#e08a1e" },
  live: { bar: "#f08a9a", progress: "#c8102e" },
  followup: { bar: "#93d0a0", progress: "#2e7d32" },
  review: { bar: "#c3a8e6", progress: "#7b4fc0" },
};
export const CANCELLED_COLOR = { bar: "#d5d8dc", progress: "#a3a8ae" };

export const STATUS_PROGRESS: Readonly<Record<TaskStatus, number>> = { notStarted: 0, inProgress: 50, done: 100, cancelled: 0 };

/** frappe-gantt refuses a task longer than ten years, with a console error. */
const MAX_TASK_DAYS = 3652;

function drawable(row: TimelineItem): boolean {
  const startYear = Number(row.start.slice(0, 4));
  const endYear = Number(row.end.slice(0, 4));
  return startYear >= MIN_YEAR && endYear <= MAX_YEAR && daysBetween(row.start, row.end) <= MAX_TASK_DAYS;
}

/** The library writes a bar's name into the SVG as markup, so text from the document is escaped. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`);
}

/**
 * One bar per row the chart can draw, in document order: coloured by phase (grey when
 * cancelled), progress from the status, arrows from 前置任务 when that task is drawn too.
 */
export function ganttTasks(rows: readonly TimelineItem[], untitled: string): GanttTask[] {
  const drawn = rows.filter(drawable);
  const ids = new Set(drawn.map((row) => row.id));
  return drawn.map((row) => {
    const colors = row.status === "cancelled" ? CANCELLED_COLOR : PHASE_COLORS[row.phase];
    return {
      id: row.id,
      name: escapeMarkup(row.task || untitled),
      start: row.start,
      end: row.end,
      progress: STATUS_PROGRESS[row.status],
      dependencies: row.dependsOn && ids.has(row.dependsOn) ? row.dependsOn : "",
      custom_class: `gantt-phase-${row.phase}`,
      color: colors.bar,
      color_progress: colors.progress,
    };
  });
}

export interface DateSpan {
  start: string;
  end: string;
}

/** First start to last end of the rows the chart draws, or null when it draws none. */
export function timelineSpan(rows: readonly TimelineItem[]): DateSpan | null {
  const drawn = rows.filter(drawable);
  if (drawn.length === 0) return null;
  return {
    start: drawn.reduce((min, row) => (row.start < min ? row.start : min), drawn[0]?.start ?? ""),
    end: drawn.reduce((max, row) => (row.end > max ? row.end : max), drawn[0]?.end ?? ""),
  };
}

export function containsDay(span: DateSpan, day: string): boolean {
  return span.start <= day && day <= span.end;
}

// ---------------------------------------------------------------------------------------
// Holidays

/** What a calendar day is to a planner: a lunar festival, an official day off, a make-up workday. */
export interface CalendarMark {
  date: string;
  festivals: Festival[];
  /** Name of the official holiday this day is off for (放假), or null. */
  official: string | null;
  /** Name of the holiday a weekend day is worked for (调休上班), or null. */
  workday: string | null;
}

export type MarkKind = "festival" | "official" | "workday";

function yearsOf(span: DateSpan): number[] {
  const from = Math.max(MIN_YEAR, Number(span.start.slice(0, 4)));
  const to = Math.min(MAX_YEAR, Number(span.end.slice(0, 4)));
  const years: number[] = [];
  for (let year = from; year <= to; year += 1) years.push(year);
  return years;
}

/**
 * The festivals, official days off and make-up workdays from `span.start` to `span.end`,
 * one entry per day, in date order. Official days come from the installed schedule, so a
 * year not yet published contributes only its festivals (see `unpublishedYears`).
 */
export function calendarMarks(span: DateSpan): CalendarMark[] {
  const byDate = new Map<string, CalendarMark>();
  const mark = (date: string): CalendarMark | null => {
    if (!containsDay(span, date)) return null;
    let entry = byDate.get(date);
    if (!entry) {
      entry = { date, festivals: [], official: null, workday: null };
      byDate.set(date, entry);
    }
    return entry;
  };
  for (const year of yearsOf(span)) {
    const schedule = officialHolidays(year);
    for (const day of schedule.holidays) {
      const entry = mark(day.date);
      if (entry) entry.official = day.name;
    }
    for (const day of schedule.workdays) {
      const entry = mark(day.date);
      if (entry) entry.workday = day.name;
    }
  }
  // 腊八 of lunar year Y falls in January of Y+1, so the lunar years start one earlier.
  for (const year of [Number(span.start.slice(0, 4)) - 1, ...yearsOf(span)]) {
    if (year < MIN_YEAR || year > MAX_YEAR) continue;
    for (const festival of FESTIVAL_KEYS) {
      const entry = mark(festivalDate(festival, year));
      if (entry && !entry.festivals.includes(festival)) entry.festivals.push(festival);
    }
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Years in the span whose official holiday schedule the installed data does not have yet. */
export function unpublishedYears(span: DateSpan): number[] {
  return yearsOf(span).filter((year) => !officialHolidays(year).known);
}

/** A run of consecutive days with the same meaning, for the legend: 国庆节 放假 10-01 – 10-07. */
export interface MarkRun {
  kind: MarkKind;
  /** The official holiday's name, or the festival key for kind "festival". */
  name: string;
  from: string;
  to: string;
}

export function markRuns(marks: readonly CalendarMark[]): MarkRun[] {
  const runs: MarkRun[] = [];
  const open = new Map<string, MarkRun>();
  const add = (kind: MarkKind, name: string, date: string) => {
    const key = `${kind}:${name}`;
    const run = open.get(key);
    if (run && addDays(run.to, 1) === date) {
      run.to = date;
      return;
    }
    const fresh = { kind, name, from: date, to: date };
    runs.push(fresh);
    open.set(key, fresh);
  };
  for (const entry of marks) {
    for (const festival of entry.festivals) add("festival", festival, entry.date);
    if (entry.official) add("official", entry.official, entry.date);
    if (entry.workday) add("workday", entry.workday, entry.date);
  }
  return runs.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

export const MARK_COLORS: Readonly<Record<MarkKind | "weekend", string>> = {
  weekend: "#f3f4f6",
  workday: "#ffefd6",
  official: "#fde3e7",
  festival: "#f9c4cd",
};

/**
 * frappe-gantt's `holidays` option: colour → days with their hover label. Later colours
 * paint over earlier ones, so a festival on an official day off shows as a festival.
 * Weekends only where a day has its own column: in the week and month scales they would
 * stripe the whole chart.
 */
export function ganttHolidays(marks: readonly CalendarMark[], label: (mark: CalendarMark) => string, view: ViewName): Record<string, "weekend" | GanttHoliday[]> {
  const of = (kind: MarkKind) =>
    marks
      .filter((m) => (kind === "festival" ? m.festivals.length > 0 : kind === "official" ? m.official !== null && m.festivals.length === 0 : m.workday !== null))
      .map((m) => ({ date: m.date, name: label(m) }));
  return {
    ...(view === "Day" ? { [MARK_COLORS.weekend]: "weekend" as const } : {}),
    [MARK_COLORS.workday]: of("workday"),
    [MARK_COLORS.official]: of("official"),
    [MARK_COLORS.festival]: of("festival"),
  };
}

/** How far past the timeline the chart's widest view (月, two months each side) reaches. */
export const CHART_MARGIN_DAYS = 62;

export function chartSpan(span: DateSpan): DateSpan {
  return { start: addDays(span.start, -CHART_MARGIN_DAYS), end: addDays(span.end, CHART_MARGIN_DAYS) };
}

// ---------------------------------------------------------------------------------------
// 前置任务

/**
 * A start or end typed into a task. A start after the end carries the end with it, so the
 * task keeps its length (as dragging its bar does, and as a new one-day task set to a later
 * day expects); an end before the start is refused (null).
 */
export function retimeTask(task: Pick<TimelineItem, "start" | "end">, field: "start" | "end", day: string): { start: string; end: string } | null {
  if (field === "end") return day < task.start ? null : { start: task.start, end: day };
  if (day <= task.end) return { start: day, end: task.end };
  return { start: day, end: addDays(day, daysBetween(task.start, task.end)) };
}

/**
 * True when `rowId` waiting for `dependsOn` closes a loop: `dependsOn` is the row itself,
 * or already waits (directly or down the chain) for it.
 */
export function createsCycle(rows: readonly Pick<TimelineItem, "id" | "dependsOn">[], rowId: string, dependsOn: string): boolean {
  const next = new Map(rows.map((row) => [row.id, row.dependsOn]));
  const seen = new Set<string>();
  for (let current = dependsOn; current !== ""; current = next.get(current) ?? "") {
    if (current === rowId) return true;
    if (seen.has(current)) return false;
    seen.add(current);
  }
  return false;
}

/** The source's heading for a phase (e.g. 第二阶段：预热蓄客) as another row of that phase carries it, or "". */
export function phaseLabelFor(rows: readonly TimelineItem[], phase: Phase, exceptId: string): string {
  return rows.find((row) => row.id !== exceptId && row.phase === phase && row.phaseLabel !== "")?.phaseLabel ?? "";
}

// ---------------------------------------------------------------------------------------
// Chart scales

export const VIEW_NAMES = ["Day", "Week", "Month"] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** A long timeline starts in the month view: a day column per day would be metres wide. */
export function initialView(span: DateSpan | null): ViewName {
  return span && daysBetween(span.start, span.end) > 366 ? "Month" : "Day";
}

const sameMonth = (a: Date, b: Date | null) => b !== null && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth();

/**
 * The 日 / 周 / 月 scales with header text in the member's language (2027年9月, 9月6日–12日).
 * `date_format` stays as the library's own: it finds today's column by it.
 */
export function ganttViewModes(locale: string): Record<ViewName, GanttViewMode> {
  const monthYear = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long" });
  const monthDay = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" });
  const dayOnly = new Intl.DateTimeFormat(locale, { day: "numeric" });
  const month = new Intl.DateTimeFormat(locale, { month: "short" });
  const year = new Intl.DateTimeFormat(locale, { year: "numeric" });
  return {
    Day: {
      name: "Day",
      padding: "7d",
      step: "1d",
      date_format: "YYYY-MM-DD",
      column_width: 34,
      lower_text: (d) => String(d.getDate()),
      upper_text: (d, previous) => (sameMonth(d, previous) ? "" : monthYear.format(d)),
      thick_line: (d) => d.getDay() === 1,
    },
    Week: {
      name: "Week",
      padding: "1m",
      step: "7d",
      date_format: "YYYY-MM-DD",
      column_width: 130,
      lower_text: (d) => {
        const last = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 6);
        return `${monthDay.format(d)}–${(sameMonth(last, d) ? dayOnly : monthDay).format(last)}`;
      },
      upper_text: (d, previous) => (sameMonth(d, previous) ? "" : monthYear.format(d)),
      thick_line: (d) => d.getDate() <= 7,
      upper_text_frequency: 4,
    },
    Month: {
      name: "Month",
      padding: "2m",
      step: "1m",
      date_format: "YYYY-MM",
      column_width: 90,
      snap_at: "7d",
      lower_text: (d) => month.format(d),
      upper_text: (d, previous) => (previous !== null && d.getFullYear() === previous.getFullYear() ? "" : year.format(d)),
      thick_line: (d) => d.getMonth() % 3 === 0,
    },
  };
}

/** A local Date (as the library hands them out) as a calendar day. */
export function isoOfLocalDate(date: Date): string {
  return `${String(date.getFullYear()).padStart(4, "0")}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function utcMs(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

/** A calendar day as the member's language writes it: 2027年9月15日 / Sep 15, 2027; "short" drops the year. */
export function formatDay(iso: string, locale: string, style: "long" | "short" = "long"): string {
  const options: Intl.DateTimeFormatOptions = style === "long" ? { dateStyle: "medium", timeZone: "UTC" } : { month: "short", day: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale, options).format(utcMs(iso));
}

/** 星期三 / Wednesday. */
export function weekdayOf(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(utcMs(iso));
}
