import { describe, expect, it } from "vitest";
import { findBuiltInTemplate } from "../../templates/index";
import { blocksFromInstance, type TimelineItem } from "~/domain/plan-document";
import { instantiateTemplate } from "~/domain/template";
import {
  retimeTask,
  calendarMarks,
  CANCELLED_COLOR,
  chartSpan,
  createsCycle,
  escapeMarkup,
  formatDay,
  ganttHolidays,
  ganttTasks,
  ganttViewModes,
  initialView,
  isoOfLocalDate,
  MARK_COLORS,
  markRuns,
  PHASE_COLORS,
  phaseLabelFor,
  timelineSpan,
  unpublishedYears,
  weekdayOf,
} from "./timeline-gantt";

let counter = 0;
function row(overrides: Partial<TimelineItem> = {}): TimelineItem {
  counter += 1;
  return {
    id: `row${String(counter).padStart(4, "0")}`,
    phase: "prep",
    phaseLabel: "",
    task: `任务${counter}`,
    start: "2027-09-01",
    end: "2027-09-03",
    owner: "",
    ownerUserId: null,
    status: "notStarted",
    dependsOn: "",
    ...overrides,
  };
}

describe("ganttTasks", () => {
  it("draws one bar per row in document order, coloured by phase, with progress from the status", () => {
    const rows = [
      row({ phase: "warmup", status: "done", task: "预热海报" }),
      row({ phase: "live", status: "inProgress", start: "2027-09-15", end: "2027-09-15" }),
      row({ phase: "review", status: "notStarted" }),
    ];
    const tasks = ganttTasks(rows, "（未命名）");
    expect(tasks.map((t) => [t.id, t.start, t.end, t.progress])).toEqual([
      [rows[0]?.id, "2027-09-01", "2027-09-03", 100],
      [rows[1]?.id, "2027-09-15", "2027-09-15", 50],
      [rows[2]?.id, "2027-09-01", "2027-09-03", 0],
    ]);
    expect(tasks[0]).toMatchObject({ name: "预热海报", color: PHASE_COLORS.warmup.bar, color_progress: PHASE_COLORS.warmup.progress, custom_class: "gantt-phase-warmup" });
    expect(tasks[1]?.color).toBe(PHASE_COLORS.live.bar);
  });

  it("greys out a cancelled task and names an untitled one", () => {
    const [task] = ganttTasks([row({ status: "cancelled", task: "", phase: "live" })], "（未命名任务）");
    expect(task).toMatchObject({ name: "（未命名任务）", progress: 0, color: CANCELLED_COLOR.bar });
  });

  it("draws a dependency arrow only to a task that is drawn", () => {
    const first = row();
    const second = row({ dependsOn: first.id });
    const dangling = row({ dependsOn: "gone000000" });
    const tasks = ganttTasks([first, second, dangling], "");
    expect(tasks.map((t) => t.dependencies)).toEqual(["", first.id, ""]);
  });

  it("escapes markup in task names, which the library writes as SVG markup", () => {
    const [task] = ganttTasks([row({ task: `<img src=x onerror="alert(1)">&'` })], "");
    expect(task?.name).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
    expect(escapeMarkup("中秋 & 国庆")).toBe("中秋 &amp; 国庆");
  });

  it("leaves out rows the calendar cannot place or the library would refuse", () => {
    const kept = row();
    const tasks = ganttTasks([row({ start: "1899-12-31", end: "1900-01-02" }), row({ start: "2027-01-01", end: "2037-12-31" }), kept], "");
    expect(tasks.map((t) => t.id)).toEqual([kept.id]);
  });
});

describe("timelineSpan", () => {
  it("runs from the earliest start to the latest end", () => {
    expect(timelineSpan([row({ start: "2027-09-10", end: "2027-09-20" }), row({ start: "2027-08-20", end: "2027-09-01" }), row({ start: "2027-09-12", end: "2027-10-08" })])).toEqual({
      start: "2027-08-20",
      end: "2027-10-08",
    });
  });

  it("is null without rows", () => {
    expect(timelineSpan([])).toBeNull();
  });
});

