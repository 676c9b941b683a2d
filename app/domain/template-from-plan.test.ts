import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { builtInTemplates, findBuiltInTemplate } from "../../templates/index";
import { addSection, sectionFragment, seedPlanDoc, type PlanMeta } from "./plan-document";
import { blankRow, blocksFromInstance, insertRows, readBlock, seedBlocks, totalsOf, type BlockSeed } from "./plan-document";
import { instantiateTemplate, TemplateSchema, type Template, type TemplateInstance } from "./template";
import { DEFAULT_ANCHOR_LABEL, fragmentLines, readPlanSource, templateFromPlan, type TemplateFromPlanOptions } from "./template-from-plan";

const TODAY = "2027-08-01";

function builtIn(id: string): Template {
  const template = findBuiltInTemplate(id);
  if (!template) throw new Error(`no built-in template ${id}`);
  return template;
}

/** A plan document as the server seeds it from a template instance. */
function planFrom(instance: TemplateInstance): Y.Doc {
  const doc = new Y.Doc();
  seedPlanDoc(
    doc,
    {
      title: `2027 ${instance.name}`,
      templateId: instance.templateId,
      campaignType: instance.campaignType,
      startDate: instance.startDate,
      endDate: instance.endDate,
      store: "南京西路店",
      anchor: instance.anchor,
      currency: "CNY",
    },
    instance.sections,
  );
  seedBlocks(doc, blocksFromInstance(instance));
  return doc;
}

const options = (patch: Partial<TemplateFromPlanOptions> = {}): TemplateFromPlanOptions => ({
  id: "custom-test1",
  name: "我们的中秋晚会",
  description: "去年做得好的中秋晚会",
  keepAmounts: true,
  sourceTemplate: null,
  ...patch,
});

function saved(doc: Y.Doc, patch: Partial<TemplateFromPlanOptions> = {}): Template {
  const result = templateFromPlan(readPlanSource(doc), options(patch));
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.template;
}

/** Everything a plan made from an instance holds, without the template's own name and id. */
function content(instance: TemplateInstance) {
  const { templateId: _id, name: _name, ...rest } = instance;
  return rest;
}

function blankPlan(meta: Partial<PlanMeta>, blocks: Partial<BlockSeed>, sections: Parameters<typeof seedPlanDoc>[2] = []): Y.Doc {
  const doc = new Y.Doc();
  seedPlanDoc(
    doc,
    { title: "2027 开业活动", templateId: null, campaignType: "opening", startDate: "2027-04-20", endDate: "2027-05-05", store: "", anchor: "", currency: "CNY", ...meta },
    sections,
  );
  seedBlocks(doc, { timeline: [], roles: [], budget: [], kpis: [], ...blocks });
  return doc;
}

const task = (patch: Partial<ReturnType<typeof blankRow<"timeline">>>) => ({ ...blankRow("timeline", TODAY), ...patch });
const role = (patch: Partial<ReturnType<typeof blankRow<"roles">>>) => ({ ...blankRow("roles", TODAY), ...patch });
const line = (patch: Partial<ReturnType<typeof blankRow<"budget">>>) => ({ ...blankRow("budget", TODAY), ...patch });
const kpi = (patch: Partial<ReturnType<typeof blankRow<"kpis">>>) => ({ ...blankRow("kpis", TODAY), ...patch });

