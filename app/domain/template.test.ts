// Over 400 lines: every built-in template is checked against its seed here, beside the schema and instantiation tests that share its fixtures.
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { builtInTemplates, findBuiltInTemplate, TEMPLATE_MODULES } from "../../templates/index";
import { addDays, daysBetween, festivalDate, fixedDate } from "./calendar";
import { fenToDecimalString } from "./money";
import { pickerItem } from "./template-placement";
import { readPlanDoc, seedPlanDoc } from "./plan-document";
import { BLOCK_ROOTS, blocksFromInstance, readBlock, seedBlocks, totalsOf } from "./plan-document";
import {
  checkTemplate,
  instantiateTemplate,
  loadTemplates,
  PHASES,
  type Phase,
  TemplateInstantiationError,
  TemplateLoadError,
  TemplateSchema,
  type Template,
  type TemplateInstance,
  type TemplateTask,
} from "./template";

/**
 * Test-only arithmetic to check the seed figures carried into the templates: exact, on
 * hundredths, never floats. (Plans compute amounts with the money module, not this.)
 */
function hundredths(text: string): bigint {
  const [whole = "0", decimals = ""] = text.split(".");
  return BigInt(whole) * 100n + BigInt(decimals.padEnd(2, "0"));
}
function totalYuan(lines: TemplateInstance["budget"], income: boolean): string {
  let fenTimes100 = 0n;
  for (const line of lines) if (line.income === income && line.unitPrice !== null) fenTimes100 += hundredths(line.quantity) * hundredths(line.unitPrice);
  // quantity and price both in hundredths: the product is in 1/10000 yuan.
  expect(fenTimes100 % 100n).toBe(0n);
  const fen = fenTimes100 / 100n;
  return `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
}

function expectedAnchor(template: Template, year: number): string {
  const { anchor } = template;
  if (anchor.kind === "fixed") return fixedDate(anchor.monthDay, year);
  if (anchor.kind === "lunar") return festivalDate(anchor.festival, year);
  return `${year}-06-18`;
}

/** Where a task's offsets count from: its own festival or day in `year`, else the template's anchor. */
function expectedTaskAnchor(template: Template, task: TemplateTask, year: number): string {
  if (task.anchor === undefined) return expectedAnchor(template, year);
  return task.anchor.kind === "fixed" ? fixedDate(task.anchor.monthDay, year) : festivalDate(task.anchor.festival, year);
}

function instantiateFor(template: Template, year: number): TemplateInstance {
  return template.anchor.kind === "pick" ? instantiateTemplate(template, { anchorDate: `${year}-06-18` }) : instantiateTemplate(template, { year });
}

function byId(id: string): Template {
  const template = findBuiltInTemplate(id);
  if (!template) throw new Error(`no built-in template ${id}`);
  return template;
}

/** A small valid template to break in the tests below. */
function minimal(): Record<string, unknown> {
  return {
    id: "test-template",
    name: "测试模板",
    campaignType: "holiday",
    description: "测试",
    source: "000 篇1",
    anchor: { kind: "lunar", festival: "zhongqiu" },
    phases: [
      { phase: "prep", tasks: [{ task: "准备", offsetStart: -10, offsetEnd: -3, ownerRole: "策划" }] },
      { phase: "live", tasks: [{ task: "活动", offsetStart: 0, offsetEnd: 0, ownerRole: "策划" }] },
    ],
    sections: [{ heading: "活动背景", kind: "richText", paragraphs: ["背景"] }, { heading: "经费预算", kind: "budget" }],
    roles: [{ role: "策划", duties: "统筹" }],
    budget: [{ category: "宣传", item: "条幅", quantity: "50", unit: "条", unitPrice: "60", income: false }],
    kpis: [{ name: "到访", unit: "人", target: "60", direction: "up" }],
  };
}

function loadError(modules: Record<string, unknown>): TemplateLoadError {
  try {
    loadTemplates(modules);
  } catch (error) {
    if (error instanceof TemplateLoadError) return error;
    throw error;
  }
  throw new Error("expected loadTemplates to throw");
}

describe("built-in templates", () => {
  const templates = builtInTemplates();

  it("all pass the schema, with ids matching their file names", () => {
    expect(templates.length).toBe(Object.keys(TEMPLATE_MODULES).length);
    expect(templates.length).toBeGreaterThanOrEqual(4);
    for (const [file, data] of Object.entries(TEMPLATE_MODULES)) {
      const checked = checkTemplate(data, file);
      expect(checked.problem).toBeNull();
      expect(`${checked.template?.id}.json`).toBe(file);
    }
  });

  it("include the four required campaigns", () => {
    expect(templates.map((t) => t.id)).toEqual(
      expect.arrayContaining(["duanwu-hotel-promotion", "supermarket-grand-opening", "mid-autumn-client-gala", "double11-ecommerce"]),
    );
  });

  // The template card shows this line: what the template is for, never the seed's file code ("000 篇1").
  it("each say in one line what they are for, and the picker card shows that, not the source code", () => {
    for (const template of templates) {
      expect(template.purpose, template.id).toMatch(/^\S.{5,59}$/u);
      expect(template.purpose).not.toMatch(/\d{3}\s*篇|第.+篇/u);
      const card = pickerItem({ template, origin: "builtIn" });
      expect(card.purpose).toBe(template.purpose);
      expect(JSON.stringify(card)).not.toContain(template.source);
    }
  });

  describe.each(templates.map((template) => [template.id, template] as const))("%s", (_id, template) => {
    it.each([2027, 2028])("instantiates for %i with the anchor on the right day and tasks at their offsets", (year) => {
      const plan = instantiateFor(template, year);
      expect(plan.anchor).toBe(expectedAnchor(template, year));
      expect(plan.templateId).toBe(template.id);
      expect(plan.campaignType).toBe(template.campaignType);

      const tasks = template.phases.flatMap((phase) => phase.tasks.map((task) => ({ phase: phase.phase, task })));
      expect(plan.timeline).toHaveLength(tasks.length);
      plan.timeline.forEach((row, index) => {
        const source = tasks[index];
        expect(row.phase).toBe(source?.phase);
        expect(row.task).toBe(source?.task.task);
        const from = source ? expectedTaskAnchor(template, source.task, year) : plan.anchor;
        expect(daysBetween(from, row.start)).toBe(source?.task.offsetStart);
        expect(daysBetween(from, row.end)).toBe(source?.task.offsetEnd);
        expect(row.start <= row.end).toBe(true);
      });
      expect(plan.startDate).toBe(plan.timeline.map((row) => row.start).sort()[0]);
      expect(plan.endDate).toBe(plan.timeline.map((row) => row.end).sort().at(-1));
      expect(plan.startDate <= plan.anchor && plan.anchor <= plan.endDate).toBe(true);
    });

    it("has the parts a plan needs, in Chinese", () => {
      expect(template.sections.some((s) => s.kind === "richText")).toBe(true);
      expect(template.sections.map((s) => s.kind)).toEqual(expect.arrayContaining(["timeline", "roles", "budget", "kpis"]));
      expect(template.sections.some((s) => s.heading === "应急预案")).toBe(true);
      expect(template.roles.length).toBeGreaterThan(0);
      expect(template.budget.length).toBeGreaterThan(0);
      expect(template.kpis.length).toBeGreaterThan(0);
      expect(template.phases.map((p) => p.phase)).toContain("live");
      expect(template.name).toMatch(/\p{Script=Han}/u);
      for (const section of template.sections) {
        if (section.kind === "richText") for (const paragraph of section.paragraphs) expect(paragraph).toMatch(/\p{Script=Han}/u);
      }
    });

    // The schema lets a plan saved as a template leave these out; a built-in template may not.
    it("gives every narrative section starter text and every task an owner role", () => {
      for (const section of template.sections) if (section.kind === "richText") expect(section.paragraphs.length, section.heading).toBeGreaterThan(0);
      for (const phase of template.phases) for (const task of phase.tasks) expect(task.ownerRole, task.task).toBeDefined();
    });

    it("seeds a plan document that reads back", () => {
      const plan = instantiateFor(template, 2027);
      const doc = new Y.Doc();
      seedPlanDoc(
        doc,
        { title: `2027 ${plan.name}`, templateId: plan.templateId, campaignType: plan.campaignType, startDate: plan.startDate, endDate: plan.endDate, store: "", anchor: plan.anchor, currency: "CNY" },
        plan.sections,
      );
      seedBlocks(doc, blocksFromInstance(plan));
      const data = readPlanDoc(doc);
      expect(data.invalid).toEqual([]);
      expect(data.meta.anchor).toBe(plan.anchor);
      for (const root of BLOCK_ROOTS) {
        const { rows, invalid } = readBlock(doc, root);
        expect(invalid).toEqual([]);
        expect(rows).toHaveLength(plan[root === "roles" ? "roles" : root].length);
      }
      // The seeded budget adds up exactly as the template's own lines do.
      const totals = totalsOf(readBlock(doc, "budget").rows);
      expect([fenToDecimalString(totals.spendFen), fenToDecimalString(totals.incomeFen)]).toEqual([totalYuan(plan.budget, false), totalYuan(plan.budget, true)]);
      expect(data.meta.templateId).toBe(template.id);
      expect(data.sections.map((s) => [s.heading, s.kind])).toEqual(template.sections.map((s) => [s.heading, s.kind]));
      doc.destroy();
    });
  });
});

describe("faithful to the seeds", () => {
  it("端午节酒店促销 (000 篇1) sits on 端午 with the ad budget and its owners", () => {
    const template = byId("duanwu-hotel-promotion");
    expect(template.anchor).toEqual({ kind: "lunar", festival: "duanwu" });
    const plan = instantiateTemplate(template, { year: 2027 });
    expect(plan.anchor).toBe("2027-06-09");
    const banner = plan.budget.find((line) => line.item.includes("横幅"));
    expect(banner).toMatchObject({ quantity: "50", unitPrice: "70", ownerRole: "市场专员" });
    expect(plan.budget.find((line) => line.item.includes("宣传车"))).toMatchObject({ quantity: "10", unit: "天", unitPrice: null, ownerRole: "总经理" });
    expect(totalYuan(plan.budget, false)).toBe("3550.00");
    // The ad car runs ten days up to the festival.
    const car = plan.timeline.find((row) => row.task.startsWith("专用宣传车"));
    expect(car && daysBetween(car.start, car.end) + 1).toBe(10);
  });

  it("超市开业 (000 篇2) carries every priced line, supplier fees as income", () => {
    const plan = instantiateTemplate(byId("supermarket-grand-opening"), { anchorDate: "2027-04-28" });
    expect(plan.anchor).toBe("2027-04-28");
    const priced = plan.budget
      .filter((line) => line.unitPrice !== null)
      .map((line) => `${line.item} ${line.quantity}${line.unit}×${line.unitPrice}${line.income ? " 收入" : ""}`);
    expect(priced).toEqual([
      "疯狂抢购商品负毛利补贴（20个SKU） 1项×10000",
      "特价商品进场费（零毛利） 50SKU×50 收入",
      "品牌商品进场费 50SKU×100 收入",
      "电台软性广告与超市广告 1次×1000",
      "《xx日报》记者 1次×200",
      "沿街条幅（含工商登记费用） 50条×60",
      "供应商贺开业条幅 40条×100 收入",
      "气球 10000个×0.15",
      "车内不干胶广告 100㎡×50",
    ]);
    expect(totalYuan(plan.budget, false)).toBe("20700.00");
    expect(totalYuan(plan.budget, true)).toBe("11500.00");
    // Balloons go up in the three days before opening.
    expect(plan.timeline.find((row) => row.task.startsWith("气球"))).toMatchObject({ start: "2027-04-25", end: "2027-04-27" });
  });

  it("中秋客户答谢晚会 (000 篇13) has the prizes, 150 gifts ≤ ¥30, the invitation window and a rain plan", () => {
    const template = byId("mid-autumn-client-gala");
    const plan2027 = instantiateTemplate(template, { year: 2027 });
    const plan2028 = instantiateTemplate(template, { year: 2028 });
    expect(plan2027.anchor).toBe("2027-09-15");
    expect(plan2028.anchor).toBe("2028-10-03");
    const prizes = plan2027.budget.filter((line) => line.category === "抽奖奖品").map((line) => [line.quantity, line.unitPrice]);
    expect(prizes).toEqual([
      ["1", "800"],
      ["5", "200"],
      ["10", "50"],
    ]);
    expect(plan2027.budget.find((line) => line.item === "嘉华礼品包")).toMatchObject({ quantity: "150", unitPrice: "30" });
    expect(totalYuan(plan2027.budget, false)).toBe("6800.00");
    // Gala four days before 中秋; invitations from ten days before it until the gala.
    const gala = plan2027.timeline.find((row) => row.task.startsWith("答谢晚会"));
    expect(gala).toMatchObject({ start: "2027-09-11", end: "2027-09-11" });
    expect(plan2027.timeline.find((row) => row.task.startsWith("客户邀约"))).toMatchObject({ start: "2027-09-01", end: "2027-09-11" });
    const contingency = template.sections.find((s) => s.heading === "应急预案");
    expect(contingency?.kind === "richText" && contingency.paragraphs.join("")).toMatch(/提前5天查询天气.*下雨/);
  });

  it("中秋客户答谢晚会 placed in 2014 (中秋 09-08) reproduces the source's dates", () => {
    const plan = instantiateTemplate(byId("mid-autumn-client-gala"), { year: 2014 });
    const at = (prefix: string) => plan.timeline.find((row) => row.task.startsWith(prefix));
    expect(plan.anchor).toBe("2014-09-08");
    expect(at("答谢晚会")).toMatchObject({ start: "2014-09-04", end: "2014-09-04" }); // 20xx年9月4日周四
    expect(at("客户邀约")).toMatchObject({ start: "2014-08-25", end: "2014-09-04" });
    expect(at("确定来访人数")).toMatchObject({ start: "2014-08-31" });
    expect(at("商家联盟")).toMatchObject({ start: "2014-09-02", end: "2014-09-08" });
    expect(at("老客户回馈")).toMatchObject({ start: "2014-09-04", end: "2014-09-08" });
    expect(at("查询天气")).toMatchObject({ start: "2014-08-30" }); // five days before the gala
  });

  it("新春会员招募 (000 篇9) placed in 2008 (元宵 02-21) reproduces the source's dates", () => {
    const plan = instantiateTemplate(byId("new-year-member-recruitment"), { year: 2008 });
    expect(plan.anchor).toBe("2008-02-21");
    const phase = (name: string) => plan.timeline.filter((row) => row.phase === name);
    expect(phase("prep").every((row) => row.start === "2008-02-20" && row.end === "2008-02-21")).toBe(true);
    expect(phase("live").every((row) => row.start === "2008-02-22" && row.end === "2008-03-13")).toBe(true);
    expect(phase("review")).toEqual([expect.objectContaining({ start: "2008-03-16", end: "2008-03-16", phaseLabel: "总结、考核、评估阶段" })]);
    expect(plan.roles.find((role) => role.role === "活动宣传人员")?.count).toBe(2);
  });

  it("会员年终回馈 (001 第九篇) runs 12/20–12/31 and 1/1–1/6 across the year end", () => {
    const plan = instantiateTemplate(byId("year-end-member-rewards"), { year: 2027 });
    const stage = (n: string) => plan.timeline.filter((row) => row.task.startsWith(n));
    expect(stage("第一阶段").every((row) => row.start === "2027-12-20" && row.end === "2027-12-31")).toBe(true);
    expect(stage("第二阶段").every((row) => row.start === "2028-01-01" && row.end === "2028-01-06")).toBe(true);
    expect(plan.kpis.find((kpi) => kpi.name === "会员流失率")?.direction).toBe("down");
  });

  it("双十一商场促销 (003) grabs coupons 11/1–11/10 and sells 11/7–11/11", () => {
    const plan = instantiateTemplate(byId("double11-mall-promotion"), { year: 2028 });
    expect(plan.timeline.find((row) => row.phase === "warmup" && row.task.startsWith("官方微信抢券"))).toMatchObject({ start: "2028-11-01", end: "2028-11-10" });
    expect(plan.timeline.find((row) => row.task.startsWith("折扣促销"))).toMatchObject({ start: "2028-11-07", end: "2028-11-11" });
    expect(totalYuan(plan.budget, false)).toBe("1300.00");
    expect(plan.kpis.find((kpi) => kpi.name === "折扣券领取")?.target).toBe("100000");
  });

  it("双十一电商大促 (003) pre-heats 11/1–11/10, goes live on 11/11, ships to the big cities within 2 days", () => {
    const plan = instantiateTemplate(byId("double11-ecommerce"), { year: 2027 });
    expect(plan.anchor).toBe("2027-11-11");
    const warmup = plan.timeline.filter((row) => row.phase === "warmup");
    expect(warmup.find((row) => row.task.startsWith("上线预热页面"))).toMatchObject({ start: "2027-11-01", end: "2027-11-10" });
    expect(plan.timeline.filter((row) => row.phase === "live").every((row) => row.start === "2027-11-11" && row.end === "2027-11-11")).toBe(true);
    expect(plan.timeline.find((row) => row.task.includes("全仓盘点"))).toMatchObject({ start: "2027-11-08", end: "2027-11-09" });
    const content = byId("double11-ecommerce").sections.find((s) => s.heading === "活动内容");
    expect(content?.kind === "richText" && content.paragraphs.join("")).toMatch(/满300元立减20元.*满500元立减50元.*满1000元立减100元/);
    expect(plan.kpis.find((kpi) => kpi.name.includes("2天内发货"))).toMatchObject({ target: "100", direction: "up" });
    expect(plan.kpis.some((kpi) => kpi.direction === "down")).toBe(true);
  });

  it("银行VIP客户节日营销 (003) runs a year from 元旦, each festival task on its own day of that year", () => {
    const template = byId("bank-vip-holiday-marketing");
    expect(template).toMatchObject({ campaignType: "bankVip", anchor: { kind: "fixed", monthDay: "01-01" } });
    expect(template.source).toMatch(/^003 /);
    for (const year of [2027, 2028]) {
      const plan = instantiateTemplate(template, { year });
      expect(plan.anchor).toBe(`${year}-01-01`);
      const at = (phase: Phase, prefix: string) => plan.timeline.find((row) => row.phase === phase && row.task.startsWith(prefix));
      // The seed's festivals: lunar ones move with the year, the rest sit on their fixed days.
      const festivals: [string, string][] = [
        ["元旦", `${year}-01-01`],
        ["端午", festivalDate("duanwu", year)],
        ["七夕", festivalDate("qixi", year)],
        ["中秋", festivalDate("zhongqiu", year)],
        ["国庆", `${year}-10-01`],
        ["重阳", festivalDate("chongyang", year)],
        ["圣诞", `${year}-12-25`],
      ];
      for (const [name, day] of festivals) {
        expect(at("warmup", `${name}：网点节日营销布置`)).toMatchObject({ start: addDays(day, -7), end: addDays(day, -1), ownerRole: "网点负责人" });
        expect(at("live", `${name}：`)).toMatchObject({ start: addDays(day, -3), end: day });
      }
      expect(at("prep", "联合邮储银行策划特色端午营销活动")?.end).toBe(addDays(festivalDate("duanwu", year), -15));
      // Quarterly competitions end on the quarter's last day (the 时点 the branch is measured on).
      expect(at("live", "一季度存款开门红竞赛")?.end).toBe(`${year}-03-31`);
      expect(at("live", "二季度")).toMatchObject({ start: `${year}-04-01`, end: `${year}-06-30` });
      expect(at("live", "三季度")).toMatchObject({ start: `${year}-07-01`, end: `${year}-09-30` });
      expect(at("followup", "通报截止11月末")).toMatchObject({ start: `${year}-12-01`, end: `${year}-12-05` });
      expect(at("review", "年终总结")).toMatchObject({ start: `${year}-12-21`, end: `${year}-12-31` });
    }
    const day = (year: number, festival: string) => instantiateTemplate(template, { year }).timeline.find((row) => row.phase === "live" && row.task.startsWith(festival))?.end;
    expect([day(2027, "中秋"), day(2028, "中秋"), day(2027, "端午"), day(2028, "端午")]).toEqual(["2027-09-15", "2028-10-03", "2027-06-09", "2028-05-28"]);

    const plan = instantiateTemplate(template, { year: 2027 });
    // The seed gives no amounts for the bank: every price is 待定, the counts follow the calendar.
    expect(plan.budget.every((line) => line.unitPrice === null && !line.income)).toBe(true);
    expect(plan.budget.find((line) => line.item === "网点节日营销布置物料")).toMatchObject({ quantity: "7", unit: "次" });
    // Targets only where the seed has a figure: 完成分行下达的任务 and the 开门红 网点入围率 40%.
    expect(plan.kpis.filter((kpi) => kpi.target !== null).map((kpi) => [kpi.name, kpi.target])).toEqual([
      ["储蓄存款年度计划完成率", "100"],
      ["对私存款网点入围率", "40"],
    ]);
    expect(plan.kpis.map((kpi) => kpi.name)).toEqual(expect.arrayContaining(["储蓄存款新增", "VIP客户新增", "理财资金吸收", "证券有效开户数"]));
    expect(plan.roles.map((role) => role.role)).toEqual(expect.arrayContaining(["支行行长", "网点负责人", "客户经理"]));
  });
});

describe("schema", () => {
  it("accepts the minimal template and lists the phases in order", () => {
    expect(TemplateSchema.safeParse(minimal()).success).toBe(true);
    expect(PHASES).toEqual(["prep", "warmup", "live", "followup", "review"]);
  });

  it("names the template and the field of a bad phase", () => {
    const data = minimal();
    data.phases = [{ phase: "launch", tasks: [{ task: "x", offsetStart: 0, offsetEnd: 0, ownerRole: "策划" }] }];
    const error = loadError({ "test-template.json": data });
    expect(error.message).toContain('Template "test-template" (test-template.json)');
    expect(error.message).toContain("phases[0].phase: phase must be one of prep, warmup, live, followup, review");
  });

  it("refuses phases out of order", () => {
    const data = minimal();
    data.phases = [...(data.phases as unknown[])].reverse();
    expect(loadError({ "t.json": data }).message).toContain("phases[1].phase: phases must run in the order");
  });

  it("refuses a quantity with three decimals, naming the line", () => {
    const data = minimal();
    data.budget = [{ category: "宣传", item: "气球", quantity: "0.125", unit: "个", unitPrice: "0.15", income: false }];
    const error = loadError({ "test-template.json": data });
    expect(error.message).toContain('Template "test-template"');
    expect(error.message).toContain('budget[0].quantity: quantity must be decimal text with at most 2 decimals');
    expect(error.problems[0]?.issues).toEqual([expect.objectContaining({ path: "budget[0].quantity" })]);
  });

  it("refuses amounts given as numbers (floats) rather than text", () => {
    const data = minimal();
    data.budget = [{ category: "宣传", item: "气球", quantity: "10000", unit: "个", unitPrice: 0.15, income: false }];
    expect(loadError({ "t.json": data }).message).toContain('budget[0].unitPrice: unitPrice must be decimal text such as "0.15" (a string), not a number');
  });

  it("names the file when the id is missing", () => {
    const data = minimal();
    delete data.id;
    const error = loadError({ "no-id.json": data });
    expect(error.message).toContain("Template in no-id.json is invalid");
    expect(error.message).toContain("id: id is required");
  });

  it("checks ids, owners, offsets, unknown fields and duplicates", () => {
    const badId = { ...minimal(), id: "Test_Template" };
    expect(loadError({ "a.json": badId }).message).toContain("id: id must be kebab-case");

    const badOwner = minimal();
    badOwner.budget = [{ category: "宣传", item: "条幅", quantity: "50", unit: "条", unitPrice: null, income: false, ownerRole: "总经理" }];
    expect(loadError({ "b.json": badOwner }).message).toContain('budget[0].ownerRole: ownerRole "总经理" is not one of the template\'s roles');

    const backwards = minimal();
    backwards.phases = [{ phase: "live", tasks: [{ task: "x", offsetStart: 2, offsetEnd: 1, ownerRole: "策划" }] }];
    expect(loadError({ "c.json": backwards }).message).toContain("phases[0].tasks[0].offsetEnd: offsetEnd must not be before offsetStart");

    const typo = { ...minimal(), kpi: [] };
    expect(loadError({ "d.json": typo }).message).toContain("template has unknown field(s): kpi");

    expect(loadError({ "e.json": minimal(), "f.json": minimal() }).message).toContain('id "test-template" is already used by e.json');
  });

  it("reports every bad template at once", () => {
    const a = { ...minimal(), id: "a", campaignType: "party" };
    const b = { ...minimal(), id: "b", anchor: { kind: "fixed", monthDay: "02-29" } };
    const error = loadError({ "a.json": a, "b.json": b, "ok.json": minimal() });
    expect(error.problems.map((p) => p.file)).toEqual(["a.json", "b.json"]);
    expect(error.message).toContain("campaignType: campaignType must be one of holiday, double11, opening, membership, bankVip");
    expect(error.message).toContain("anchor.monthDay: anchor.monthDay must be MM-DD");
  });
});

describe("instantiateTemplate", () => {
  const pick = TemplateSchema.parse({ ...minimal(), anchor: { kind: "pick", label: "开业日" } });
  const lunar = TemplateSchema.parse(minimal());

  it("needs a date for a pick anchor, and only a date", () => {
    expect(() => instantiateTemplate(pick, {})).toThrow(TemplateInstantiationError);
    expect(() => instantiateTemplate(pick, {})).toThrow(/anchorDate: the 开业日/);
    expect(() => instantiateTemplate(pick, { year: 2027 })).toThrow(/give anchorDate, not year/);
    expect(() => instantiateTemplate(pick, { anchorDate: "2027-02-30" })).toThrow(/calendar date/);
    const plan = instantiateTemplate(pick, { anchorDate: "2028-03-01" });
    expect(plan).toMatchObject({ anchor: "2028-03-01", startDate: "2028-02-20", endDate: "2028-03-01" });
  });

  it("needs a year for fixed and lunar anchors", () => {
    const codes = (input: Parameters<typeof instantiateTemplate>[1]) => {
      try {
        instantiateTemplate(lunar, input);
        return null;
      } catch (error) {
        return error instanceof TemplateInstantiationError ? error.code : "other";
      }
    };
    expect(codes({})).toBe("yearRequired");
    expect(codes({ anchorDate: "2027-09-15" })).toBe("anchorDateNotAllowed");
    expect(codes({ year: 2027.5 })).toBe("invalidYear");
    expect(codes({ year: 2027 })).toBeNull();
  });

  it("returns plain rows with the optional fields filled in", () => {
    const plan = instantiateTemplate(lunar, { year: 2028 });
    expect(plan).toMatchObject({
      templateId: "test-template",
      anchor: "2028-10-03",
      startDate: "2028-09-23",
      endDate: "2028-10-03",
      roles: [{ role: "策划", duties: "统筹", count: null }],
      budget: [{ category: "宣传", item: "条幅", quantity: "50", unit: "条", unitPrice: "60", income: false, ownerRole: null, note: "" }],
      kpis: [{ name: "到访", unit: "人", target: "60", direction: "up", notes: "" }],
    });
    expect(plan.timeline[0]).toEqual({ phase: "prep", phaseLabel: null, task: "准备", start: "2028-09-23", end: "2028-09-30", ownerRole: "策划" });
    expect(plan.sections).toEqual([
      { heading: "活动背景", kind: "richText", paragraphs: ["背景"] },
      { heading: "经费预算", kind: "budget" },
    ]);
  });
});

describe("per-task anchors", () => {
  /** A template on 元旦 whose festival tasks follow 春节, 中秋 and 国庆 of the same year. */
  function yearRound(anchor: Record<string, unknown> = { kind: "fixed", monthDay: "01-01" }): Record<string, unknown> {
    return {
      ...minimal(),
      anchor,
      phases: [
        { phase: "prep", tasks: [{ task: "年度筹备", offsetStart: -10, offsetEnd: -1, ownerRole: "策划" }] },
        {
          phase: "live",
          tasks: [
            { task: "春节活动", anchor: { kind: "lunar", festival: "chunjie" }, offsetStart: -7, offsetEnd: 0, ownerRole: "策划" },
            { task: "中秋活动", anchor: { kind: "lunar", festival: "zhongqiu" }, offsetStart: -3, offsetEnd: 1, ownerRole: "策划" },
            { task: "国庆活动", anchor: { kind: "fixed", monthDay: "10-01" }, offsetStart: 0, offsetEnd: 6, ownerRole: "策划" },
          ],
        },
      ],
    };
  }

  it("counts a task's offsets from its own festival in the plan's year", () => {
    const template = TemplateSchema.parse(yearRound());
    const rows = (year: number) => instantiateTemplate(template, { year }).timeline.map((row) => [row.task, row.start, row.end]);
    expect(rows(2027)).toEqual([
      ["年度筹备", "2026-12-22", "2026-12-31"],
      ["春节活动", "2027-01-30", "2027-02-06"],
      ["中秋活动", "2027-09-12", "2027-09-16"],
      ["国庆活动", "2027-10-01", "2027-10-07"],
    ]);
    expect(rows(2028)).toEqual([
      ["年度筹备", "2027-12-22", "2027-12-31"],
      ["春节活动", "2028-01-19", "2028-01-26"],
      ["中秋活动", "2028-09-30", "2028-10-04"],
      ["国庆活动", "2028-10-01", "2028-10-07"],
    ]);
    // The plan keeps the template's anchor; its span covers every task.
    expect(instantiateTemplate(template, { year: 2028 })).toMatchObject({ anchor: "2028-01-01", startDate: "2027-12-22", endDate: "2028-10-07" });
  });

  it("places the tasks of a picked-date template in the picked date's year", () => {
    const template = TemplateSchema.parse(yearRound({ kind: "pick", label: "开业日" }));
    const plan = instantiateTemplate(template, { anchorDate: "2028-03-01" });
    expect(plan.timeline.map((row) => [row.task, row.start, row.end])).toEqual([
      ["年度筹备", "2028-02-20", "2028-02-29"],
      ["春节活动", "2028-01-19", "2028-01-26"],
      ["中秋活动", "2028-09-30", "2028-10-04"],
      ["国庆活动", "2028-10-01", "2028-10-07"],
    ]);
    expect(plan).toMatchObject({ anchor: "2028-03-01", startDate: "2028-01-19", endDate: "2028-10-07" });
    let code: string | null = null;
    try {
      instantiateTemplate(template, { anchorDate: "1899-12-31" });
    } catch (error) {
      code = error instanceof TemplateInstantiationError ? error.code : "other";
    }
    expect(code).toBe("invalidDate");
  });

  it("names the field of a bad task anchor", () => {
    const withAnchor = (task: number, anchor: unknown) => {
      const data = yearRound();
      const phases = data.phases as { tasks: Record<string, unknown>[] }[];
      const target = phases[1]?.tasks[task];
      if (target) target.anchor = anchor;
      return loadError({ "t.json": data }).message;
    };
    expect(withAnchor(0, { kind: "lunar", festival: "mid-autumn" })).toContain(
      'phases[1].tasks[0].anchor.festival: anchor.festival must be one of chunjie, yuanxiao, duanwu, qixi, zhongqiu, chongyang, laba, got "mid-autumn"',
    );
    expect(withAnchor(1, { kind: "pick", label: "开业日" })).toContain("phases[1].tasks[1].anchor.kind: anchor.kind must be one of fixed, lunar (a task cannot anchor on a picked date)");
    expect(withAnchor(2, { kind: "fixed", monthDay: "02-29" })).toContain("phases[1].tasks[2].anchor.monthDay: anchor.monthDay must be MM-DD");
    expect(withAnchor(0, "zhongqiu")).toContain("phases[1].tasks[0].anchor: anchor must be an object");
    expect(withAnchor(0, { kind: "lunar", festival: "zhongqiu", year: 2027 })).toContain("phases[1].tasks[0].anchor: anchor has unknown field(s): year");
  });
});
