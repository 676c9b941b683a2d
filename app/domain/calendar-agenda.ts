import type { CalendarDay, CalendarPlan, MonthGrid } from "./campaign-calendar";

export type AgendaPlan = Pick<CalendarPlan, "id" | "title" | "status" | "startDate" | "endDate">;

export interface MonthAgenda {
  month: string;
  /** Plans running on at least one day of the month, the earliest start first. */
  plans: AgendaPlan[];
  /** The month's own days that carry a holiday, make-up workday or festival, in date order. */
  markedDays: CalendarDay[];
}

/**
 * A month as a list: on a phone seven columns leave a plan bar two or three characters, so the
 * same month is also read top to bottom — which plans run in it and which days are special.
 */
export function monthAgenda(grid: MonthGrid, plans: readonly CalendarPlan[]): MonthAgenda {
  const days = grid.weeks.flatMap((week) => week.days).filter((day) => day.inMonth);
  const first = days[0]?.date ?? `${grid.month}-01`;
  const last = days[days.length - 1]?.date ?? first;
  const running = plans
    .filter((plan) => plan.startDate <= last && plan.endDate >= first)
    .map(({ id, title, status, startDate, endDate }) => ({ id, title, status, startDate, endDate }))
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate) || a.title.localeCompare(b.title, "zh-CN"));
  const markedDays = days.filter((day) => day.marks.holiday !== null || day.marks.workday !== null || day.marks.festivals.length > 0);
  return { month: grid.month, plans: running, markedDays };
}