describe("templateFromPlan round trip", () => {
  it("中秋客户答谢晚会 2027 → template → 2027 reproduces sections, timeline, roles, budget, totals and KPIs", () => {
    const gala = builtIn("mid-autumn-client-gala");
    const original = instantiateTemplate(gala, { year: 2027 });
    const template = saved(planFrom(original), { sourceTemplate: gala });

    expect(TemplateSchema.safeParse(template).success).toBe(true);
    expect(template).toMatchObject({ id: "custom-test1", name: "我们的中秋晚会", campaignType: "holiday", source: "方案「2027 中秋客户答谢晚会」" });
    expect(template.anchor).toEqual({ kind: "lunar", festival: "zhongqiu" });
    const again = instantiateTemplate(template, { year: 2027 });
    expect(content(again)).toEqual(content(original));

    // And as plans: the same rows and the same totals to the fen.
    const [a, b] = [planFrom(original), planFrom(again)];
    for (const root of ["timeline", "roles", "budget", "kpis"] as const) {
      const strip = (doc: Y.Doc) => readBlock(doc, root).rows.map(({ id: _id, ...row }) => row);
      expect(strip(b)).toEqual(strip(a));
    }
    expect(totalsOf(readBlock(b, "budget").rows)).toEqual(totalsOf(readBlock(a, "budget").rows));
    expect(totalsOf(readBlock(b, "budget").rows)).toMatchObject({ spendFen: 680000, tbdCount: 7 });
  });

  it("lands on 中秋 2028-10-03 when the saved template is used for 2028", () => {
    const gala = builtIn("mid-autumn-client-gala");
    const template = saved(planFrom(instantiateTemplate(gala, { year: 2027 })), { sourceTemplate: gala });
    const plan2028 = instantiateTemplate(template, { year: 2028 });
    expect(plan2028.anchor).toBe("2028-10-03");
    expect(content(plan2028)).toEqual(content(instantiateTemplate(gala, { year: 2028 })));
  });

  it.each(builtInTemplates().map((t) => [t.id, t] as const))("%s survives the round trip", (_id, template) => {
    const input = template.anchor.kind === "pick" ? { anchorDate: "2027-06-18" } : { year: 2027 };
    const original = instantiateTemplate(template, input);
    const again = instantiateTemplate(saved(planFrom(original), { sourceTemplate: template }), input);
    expect(content(again)).toEqual(content(original));
  });

  it("without 保留金额 every price is 待定, so 待定 counts every line", () => {
    const gala = builtIn("mid-autumn-client-gala");
    const template = saved(planFrom(instantiateTemplate(gala, { year: 2027 })), { sourceTemplate: gala, keepAmounts: false });
    expect(template.budget.map((l) => l.unitPrice)).toEqual(template.budget.map(() => null));
    const doc = planFrom(instantiateTemplate(template, { year: 2027 }));
    const totals = totalsOf(readBlock(doc, "budget").rows);
    expect(totals).toMatchObject({ spendFen: 0, incomeFen: 0, tbdCount: 12 });
    expect(template.budget.map((l) => [l.item, l.quantity])).toEqual(gala.budget.map((l) => [l.item, l.quantity]));
  });

  it("keeps a task's own festival anchor, so it moves with that festival in other years", () => {
    const bank = TemplateSchema.parse({
      ...builtIn("mid-autumn-client-gala"),
      phases: [
        { phase: "prep", tasks: [{ task: "准备中秋礼品", offsetStart: -10, offsetEnd: -1, ownerRole: "项目营销经理" }] },
        { phase: "live", tasks: [{ task: "重阳敬老活动", anchor: { kind: "lunar", festival: "chongyang" }, offsetStart: 0, offsetEnd: 0, ownerRole: "主持人" }] },
      ],
    });
    const template = saved(planFrom(instantiateTemplate(bank, { year: 2027 })), { sourceTemplate: bank });
    expect(template.phases[1]?.tasks[0]).toMatchObject({ anchor: { kind: "lunar", festival: "chongyang" }, offsetStart: 0 });
    expect(instantiateTemplate(template, { year: 2028 }).timeline).toEqual(instantiateTemplate(bank, { year: 2028 }).timeline);
  });
});

