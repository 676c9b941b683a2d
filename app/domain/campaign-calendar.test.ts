import { describe, expect, it } from "vitest";
import { builtInTemplates } from "../../templates/index";
import { festivalDate, officialHolidays } from "./calendar";
import {
  festivalSuggestions,
  marksBetween,
  monthGrid,
  phaseSpans,
  stepMonth,
  unpublishedYears,
  viewMonths,
  viewRange,
  yearSchedule,
  type CalendarPlan,
} from "./campaign-calendar";
import { officialFormRows, parseOfficialForm, type OfficialFormRows } from "~/lib/official-days-form";

const templates = builtInTemplates().map((t) => ({ id: t.id, name: t.name, anchor: t.anchor }));

function blankRows(): OfficialFormRows {
  return { holidays: [], workdays: [] };
}

describe("day marks", () => {
  it("marks 2026's official days as chinese-days has them: 国庆 10-01 off, 10-10 worked", () => {
    const marks = marksBetween("2026-09-28", "2026-10-12", []);
    const library = officialHolidays(2026);
    expect(marks.get("2026-10-01")).toMatchObject({ holiday: "国庆节", workday: null });
    expect(marks.get("2026-10-01")?.festivals).toContain("guoqing");
    expect(marks.get("2026-10-10")).toEqual({ holiday: null, workday: "国庆节", festivals: [] });
    for (const day of library.holidays.filter((d) => d.date >= "2026-09-28" && d.date <= "2026-10-12")) expect(marks.get(day.date)?.holiday).toBe(day.name);
    for (const day of library.workdays.filter((d) => d.date >= "2026-09-28" && d.date <= "2026-10-12")) expect(marks.get(day.date)?.workday).toBe(day.name);
    expect(marks.get("2026-10-08")).toBeUndefined();
    expect(unpublishedYears("2026-01-01", "2026-12-31", [])).toEqual([]);
  });

  it("marks 2027's lunar festivals and says its official schedule is not published", () => {
    const marks = marksBetween("2027-01-01", "2027-12-31", []);
    expect(marks.get("2027-02-06")?.festivals).toEqual(["chunjie"]);
    expect(marks.get("2027-06-09")?.festivals).toEqual(["duanwu"]);
    expect(marks.get("2027-09-15")?.festivals).toEqual(["zhongqiu"]);
    expect(marks.get("2027-11-11")?.festivals).toEqual(["double11"]);
    expect(marks.get("2027-10-01")).toEqual({ holiday: null, workday: null, festivals: ["guoqing"] });
    expect([...marks.values()].some((m) => m.holiday !== null || m.workday !== null)).toBe(false);
    expect(unpublishedYears("2026-12-28", "2027-01-31", [])).toEqual([2027]);
    expect(yearSchedule(2027, []).source).toBe("none");
  });

  it("lets an admin's entries for a year take precedence over the library", () => {
    const entered = [
      { date: "2027-10-01", kind: "holiday" as const, name: "国庆节" },
      { date: "2027-10-09", kind: "workday" as const, name: "国庆节" },
      // An admin correction for a year the library knows replaces its whole schedule.
      { date: "2026-10-09", kind: "holiday" as const, name: "国庆节" },
    ];
    const marks = marksBetween("2026-10-01", "2027-10-31", entered);
    expect(marks.get("2027-10-01")?.holiday).toBe("国庆节");
    expect(marks.get("2027-10-09")?.workday).toBe("国庆节");
    expect(marks.get("2026-10-09")?.holiday).toBe("国庆节");
    expect(marks.get("2026-10-01")?.holiday).toBeNull();
    expect(yearSchedule(2027, entered)).toMatchObject({ source: "admin", workdays: [{ date: "2027-10-09", name: "国庆节" }] });
    expect(unpublishedYears("2027-01-01", "2027-12-31", entered)).toEqual([]);
  });
});

