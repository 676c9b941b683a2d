import { getSchema } from "@tiptap/core";
import { Node } from "@tiptap/pm/model";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { sectionExtensions } from "~/editor/extensions";
import { addSection, moveSection, readPlanDoc, removeSection, renameSection, sectionFragment, seedPlanDoc } from "./plan-document";
import { insertRow, updateRow } from "./plan-document";
import type { PlanStatus } from "./plan";
import type { Actor } from "./policy";
import { canGenerateReview, percentText, REVIEW_HEADINGS, REVIEW_META, writeReview } from "./review-section";
import type { BasisPoints } from "./money";
import { fragmentLines } from "./template-from-plan";
import { computeVariance, type BasisLine } from "./variance";

// A stand-in for formatMoney: exact, and enough to read the tables.
const format = { money: (fen: number) => `${fen < 0 ? "-" : ""}¥${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, "0")}` };
const GENERATED_AT = Date.UTC(2027, 5, 20, 2, 30); // 2027-06-20 10:30 in Beijing

const basis: BasisLine[] = [
  { id: "banner", category: "宣传", item: "沿街条幅", income: false, amountFen: 300_000 },
  { id: "radio", category: "宣传", item: "电台广告", income: false, amountFen: 100_000 },
  { id: "prize", category: "奖品", item: "抽奖礼品", income: false, amountFen: 80_000 },
  { id: "fee", category: "进场费", item: "供应商进场费", income: true, amountFen: 250_000 },
  { id: "stage", category: "布置", item: "舞台", income: false, amountFen: null },
];
const variance = computeVariance(
  basis,
  new Map([
    ["banner", 345_000],
    ["radio", 90_000],
    ["fee", 250_000],
    ["stage", 12_000],
    ["ghost", 5_000],
  ]),
);