describe("calendarMarks", () => {
  it("marks 中秋 2027 for the mid-autumn gala timeline, and no official days for the unpublished 2027", () => {
    const template = findBuiltInTemplate("mid-autumn-client-gala");
    if (!template) throw new Error("mid-autumn-client-gala template missing");
    const timeline = blocksFromInstance(instantiateTemplate(template, { year: 2027 })).timeline.map((item, i) => ({ ...item, id: `tpl${String(i).padStart(4, "0")}` }));
    const span = timelineSpan(timeline);
    if (!span) throw new Error("template timeline is empty");
    const marks = calendarMarks(span);
    expect(marks.find((m) => m.date === "2027-09-15")).toEqual({ date: "2027-09-15", festivals: ["zhongqiu"], official: null, workday: null });
    expect(marks.every((m) => m.official === null && m.workday === null)).toBe(true);
    expect(unpublishedYears(span)).toEqual([2027]);
  });

  it("adds the official days chinese-days knows, with make-up workdays, merged with festivals", () => {
    const marks = calendarMarks({ start: "2026-09-15", end: "2026-10-12" });
    const byDate = new Map(marks.map((m) => [m.date, m]));
    expect(byDate.get("2026-09-25")).toEqual({ date: "2026-09-25", festivals: ["zhongqiu"], official: "中秋", workday: null });
    expect(byDate.get("2026-10-01")).toEqual({ date: "2026-10-01", festivals: [], official: "国庆节", workday: null });
    expect(byDate.get("2026-09-20")?.workday).toBe("国庆节");
    expect(byDate.get("2026-10-10")?.workday).toBe("国庆节");
    expect(marks.map((m) => m.date)).toEqual([...marks.map((m) => m.date)].sort());
    expect(marks.every((m) => m.date >= "2026-09-15" && m.date <= "2026-10-12")).toBe(true);
    expect(unpublishedYears({ start: "2026-09-15", end: "2026-10-12" })).toEqual([]);
  });

  it("finds 腊八 of the previous lunar year in January", () => {
    const marks = calendarMarks({ start: "2027-01-01", end: "2027-01-31" });
    expect(marks.find((m) => m.festivals.includes("laba"))?.date).toBe("2027-01-15");
  });

  it("ignores years outside the calendar's range instead of throwing", () => {
    const marks = calendarMarks({ start: "2100-12-01", end: "2101-01-31" });
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((m) => m.date >= "2100-12-01" && m.date <= "2101-01-31")).toBe(true);
  });
});

describe("markRuns", () => {
  it("joins consecutive days of one holiday into a run and keeps festivals apart", () => {
    const runs = markRuns(calendarMarks({ start: "2026-09-15", end: "2026-10-12" }));
    expect(runs).toEqual([
      { kind: "workday", name: "国庆节", from: "2026-09-20", to: "2026-09-20" },
      { kind: "festival", name: "zhongqiu", from: "2026-09-25", to: "2026-09-25" },
      { kind: "official", name: "中秋", from: "2026-09-25", to: "2026-09-27" },
      { kind: "official", name: "国庆节", from: "2026-10-01", to: "2026-10-07" },
      { kind: "workday", name: "国庆节", from: "2026-10-10", to: "2026-10-10" },
    ]);
  });
});

describe("ganttHolidays", () => {
  it("keeps weekends in the day scale, and gives a festival on a day off the festival colour only", () => {
    const marks = calendarMarks({ start: "2026-09-24", end: "2026-09-28" });
    const option = ganttHolidays(marks, (m) => `${m.festivals.join("+")}|${m.official ?? ""}`, "Day");
    expect(option[MARK_COLORS.weekend]).toBe("weekend");
    expect(option[MARK_COLORS.festival]).toEqual([{ date: "2026-09-25", name: "zhongqiu|中秋" }]);
    expect(option[MARK_COLORS.official]).toEqual([
      { date: "2026-09-26", name: "|中秋" },
      { date: "2026-09-27", name: "|中秋" },
    ]);
    expect(option[MARK_COLORS.workday]).toEqual([]);
  });

  it("leaves weekends out of the week and month scales", () => {
    const marks = calendarMarks({ start: "2026-09-24", end: "2026-09-28" });
    for (const view of ["Week", "Month"] as const) {
      const option = ganttHolidays(marks, () => "", view);
      expect(Object.keys(option)).not.toContain(MARK_COLORS.weekend);
      expect(option[MARK_COLORS.festival]).toEqual([{ date: "2026-09-25", name: "" }]);
    }
  });
});

describe("chartSpan", () => {
  it("reaches two months past each end", () => {
    expect(chartSpan({ start: "2027-09-01", end: "2027-09-30" })).toEqual({ start: "2027-07-01", end: "2027-12-01" });
  });
});