describe("grids", () => {
  it("lays a month out in weeks from Monday with today and marks", () => {
    const grid = monthGrid("2026-10", { today: "2026-10-10", marks: marksBetween("2026-09-28", "2026-11-01", []), plans: [] });
    expect(grid.weeks).toHaveLength(5);
    expect(grid.weeks[0]!.days[0]!.date).toBe("2026-09-28");
    expect(grid.weeks[0]!.days[0]!.inMonth).toBe(false);
    expect(grid.weeks[0]!.days[3]).toMatchObject({ date: "2026-10-01", inMonth: true, marks: { holiday: "国庆节" } });
    const tenth = grid.weeks[1]!.days.find((d) => d.date === "2026-10-10")!;
    expect(tenth).toMatchObject({ weekend: true, today: true, marks: { workday: "国庆节" } });
    expect(grid.weeks[4]!.days[6]!.date).toBe("2026-11-01");
  });

  it("shows the quarter a month falls in and steps by it", () => {
    expect(viewMonths("quarter", "2027-08")).toEqual(["2027-07", "2027-08", "2027-09"]);
    expect(stepMonth("quarter", "2027-08", 1)).toBe("2027-10");
    expect(stepMonth("quarter", "2027-02", -1)).toBe("2026-10");
    expect(stepMonth("month", "2027-01", -1)).toBe("2026-12");
    expect(viewRange(["2027-07", "2027-08", "2027-09"])).toEqual({ from: "2027-06-28", to: "2027-10-03" });
  });

  it("splits plan bars at week ends, keeps lanes apart and places phases", () => {
    const plans: CalendarPlan[] = [
      {
        id: "a",
        title: "中秋答谢",
        status: "draft",
        startDate: "2027-09-08",
        endDate: "2027-09-16",
        phases: phaseSpans([
          { phase: "live", startDate: "2027-09-15", endDate: "2027-09-15" },
          { phase: "prep", startDate: "2027-09-08", endDate: "2027-09-10" },
          { phase: "prep", startDate: "2027-09-09", endDate: "2027-09-12" },
        ]),
      },
      { id: "b", title: "开业", status: "approved", startDate: "2027-09-10", endDate: "2027-09-10", phases: [] },
    ];
    expect(plans[0]!.phases).toEqual([
      { phase: "prep", start: "2027-09-08", end: "2027-09-12" },
      { phase: "live", start: "2027-09-15", end: "2027-09-15" },
    ]);
    const grid = monthGrid("2027-09", { today: "2026-11-23", marks: new Map(), plans });
    // Week of Monday 2027-09-06.
    const week = grid.weeks[1]!;
    const a = week.bars.find((bar) => bar.planId === "a")!;
    expect(a).toMatchObject({ column: 2, span: 5, lane: 0, continuesBefore: false, continuesAfter: true, phases: [{ phase: "prep", column: 2, span: 5 }] });
    expect(week.bars.find((bar) => bar.planId === "b")).toMatchObject({ column: 4, span: 1, lane: 1 });
    expect(week.lanes).toBe(2);
    expect(grid.weeks[2]!.bars).toEqual([
      expect.objectContaining({ planId: "a", column: 0, span: 4, continuesBefore: true, continuesAfter: false, phases: [{ phase: "live", column: 2, span: 1 }] }),
    ]);
    expect(grid.weeks[0]!.bars).toEqual([]);
  });
});