function planDoc(): { doc: Y.Doc; kpi: { sales: string; cost: string; visitors: string } } {
  const doc = new Y.Doc();
  seedPlanDoc(
    doc,
    { title: "2027 端午节酒店促销", templateId: null, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店", anchor: "", currency: "CNY" },
    [
      { heading: "活动背景", kind: "richText", paragraphs: ["端午节客流高峰"] },
      { heading: "效果预估", kind: "kpis" },
    ],
  );
  const sales = insertRow(doc, "kpis", { name: "销售额", unit: "万元", target: "150", direction: "up", notes: "" });
  const cost = insertRow(doc, "kpis", { name: "获客成本", unit: "元", target: "5", direction: "down", notes: "" });
  const visitors = insertRow(doc, "kpis", { name: "到店人数", unit: "人", target: null, direction: "up", notes: "" });
  return { doc, kpi: { sales, cost, visitors } };
}

function generate(doc: Y.Doc, actuals: [string, string][], at = GENERATED_AT) {
  return writeReview(doc, { variance, basis: { kind: "approved", revisionNumber: 2 }, generatedAt: at, kpiActuals: new Map(actuals) }, format);
}

const headings = (doc: Y.Doc) => readPlanDoc(doc).sections.map((s) => s.heading);
const lines = (doc: Y.Doc, id: string) => fragmentLines(sectionFragment(doc, id));

/** The section as the editor would load it: every node must fit the TipTap schema. */
function asEditorDoc(doc: Y.Doc, id: string): Node {
  const node = Node.fromJSON(getSchema(sectionExtensions()), yXmlFragmentToProsemirrorJSON(sectionFragment(doc, id)));
  node.check();
  return node;
}

describe("writeReview", () => {
  it("writes the generated tables and the scaffold from the KPI results and the variance", () => {
    const { doc, kpi } = planDoc();
    const written = generate(doc, [
      [kpi.sales, "120"],
      [kpi.cost, "4"],
    ]);
    expect(written.notesCreated).toBe(true);
    expect(headings(doc)).toEqual(["活动背景", "效果预估", "总结复盘（数据）", "总结复盘"]);

    expect(lines(doc, written.dataSectionId)).toEqual([
      "生成于 2027-06-20 10:30（北京时间），预算基准：第 2 版已批准预算。本节由系统生成，重新生成时整节替换；分析请写在「总结复盘」章节。",
      "KPI 达成",
      "KPI | 目标 | 实际 | 完成率",
      "销售额 | 150 万元 | 120 万元 | 80.00%",
      "获客成本（越低越好） | 5 元 | 4 元 | 125.00%",
      "到店人数 | 待定 | 未录入 | —",
      "预算执行",
      "类别 | 预算 | 实际 | 差异 | 差异率",
      "宣传 | ¥4000.00 | ¥4350.00 | +¥350.00 | +8.75%",
      "奖品 | ¥800.00 | ¥0.00 | -¥800.00 | -100.00%",
      "布置 | ¥0.00 | ¥120.00 | +¥120.00 | —",
      "支出合计 | ¥4800.00 | ¥4470.00 | -¥330.00 | -6.88%",
      "收入合计 | ¥2500.00 | ¥2500.00 | ¥0.00 | 0.00%",
      "净支出 | ¥2300.00 | ¥1970.00 | -¥330.00 | -14.35%",
      "预算中有 1 条待定明细，按 ¥0 计入预算。",
      "另有 1 条预算明细不在预算基准中，其实际支出共 ¥50.00，未计入上表。",
    ]);
    expect(lines(doc, written.notesSectionId)).toEqual([
      "达成情况",
      "共 3 项考核指标：1 项达成，1 项未达成，1 项未录入实际值或目标待定。",
      "未达成：销售额（完成率 80.00%）。",
      "超支/节约分析",
      "实际支出 ¥4470.00，预算 ¥4800.00，节约 ¥330.00（-6.88%）。",
      "超支类别：宣传 超支 ¥350.00（+8.75%）、布置 超支 ¥120.00。",
      "节约类别：奖品 节约 ¥800.00（-100.00%）。",
      "经验与改进",
      "（请团队填写：做得好的地方、存在的问题、下次的改进措施。）",
    ]);
  });

  it("writes only nodes the editor's schema accepts", () => {
    const { doc, kpi } = planDoc();
    const written = generate(doc, [[kpi.sales, "160"]]);
    const data = asEditorDoc(doc, written.dataSectionId);
    expect(data.content.content.map((n) => n.type.name)).toEqual(["paragraph", "heading", "table", "heading", "table", "paragraph", "paragraph"]);
    expect(data.content.child(1).attrs.level).toBe(3);
    const table = data.content.child(2);
    expect(table.child(0).child(0).type.name).toBe("tableHeader");
    expect(table.child(1).child(0).type.name).toBe("tableCell");
    expect(asEditorDoc(doc, written.notesSectionId).content.content.map((n) => n.type.name)).toEqual(
      expect.arrayContaining(["heading", "paragraph"]),
    );
  });

  it("replaces only the generated section on regeneration and never rewrites the team's scaffold", () => {
    const { doc, kpi } = planDoc();
    const first = generate(doc, [[kpi.sales, "120"]]);
    const notes = sectionFragment(doc, first.notesSectionId);
    const typed = new Y.XmlElement("paragraph");
    typed.insert(0, [new Y.XmlText("线上渠道转化不足，下次提前两周投放。")]);
    notes.insert(notes.length, [typed]);
    const notesBefore = lines(doc, first.notesSectionId);
    const background = readPlanDoc(doc).sections[0]!.id;

    updateRow(doc, "kpis", kpi.visitors, { target: "3000" });
    const second = generate(doc, [[kpi.sales, "150"], [kpi.visitors, "3300"]], GENERATED_AT + 60 * 60 * 1000);

    expect(second).toEqual({ dataSectionId: first.dataSectionId, notesSectionId: first.notesSectionId, notesCreated: false });
    expect(headings(doc)).toEqual(["活动背景", "效果预估", "总结复盘（数据）", "总结复盘"]);
    const data = lines(doc, second.dataSectionId);
    expect(data[0]).toMatch(/^生成于 2027-06-20 11:30/);
    expect(data).toContain("销售额 | 150 万元 | 150 万元 | 100.00%");
    expect(data).toContain("到店人数 | 3000 人 | 3300 人 | 110.00%");
    expect(data.filter((line) => line.startsWith("销售额"))).toHaveLength(1);
    expect(lines(doc, second.notesSectionId)).toEqual(notesBefore);
    expect(notesBefore.at(-1)).toBe("线上渠道转化不足，下次提前两周投放。");
    expect(lines(doc, background)).toEqual(["端午节客流高峰"]);
  });

  it("finds its sections after they were moved or renamed, and recreates one that was removed", () => {
    const { doc, kpi } = planDoc();
    const first = generate(doc, [[kpi.sales, "120"]]);
    moveSection(doc, first.dataSectionId, 0);
    renameSection(doc, first.notesSectionId, "活动复盘");
    const again = generate(doc, [[kpi.sales, "130"]]);
    expect(again).toEqual({ dataSectionId: first.dataSectionId, notesSectionId: first.notesSectionId, notesCreated: false });
    expect(headings(doc)).toEqual(["总结复盘（数据）", "活动背景", "效果预估", "活动复盘"]);
    renameSection(doc, first.notesSectionId, "总结复盘");

    removeSection(doc, first.dataSectionId);
    const extra = addSection(doc, "附录");
    const third = generate(doc, [[kpi.sales, "140"]]);
    expect(third.dataSectionId).not.toBe(first.dataSectionId);
    expect(third.notesCreated).toBe(false);
    // Back just before the scaffold it belongs with.
    expect(headings(doc)).toEqual(["活动背景", "效果预估", "总结复盘（数据）", "总结复盘", "附录"]);
    expect(doc.getMap("meta").get(REVIEW_META.data)).toBe(third.dataSectionId);
    expect(lines(doc, extra)).toEqual([]);
    expect(lines(doc, third.dataSectionId)).toContain("销售额 | 150 万元 | 140 万元 | 93.33%");
  });

  it("creates the scaffold again only when the team removed it", () => {
    const { doc, kpi } = planDoc();
    const first = generate(doc, [[kpi.sales, "120"]]);
    removeSection(doc, first.notesSectionId);
    const second = generate(doc, [[kpi.sales, "120"]]);
    expect(second.notesCreated).toBe(true);
    expect(headings(doc)).toEqual(["活动背景", "效果预估", REVIEW_HEADINGS.data, REVIEW_HEADINGS.notes]);
    expect(lines(doc, second.notesSectionId)[0]).toBe("达成情况");
  });

  it("writes in one transaction, so collaborators receive one update", () => {
    const { doc, kpi } = planDoc();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    const written = generate(doc, [[kpi.sales, "120"]]);
    generate(doc, [[kpi.sales, "125"]]);
    expect(updates).toHaveLength(2);
    for (const update of updates) Y.applyUpdate(replica, update);
    expect(headings(replica)).toEqual(headings(doc));
    expect(lines(replica, written.dataSectionId)).toContain("销售额 | 150 万元 | 125 万元 | 83.33%");
  });

  it("says so when the plan has no KPIs and the budget was not approved", () => {
    const doc = new Y.Doc();
    seedPlanDoc(doc, { title: "开业", templateId: null, campaignType: "opening", startDate: "2027-04-01", endDate: "2027-04-03", store: "", anchor: "", currency: "CNY" }, []);
    const written = writeReview(doc, { variance: computeVariance([], new Map()), basis: { kind: "draft" }, generatedAt: GENERATED_AT, kpiActuals: new Map() }, format);
    expect(lines(doc, written.dataSectionId)).toEqual([
      "生成于 2027-06-20 10:30（北京时间），预算基准：当前预算草稿（尚无已批准预算）。本节由系统生成，重新生成时整节替换；分析请写在「总结复盘」章节。",
      "KPI 达成",
      "方案中没有考核指标。",
      "预算执行",
      "类别 | 预算 | 实际 | 差异 | 差异率",
      "支出合计 | ¥0.00 | ¥0.00 | ¥0.00 | —",
    ]);
    expect(lines(doc, written.notesSectionId).slice(0, 4)).toEqual(["达成情况", "方案中没有考核指标。", "超支/节约分析", "实际支出 ¥0.00，预算 ¥0.00，与预算持平。"]);
  });
});

describe("percentText", () => {
  it("prints basis points as an exact percentage", () => {
    expect(percentText(12_345 as BasisPoints)).toBe("123.45%");
    expect(percentText(-688 as BasisPoints)).toBe("-6.88%");
    expect(percentText(5 as BasisPoints)).toBe("0.05%");
  });
});

describe("canGenerateReview", () => {
  const actor = (id: number, role: Actor["role"]): Actor => ({ id, role, title: null, active: true });
  const plan = (status: PlanStatus, access: "edit" | "view" | null = null) => ({ kind: "plan" as const, ownerId: 1, status, access });

  it("lets the plan's editors and finance generate, and nobody on an archived plan", () => {
    expect(canGenerateReview(actor(1, "planner"), plan("running"))).toBe(true);
    expect(canGenerateReview(actor(2, "planner"), plan("running", "edit"))).toBe(true);
    expect(canGenerateReview(actor(3, "finance"), plan("approved"))).toBe(true);
    expect(canGenerateReview(actor(3, "finance"), plan("archived"))).toBe(false);
    expect(canGenerateReview(actor(1, "planner"), plan("archived"))).toBe(false);
  });

  it("refuses viewers, members with read access only, and managers who do not edit the plan", () => {
    expect(canGenerateReview(actor(4, "viewer"), plan("running", "view"))).toBe(false);
    expect(canGenerateReview(actor(2, "planner"), plan("running", "view"))).toBe(false);
    expect(canGenerateReview(actor(5, "manager"), plan("running"))).toBe(false);
    expect(canGenerateReview({ ...actor(3, "finance"), active: false }, plan("running"))).toBe(false);
    expect(canGenerateReview(null, plan("running"))).toBe(false);
  });
});
