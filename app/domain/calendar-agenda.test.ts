import { describe, expect, it } from "vitest";
import { monthAgenda } from "./calendar-agenda";
import { marksBetween, monthGrid, type CalendarPlan } from "./campaign-calendar";

const plan = (id: string, startDate: string, endDate: string, title = id): CalendarPlan => ({ id, title, status: "draft", startDate, endDate, phases: [] });

describe("monthAgenda", () => {
  const plans = [plan("late", "2026-10-20", "2026-11-02"), plan("before", "2026-09-01", "2026-09-30"), plan("across", "2026-09-25", "2026-10-03"), plan("after", "2026-11-01", "2026-11-05")];
  const grid = monthGrid("2026-10", { today: "2026-10-08", marks: marksBetween("2026-09-28", "2026-11-01", []), plans });

  it("lists the plans running in the month by start date, not those only in the grid's spill-over days", () => {
    // 2026-09-28…30 and 2026-11-01 are in the grid (Monday-first weeks) but not in October.
    expect(monthAgenda(grid, plans).plans.map((p) => p.id)).toEqual(["across", "late"]);
  });

  it("lists the month's own marked days: 国庆 off, the 10-10 make-up workday, and no day outside the month", () => {
    const days = monthAgenda(grid, plans).markedDays;
    expect(days.every((day) => day.date.startsWith("2026-10-"))).toBe(true);
    expect(days.find((day) => day.date === "2026-10-01")?.marks.holiday).not.toBeNull();
    expect(days.find((day) => day.date === "2026-10-10")?.marks.workday).not.toBeNull();
    expect(days.some((day) => day.date === "2026-10-15")).toBe(false);
  });

  it("is empty for a month with no plans", () => {
    const quiet = monthGrid("2026-08", { today: "2026-10-08", marks: new Map(), plans: [] });
    expect(monthAgenda(quiet, [])).toEqual({ month: "2026-08", plans: [], markedDays: [] });
  });
});
