import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { findBuiltInTemplate } from "../../templates/index";
import { budgetLineAmount, blocksFromInstance, readBlock, seedBlocks, totalsOf } from "./plan-document";
import { instantiateTemplate, TemplateSchema, type Template } from "./template";
import { anchorSummary, defaultAnchorDate, defaultYear, templatePreview, weekdayOf } from "./template-preview";

function builtIn(id: string): Template {
  const template = findBuiltInTemplate(id);
  if (!template) throw new Error(`no built-in template ${id}`);
  return template;
}

describe("templatePreview", () => {
  it("places 中秋客户答谢晚会 2027 on Wednesday 2027-09-15 with its phases, sections and budget", () => {
    const template = builtIn("mid-autumn-client-gala");
    const preview = templatePreview(template, instantiateTemplate(template, { year: 2027 }));
    expect(preview.anchor).toEqual({ date: "2027-09-15", weekday: 3, name: "中秋节" });
    expect([preview.startDate, preview.endDate]).toEqual(["2027-08-25", "2027-09-18"]);
    expect(preview.phases).toEqual([
      { phase: "prep", label: null, taskCount: 5, start: "2027-08-25", end: "2027-09-10" },
      { phase: "warmup", label: null, taskCount: 4, start: "2027-09-01", end: "2027-09-11" },
      { phase: "live", label: null, taskCount: 4, start: "2027-09-09", end: "2027-09-15" },
      { phase: "review", label: null, taskCount: 1, start: "2027-09-16", end: "2027-09-18" },
    ]);
    expect(preview.taskCount).toBe(14);
    expect(preview.sections.map((s) => s.heading)).toEqual(template.sections.map((s) => s.heading));
    expect(preview.sections.find((s) => s.kind === "budget")?.heading).toBe("活动物料及费用预估");
    expect(preview.budget.lines).toHaveLength(12);
    expect(preview.budget.lines[1]).toEqual({ category: "抽奖奖品", item: "二等奖：电饭煲/蒸汽挂烫机", quantity: "5", unit: "台", unitPriceFen: 20000, amountFen: 100000, income: false });
    expect(preview.budget.lines.find((l) => l.item === "背景板")).toMatchObject({ unitPriceFen: null, amountFen: null });
    expect(preview.budget).toMatchObject({ spendFen: 680000, incomeFen: 0, netFen: 680000, tbdCount: 7 });
    expect([preview.roleCount, preview.kpiCount]).toEqual([6, 3]);
  });

  it("lands the same template on Tuesday 2028-10-03 for 2028", () => {
    const template = builtIn("mid-autumn-client-gala");
    expect(templatePreview(template, instantiateTemplate(template, { year: 2028 })).anchor).toEqual({ date: "2028-10-03", weekday: 2, name: "中秋节" });
  });

  it("totals equal the seeded plan's to the fen, income netted off, for a picked 开业日", () => {
    const template = builtIn("supermarket-grand-opening");
    const instance = instantiateTemplate(template, { anchorDate: "2027-04-28" });
    const preview = templatePreview(template, instance);
    expect(preview.anchor).toEqual({ date: "2027-04-28", weekday: 3, name: "开业日" });
    expect(preview.budget).toMatchObject({ spendFen: 2070000, incomeFen: 1150000, netFen: 920000 });
    expect(preview.budget.lines.find((l) => l.item === "气球")).toMatchObject({ quantity: "10000", unitPriceFen: 15, amountFen: 150000 });

    const doc = new Y.Doc();
    seedBlocks(doc, blocksFromInstance(instance));
    const rows = readBlock(doc, "budget").rows;
    const totals = totalsOf(rows);
    expect(preview.budget).toMatchObject({ spendFen: totals.spendFen, incomeFen: totals.incomeFen, netFen: totals.netFen, tbdCount: totals.tbdCount });
    expect(preview.budget.lines.map((l) => l.amountFen)).toEqual(rows.map(budgetLineAmount));
  });

  it("shows no name for a fixed date and the source's own phase headings", () => {
    const template = builtIn("year-end-member-rewards");
    const preview = templatePreview(template, instantiateTemplate(template, { year: 2027 }));
    expect(preview.anchor).toEqual({ date: "2027-12-31", weekday: 5, name: null });
    const withLabels = TemplateSchema.parse({
      ...template,
      phases: [{ phase: "live", label: "第一阶段：年终回馈", tasks: [{ task: "发券", offsetStart: -3, offsetEnd: 0 }] }],
    });
    expect(templatePreview(withLabels, instantiateTemplate(withLabels, { year: 2027 })).phases).toEqual([
      { phase: "live", label: "第一阶段：年终回馈", taskCount: 1, start: "2027-12-28", end: "2027-12-31" },
    ]);
  });
});

describe("weekdayOf", () => {
  it("counts from Thursday 1970-01-01 in both directions", () => {
    expect(["1970-01-01", "1969-12-31", "2027-09-15", "2028-10-03", "2000-02-29"].map(weekdayOf)).toEqual([4, 3, 3, 2, 2]);
  });
});

describe("default year and date", () => {
  const gala = () => builtIn("mid-autumn-client-gala");

  it("offers the next year whose anchor is still ahead of today", () => {
    expect(defaultYear(gala(), "2026-11-23")).toBe(2027);
    expect(defaultYear(gala(), "2027-09-14")).toBe(2027);
    expect(defaultYear(gala(), "2027-09-15")).toBe(2028);
    expect(defaultYear(builtIn("double11-ecommerce"), "2027-01-05")).toBe(2027);
  });

  it("offers lunar year 2026 for 腊八 in early January 2027 (it falls on 2027-01-15)", () => {
    const laba = TemplateSchema.parse({ ...gala(), anchor: { kind: "lunar", festival: "laba" } });
    expect(defaultYear(laba, "2027-01-10")).toBe(2026);
    expect(defaultYear(laba, "2027-01-15")).toBe(2027);
  });

  it("offers a picked date whose whole timeline is still ahead", () => {
    // The grand opening's first task starts 30 days before the opening day.
    expect(defaultAnchorDate(builtIn("supermarket-grand-opening"), "2027-03-01")).toBe("2027-04-01");
    const allAfter = TemplateSchema.parse({ ...builtIn("supermarket-grand-opening"), phases: [{ phase: "live", tasks: [{ task: "开业", offsetStart: 2, offsetEnd: 3 }] }] });
    expect(defaultAnchorDate(allAfter, "2027-03-01")).toBe("2027-03-02");
  });
});

describe("anchorSummary", () => {
  it("reads each kind of anchor for the picker", () => {
    expect(anchorSummary({ kind: "fixed", monthDay: "11-11" })).toEqual({ kind: "fixed", month: 11, day: 11 });
    expect(anchorSummary({ kind: "fixed", monthDay: "01-05" })).toEqual({ kind: "fixed", month: 1, day: 5 });
    expect(anchorSummary({ kind: "lunar", festival: "zhongqiu" })).toEqual({ kind: "lunar", festival: "zhongqiu" });
    expect(anchorSummary({ kind: "pick", label: "开业日" })).toEqual({ kind: "pick", label: "开业日" });
  });
});
