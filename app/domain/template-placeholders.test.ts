import { describe, expect, it } from "vitest";
import { builtInTemplates, findBuiltInTemplate } from "../../templates/index";
import { instantiateTemplate, type Template } from "./template";
import { eventPeriod, fillInstance, fillPlaceholders } from "./template-placeholders";

const facts = { eventStart: "2027-06-08", eventEnd: "2027-06-10", store: "金陵大酒店" };

function template(id: string): Template {
  const found = findBuiltInTemplate(id);
  if (!found) throw new Error(`template ${id} is missing`);
  return found;
}

function paragraphs(instance: ReturnType<typeof fillInstance>): string[] {
  return instance.sections.flatMap((section) => section.paragraphs ?? []);
}

describe("fillPlaceholders", () => {
  it.each([
    ["时间：xx月xx日——xx月xx日（端午节期间）。", "时间：6月8日——6月10日（端午节期间）。"],
    ["x月x日—x月x日（开业日起5天）", "6月8日—6月10日（开业日起5天）"],
    ["XX月XX日至XX月XX日", "6月8日至6月10日"],
    ["ｘｘ月ｘｘ日－ｘｘ月ｘｘ日", "6月8日－6月10日"],
    ["地点：xx大酒店。", "地点：金陵大酒店。"],
    ["供应商贺xx超市开业！", "供应商贺金陵大酒店开业！"],
    ["宣传XX店的新理念", "宣传金陵大酒店的新理念"],
    ["xx门店", "金陵大酒店"],
  ])("fills %j", (text, filled) => {
    expect(fillPlaceholders(text, facts)).toBe(filled);
  });

  it.each(["由xx负责", "《xx日报》记者", "活动时间x月x—x日", "活动时间x月x日—x日", "xx台一次", "满2000元（原文作“20xx”）", "4×5=20个", "美好生活从xx开始", "Box 店"])(
    "leaves %j as typed: the plan cannot answer it",
    (text) => {
      expect(fillPlaceholders(text, facts)).toBe(text);
    },
  );

  it("leaves store blanks visible when the plan has no store", () => {
    expect(fillPlaceholders("地点：xx大酒店，xx月xx日—xx月xx日", { ...facts, store: " " })).toBe("地点：xx大酒店，6月8日—6月10日");
  });

  it("writes months and days without leading zeros, across a month end", () => {
    expect(fillPlaceholders("x月x日—x月x日", { eventStart: "2027-01-30", eventEnd: "2027-02-03", store: "" })).toBe("1月30日—2月3日");
  });
});

describe("on the built-in templates", () => {
  it("fills the 端午 hotel's time and place from the plan's live days and store", () => {
    const instance = instantiateTemplate(template("duanwu-hotel-promotion"), { year: 2027 });
    const period = eventPeriod(instance);
    // 端午 2027 is 6月9日; the live tasks run the day before to the day after.
    expect(period).toEqual({ eventStart: "2027-06-08", eventEnd: "2027-06-10" });
    const filled = paragraphs(fillInstance(instance, "金陵大酒店"));
    expect(filled).toContain("时间：6月8日——6月10日（端午节期间）。");
    expect(filled).toContain("地点：金陵大酒店。");
  });

  it("fills the supermarket's opening days and name, and leaves the sub-activities' own dates to the planner", () => {
    const instance = instantiateTemplate(template("supermarket-grand-opening"), { anchorDate: "2027-05-01" });
    const filled = paragraphs(fillInstance(instance, "万家福超市"));
    expect(filled.some((text) => text.startsWith("5月1日—5月5日（开业日起5天"))).toBe(true);
    expect(filled.some((text) => text.includes("宣传万家福超市“一站式”"))).toBe(true);
    expect(filled.some((text) => text.includes("活动时间x月x—x日"))).toBe(true);
    expect(filled.join("")).not.toMatch(/x{1,3}(?:大酒店|酒店|超市|门店|店)/u);
  });

  it("changes nothing but the blanks in any template, and nothing without a store", () => {
    for (const built of builtInTemplates()) {
      const instance = instantiateTemplate(built, built.anchor.kind === "pick" ? { anchorDate: "2027-05-01" } : { year: 2027 });
      const filled = fillInstance(instance, "");
      expect(filled.timeline.map((row) => [row.start, row.end, row.phase])).toEqual(instance.timeline.map((row) => [row.start, row.end, row.phase]));
      expect(filled.budget.map((line) => line.unitPrice)).toEqual(instance.budget.map((line) => line.unitPrice));
      const before = paragraphs(instance).join("\n");
      const after = paragraphs(filled).join("\n");
      const fullRange = /[xX]{1,3}月[xX]{1,3}日(\s*(?:[—–~～－-]+|至|到)\s*)[xX]{1,3}月[xX]{1,3}日/gu;
      expect(after.replace(/\d{1,2}月\d{1,2}日/gu, "D")).toBe(before.replace(fullRange, "D$1D").replace(/\d{1,2}月\d{1,2}日/gu, "D"));
    }
  });
});