describe("templateFromPlan from a plan of its own", () => {
  it("anchors a blank plan on its start date, as a picked 活动基准日", () => {
    const doc = blankPlan(
      {},
      {
        timeline: [
          task({ phase: "prep", task: "确定场地", start: "2027-04-20", end: "2027-04-25", owner: "市场部" }),
          task({ phase: "live", task: "开业当天", start: "2027-05-01", end: "2027-05-01", owner: "" }),
        ],
        roles: [role({ person: "王芳", role: "市场部", duties: "场地与宣传", contact: "138…" })],
      },
      [{ heading: "活动背景", kind: "richText" }, { heading: "时间表", kind: "timeline" }],
    );
    const template = saved(doc);
    expect(template.anchor).toEqual({ kind: "pick", label: DEFAULT_ANCHOR_LABEL });
    expect(template.phases).toEqual([
      { phase: "prep", tasks: [{ task: "确定场地", offsetStart: 0, offsetEnd: 5, ownerRole: "市场部" }] },
      { phase: "live", tasks: [{ task: "开业当天", offsetStart: 11, offsetEnd: 11 }] },
    ]);
    // People and contacts stay with the plan; an empty section stays as a heading to fill in.
    expect(template.roles).toEqual([{ role: "市场部", duties: "场地与宣传" }]);
    expect(template.sections).toEqual([
      { heading: "活动背景", kind: "richText", paragraphs: [] },
      { heading: "时间表", kind: "timeline" },
    ]);
    expect(instantiateTemplate(template, { anchorDate: "2028-04-20" }).timeline.map((r) => [r.start, r.end])).toEqual([
      ["2028-04-20", "2028-04-25"],
      ["2028-05-01", "2028-05-01"],
    ]);
  });

  it("drops owners that are people rather than roles, merges a role held by several people, skips untouched rows", () => {
    const doc = blankPlan(
      {},
      {
        timeline: [task({ task: "发传单", start: "2027-04-22", end: "2027-04-23", owner: "张伟", ownerUserId: 7 }), task({})],
        roles: [
          role({ person: "李娜", role: "导购", duties: "门店接待" }),
          role({ person: "陈晨", role: "导购", duties: "门店接待" }),
          role({ person: "", role: "保安（3人）", duties: "现场秩序" }),
          role({}),
        ],
        budget: [line({ category: "宣传", item: "传单", quantityHundredths: 500000, unit: "张", unitPriceFen: 12, owner: "导购" }), line({})],
        kpis: [kpi({ name: "到店人数", unit: "人", target: "500" }), kpi({})],
      },
      [{ heading: "活动内容", kind: "richText", paragraphs: ["开业当天全场九折。"] }],
    );
    const template = saved(doc);
    expect(template.sections).toEqual([{ heading: "活动内容", kind: "richText", paragraphs: ["开业当天全场九折。"] }]);
    expect(template.phases).toEqual([{ phase: "prep", tasks: [{ task: "发传单", offsetStart: 2, offsetEnd: 3 }] }]);
    expect(template.roles).toEqual([
      { role: "导购", duties: "门店接待", count: 2 },
      { role: "保安", duties: "现场秩序", count: 3 },
    ]);
    expect(template.budget).toEqual([{ category: "宣传", item: "传单", quantity: "5000", unit: "张", unitPrice: "0.12", income: false, ownerRole: "导购" }]);
    expect(template.kpis).toEqual([{ name: "到店人数", unit: "人", target: "500", direction: "up" }]);
  });

  it("refuses what a template cannot hold, naming the section and the row", () => {
    const doc = blankPlan(
      {},
      {
        timeline: [task({ task: "", owner: "市场部" }), task({ task: "提前一年订场地", start: "2026-01-01", end: "2026-01-02" })],
        roles: [role({ person: "王芳", role: "", duties: "宣传" }), role({ role: "店长", duties: "" })],
        budget: [line({ category: "宣传", item: "横幅", unit: "", unitPriceFen: 6000 }), line({ category: "宣传", item: "气球", unit: "个", quantityHundredths: 0 })],
        kpis: [kpi({ name: "到店人数", unit: "" })],
      },
      [
        { heading: "执行计划", kind: "timeline" },
        { heading: "预算", kind: "budget" },
        { heading: "预算", kind: "richText", paragraphs: ["重复的标题"] },
        { heading: "", kind: "richText" },
      ],
    );
    const result = templateFromPlan(readPlanSource(doc), options());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { code: "headingTwice", heading: "预算" },
      { code: "headingMissing", position: 4 },
      { code: "roleMissing", block: "roles", section: null, row: 1, label: "王芳" },
      { code: "dutiesMissing", block: "roles", section: null, row: 2, label: "店长" },
      { code: "taskMissing", block: "timeline", section: "执行计划", row: 1, label: "市场部" },
      { code: "taskTooFar", block: "timeline", section: "执行计划", row: 2, label: "提前一年订场地" },
      { code: "quantityZero", block: "budget", section: "预算", row: 2, label: "气球" },
    ]);
  });

  // An approved plan's budget is locked: asking for a unit there would send the planner to reopen it.
  it("keeps a line or KPI without a unit, with the unit left empty, instead of refusing the plan", () => {
    const doc = blankPlan(
      {},
      {
        timeline: [task({ task: "开业", start: "2027-05-01", end: "2027-05-01" })],
        budget: [line({ category: "宣传", item: "横幅", unit: "", unitPriceFen: 6000 })],
        kpis: [kpi({ name: "到店人数", unit: "" })],
      },
      [{ heading: "预算", kind: "budget" }],
    );
    const result = templateFromPlan(readPlanSource(doc), options());
    expect(result.ok && result.template.budget.map((l) => [l.item, l.unit])).toEqual([["横幅", ""]]);
    expect(result.ok && result.template.kpis.map((k) => [k.name, k.unit])).toEqual([["到店人数", ""]]);
  });

  it("refuses a plan without a single task, or without a section", () => {
    const result = templateFromPlan(readPlanSource(blankPlan({}, {}, [{ heading: "时间表", kind: "timeline" }])), options());
    expect(!result.ok && result.problems).toEqual([{ code: "noTasks", section: "时间表" }]);
    const bare = blankPlan({}, { timeline: [task({ task: "开业", start: "2027-05-01", end: "2027-05-01" })] });
    const refused = templateFromPlan(readPlanSource(bare), options());
    expect(!refused.ok && refused.problems).toEqual([{ code: "noSections" }]);
  });

  it("does not count rows nobody typed into as tasks", () => {
    const doc = blankPlan({}, {}, [{ heading: "活动背景", kind: "richText" }]);
    insertRows(doc, "timeline", [blankRow("timeline", TODAY)]);
    const result = templateFromPlan(readPlanSource(doc), options());
    expect(!result.ok && result.problems.map((p) => p.code)).toEqual(["noTasks"]);
  });
});