describe("createsCycle", () => {
  const a = row();
  const b = row({ dependsOn: a.id });
  const c = row({ dependsOn: b.id });
  const rows = [a, b, c];

  it("refuses a task waiting for itself", () => {
    expect(createsCycle(rows, a.id, a.id)).toBe(true);
  });

  it("refuses closing a loop through the chain", () => {
    expect(createsCycle(rows, a.id, c.id)).toBe(true);
    expect(createsCycle(rows, a.id, b.id)).toBe(true);
  });

  it("allows a choice down the chain, clearing it, and a loop elsewhere it does not join", () => {
    expect(createsCycle(rows, c.id, a.id)).toBe(false);
    expect(createsCycle(rows, a.id, "")).toBe(false);
    const x = row({ dependsOn: "yyyyyyyy" });
    const y = { ...row(), id: "yyyyyyyy", dependsOn: x.id };
    expect(createsCycle([x, y, a], a.id, x.id)).toBe(false);
  });
});

describe("phaseLabelFor", () => {
  it("takes the heading another row of the phase carries", () => {
    const labelled = row({ phase: "warmup", phaseLabel: "第二阶段：预热蓄客" });
    const moving = row({ phase: "prep", phaseLabel: "第一阶段：年终回馈" });
    expect(phaseLabelFor([labelled, moving], "warmup", moving.id)).toBe("第二阶段：预热蓄客");
    expect(phaseLabelFor([labelled, moving], "live", moving.id)).toBe("");
    expect(phaseLabelFor([labelled, moving], "prep", moving.id)).toBe("");
  });
});

describe("initialView", () => {
  it("starts in days, or months for a timeline over a year long", () => {
    expect(initialView({ start: "2027-08-01", end: "2027-10-31" })).toBe("Day");
    expect(initialView({ start: "2027-01-01", end: "2028-03-01" })).toBe("Month");
    expect(initialView(null)).toBe("Day");
  });
});

describe("ganttViewModes", () => {
  it("writes Chinese headers for the Chinese interface", () => {
    const modes = ganttViewModes("zh-CN");
    const day = new Date(2027, 8, 15);
    expect(modes.Day.lower_text(day, null, "zh")).toBe("15");
    expect(modes.Day.upper_text(day, null, "zh")).toBe("2027年9月");
    expect(modes.Day.upper_text(day, new Date(2027, 8, 14), "zh")).toBe("");
    expect(modes.Week.lower_text(new Date(2027, 8, 6), null, "zh")).toBe("9月6日–12日");
    expect(modes.Month.lower_text(day, null, "zh")).toBe("9月");
    expect(modes.Month.upper_text(day, null, "zh")).toBe("2027年");
    expect(modes.Month.upper_text(day, new Date(2027, 7, 1), "zh")).toBe("");
  });

  it("writes English headers for the English interface", () => {
    const modes = ganttViewModes("en");
    expect(modes.Day.upper_text(new Date(2027, 8, 15), null, "en")).toBe("September 2027");
    expect(modes.Week.lower_text(new Date(2027, 8, 27), null, "en")).toBe("Sep 27–Oct 3");
  });
});

describe("isoOfLocalDate", () => {
  it("formats the local calendar day", () => {
    expect(isoOfLocalDate(new Date(2027, 0, 5, 23, 59))).toBe("2027-01-05");
  });
});

describe("formatDay and weekdayOf", () => {
  it("write a calendar day the way each language does, whatever the machine's zone", () => {
    expect(formatDay("2027-09-15", "zh-CN")).toBe("2027年9月15日");
    expect(formatDay("2027-09-15", "zh-CN", "short")).toBe("9月15日");
    expect(formatDay("2027-09-15", "en")).toBe("Sep 15, 2027");
    expect(weekdayOf("2027-09-15", "zh-CN")).toBe("星期三");
    expect(weekdayOf("2027-09-15", "en")).toBe("Wednesday");
  });
});

describe("retimeTask", () => {
  const oneDay = { start: "2026-12-06", end: "2026-12-06" };

  it("moves a new one-day task to a later start, end with it (the add-task flow)", () => {
    expect(retimeTask(oneDay, "start", "2027-06-09")).toEqual({ start: "2027-06-09", end: "2027-06-09" });
    expect(retimeTask({ start: "2027-06-09", end: "2027-06-09" }, "end", "2027-06-09")).toEqual({ start: "2027-06-09", end: "2027-06-09" });
  });

  it("keeps a task's length when its start passes its end, and leaves the end alone otherwise", () => {
    expect(retimeTask({ start: "2027-01-01", end: "2027-01-05" }, "start", "2027-02-10")).toEqual({ start: "2027-02-10", end: "2027-02-14" });
    expect(retimeTask({ start: "2027-01-01", end: "2027-01-05" }, "start", "2027-01-03")).toEqual({ start: "2027-01-03", end: "2027-01-05" });
  });

  it("refuses an end before the start", () => {
    expect(retimeTask({ start: "2027-01-05", end: "2027-01-06" }, "end", "2027-01-04")).toBeNull();
  });
});