describe("festival suggestions", () => {
  it("suggests 中秋 with its template when no readable plan covers it", () => {
    const suggestions = festivalSuggestions({ today: "2027-08-01", days: 60, templates, plans: [] });
    const zhongqiu = suggestions.find((s) => s.festival === "zhongqiu")!;
    expect(zhongqiu).toMatchObject({ date: "2027-09-15", daysAway: 45 });
    expect(zhongqiu.templates).toEqual([{ id: "mid-autumn-client-gala", name: "中秋客户答谢晚会", createUrl: "/plans/new?template=mid-autumn-client-gala&year=2027" }]);
    // 七夕 has no template of its own; the bank template's anchor is 元旦, so none is suggested.
    expect(suggestions.map((s) => s.festival)).toEqual(["zhongqiu"]);
  });

  it("maps festivals to templates by their anchors, 双十一 to both of its templates", () => {
    const [double11] = festivalSuggestions({ today: "2027-10-20", days: 30, templates, plans: [] });
    expect(double11!.festival).toBe("double11");
    expect(double11!.templates.map((t) => t.id).sort()).toEqual(["double11-ecommerce", "double11-mall-promotion"]);
    // From today, 90 days reach 元宵 2027; 春节 and 腊八 have no template to suggest.
    const winter = festivalSuggestions({ today: "2026-11-23", days: 90, templates, plans: [] });
    expect(winter.map((s) => [s.festival, s.date, s.templates.map((t) => t.createUrl)])).toEqual([
      ["yuandan", "2027-01-01", ["/plans/new?template=bank-vip-holiday-marketing&year=2027"]],
      ["yuanxiao", "2027-02-20", ["/plans/new?template=new-year-member-recruitment&year=2027"]],
    ]);
  });

  it("leaves out festivals a plan is anchored on or a plan of their template spans", () => {
    const date = festivalDate("zhongqiu", 2027);
    const anchored = festivalSuggestions({ today: "2027-08-01", days: 60, templates, plans: [{ anchorDate: date, templateId: null, startDate: "2027-09-01", endDate: "2027-09-20" }] });
    expect(anchored.some((s) => s.festival === "zhongqiu")).toBe(false);
    const spanning = festivalSuggestions({
      today: "2027-08-01",
      days: 60,
      templates,
      plans: [{ anchorDate: "", templateId: "mid-autumn-client-gala", startDate: "2027-08-25", endDate: "2027-09-20" }],
    });
    expect(spanning.some((s) => s.festival === "zhongqiu")).toBe(false);
    const elsewhere = festivalSuggestions({
      today: "2027-08-01",
      days: 60,
      templates,
      plans: [{ anchorDate: "2026-09-25", templateId: "mid-autumn-client-gala", startDate: "2026-09-01", endDate: "2026-09-30" }],
    });
    expect(elsewhere.some((s) => s.festival === "zhongqiu")).toBe(true);
  });
});

describe("admin entry form", () => {
  it("expands ranges into days and reads them back as ranges", () => {
    const rows = blankRows();
    rows.holidays[0] = { name: "春节", from: "2027-02-05", to: "2027-02-11" };
    rows.holidays[1] = { name: "", from: "", to: "" };
    rows.workdays[0] = { name: "春节", date: "2027-02-20" };
    const result = parseOfficialForm(2027, rows);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.days.filter((d) => d.kind === "holiday")).toHaveLength(7);
    expect(result.days).toContainEqual({ date: "2027-02-20", kind: "workday", name: "春节" });
    expect(officialFormRows(result.days)).toEqual({ holidays: [{ name: "春节", from: "2027-02-05", to: "2027-02-11" }], workdays: [{ name: "春节", date: "2027-02-20" }] });
  });

  it("refuses bad dates, reversed ranges, other years, missing names and a day both off and worked", () => {
    const rows = blankRows();
    rows.holidays[0] = { name: "春节", from: "2027-02-30", to: "2027-02-11" };
    rows.holidays[1] = { name: "国庆节", from: "2027-10-07", to: "2027-10-01" };
    rows.holidays[2] = { name: "元旦", from: "2028-01-01", to: "2028-01-01" };
    rows.holidays[3] = { name: "", from: "2027-05-01", to: "2027-05-03" };
    rows.holidays[4] = { name: "端午节", from: "2027-06-09", to: "2027-06-11" };
    rows.workdays[0] = { name: "端午节", date: "2027-06-10" };
    const result = parseOfficialForm(2027, rows);
    expect(result).toEqual({
      ok: false,
      errors: {
        "holiday.0.from": { code: "badDate" },
        "holiday.1.to": { code: "rangeReversed" },
        "holiday.2.from": { code: "wrongYear", year: 2027 },
        "holiday.2.to": { code: "wrongYear", year: 2027 },
        "holiday.3.name": { code: "nameRequired" },
        "workday.0.date": { code: "bothKinds", date: "2027-06-10" },
      },
    });
  });

  it("stores names without invisible characters and refuses a name made only of them", () => {
    const rows = blankRows();
    rows.holidays[0] = { name: "春\u200B节\u202E", from: "2027-02-05", to: "2027-02-05" };
    rows.workdays[0] = { name: "\u200B\u200F", date: "2027-02-20" };
    expect(parseOfficialForm(2027, rows)).toEqual({ ok: false, errors: { "workday.0.name": { code: "nameInvisible" } } });
    rows.workdays[0] = { name: "", date: "" };
    expect(parseOfficialForm(2027, rows)).toEqual({ ok: true, days: [{ date: "2027-02-05", kind: "holiday", name: "春节" }] });
  });
});