describe("fragmentLines", () => {
  it("reads paragraphs, headings, list and task items, hard breaks and table rows as text lines", () => {
    const doc = new Y.Doc();
    const id = addSection(doc, "活动内容");
    const fragment = sectionFragment(doc, id);
    const element = (name: string, children: (Y.XmlElement | Y.XmlText)[]) => {
      const el = new Y.XmlElement(name);
      el.insert(0, children);
      return el;
    };
    const text = (value: string, bold = false) => {
      const t = new Y.XmlText();
      t.insert(0, value, bold ? { bold: true } : {});
      return t;
    };
    const paragraph = (...children: (Y.XmlElement | Y.XmlText)[]) => element("paragraph", children);
    fragment.insert(0, [
      element("heading", [text("一、活动形式")]),
      paragraph(text("蛋糕DIY、"), text("热场表演", true), text("、抽奖。")),
      paragraph(),
      element("bulletList", [element("listItem", [paragraph(text("一等奖 1 名"))]), element("listItem", [paragraph(text("二等奖 5 名"))])]),
      element("taskList", [element("taskItem", [paragraph(text("预约蛋糕师傅"))])]),
      paragraph(text("第一行"), element("hardBreak", []), text("第二行")),
      element("table", [element("tableRow", [element("tableHeader", [paragraph(text("奖项"))]), element("tableHeader", [paragraph(text("数量"))])])]),
    ]);
    expect(fragmentLines(fragment)).toEqual(["一、活动形式", "蛋糕DIY、热场表演、抽奖。", "一等奖 1 名", "二等奖 5 名", "预约蛋糕师傅", "第一行", "第二行", "奖项 | 数量"]);
  });

  it("keeps every starter paragraph of a template section", () => {
    const gala = builtIn("mid-autumn-client-gala");
    const doc = planFrom(instantiateTemplate(gala, { year: 2027 }));
    const source = readPlanSource(doc);
    const content = gala.sections.find((s) => s.heading === "活动内容");
    expect(source.sections.find((s) => s.heading === "活动内容")?.lines).toEqual(content?.kind === "richText" ? content.paragraphs : null);
  });
});
