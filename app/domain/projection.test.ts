import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { seedPlanDoc, type PlanMeta } from "./plan-document";
import { blankRow, blockArray, blocksFromInstance, insertRow, insertRows, removeRow, seedBlocks, updateRow, type BudgetLine } from "./plan-document";
import { describeInvalidRows, projectPlanDoc, touchesProjection } from "./projection";
import { instantiateTemplate } from "./template";
import { findBuiltInTemplate } from "../../templates/index";

const meta: PlanMeta = {
  title: "xx超市开业促销",
  templateId: null,
  campaignType: "opening",
  startDate: "2027-03-01",
  endDate: "2027-03-10",
  store: "xx超市",
  anchor: "2027-03-06",
  currency: "CNY",
};

function planDoc(): Y.Doc {
  const doc = new Y.Doc();
  seedPlanDoc(doc, meta, [{ heading: "活动背景", kind: "richText" }]);
  return doc;
}

function line(item: string, quantityHundredths: number, unitPriceFen: number | null, income = false): Omit<BudgetLine, "id"> {
  return { ...blankRow("budget", "2027-03-01"), category: "宣传推广", item, quantityHundredths, unit: "个", unitPriceFen, income };
}

function rawRow(values: Record<string, unknown>): Y.Map<unknown> {
  return new Y.Map(Object.entries(values));
}

describe("projecting a plan document", () => {
  it("projects 000 篇2's lines with exact amounts and the spend, income and net totals", () => {
    const doc = planDoc();
    const ids = insertRows(doc, "budget", [
      line("沿街条幅", 5000, 6000),
      line("供应商条幅", 4000, 10000, true),
      line("气球", 1_000_000, 15),
      line("车内不干胶广告", 10000, 5000),
      line("电台媒体", 100, 100000),
      line("《xx日报》记者", 100, 20000),
      line("特价商品进场费", 5000, 5000, true),
      line("品牌商品进场费", 5000, 10000, true),
      line("负毛利补贴", 100, 1_000_000),
      line("开业花篮", 1000, null),
    ]);
    const projection = projectPlanDoc(doc);
    expect(projection.totals).toEqual({ spendFen: 2_070_000, incomeFen: 1_150_000, netFen: 920_000, tbdCount: 1, budgetLineCount: 10 });
    expect(projection.budgetLines.map((l) => [l.id, l.position, l.amountFen])).toEqual([
      [ids[0], 0, 300_000],
      [ids[1], 1, 400_000],
      [ids[2], 2, 150_000],
      [ids[3], 3, 500_000],
      [ids[4], 4, 100_000],
      [ids[5], 5, 20_000],
      [ids[6], 6, 250_000],
      [ids[7], 7, 500_000],
      [ids[8], 8, 1_000_000],
      [ids[9], 9, null],
    ]);
    expect(projection.anchor).toBe("2027-03-06");
    expect(projection.invalid).toEqual([]);
  });

  it("rounds 2.5 × ¥33.33 to 8,333 fen", () => {
    const doc = planDoc();
    insertRow(doc, "budget", line("海报", 250, 3333));
    expect(projectPlanDoc(doc).budgetLines[0]?.amountFen).toBe(8333);
  });

  it("projects timeline items, KPIs and assignments in document order with their positions", () => {
    const doc = planDoc();
    const [second] = insertRows(doc, "timeline", [{ ...blankRow("timeline", "2027-03-02"), phase: "warmup", task: "发放DM单页", owner: "市场部" }]);
    const [first] = insertRows(doc, "timeline", [{ ...blankRow("timeline", "2027-03-01"), phase: "prep", task: "确定特价商品", ownerUserId: 7 }], 0);
    insertRow(doc, "kpis", { name: "销售额", unit: "元", target: "500000", direction: "up", notes: "" });
    insertRow(doc, "kpis", { name: "客诉数", unit: "件", target: null, direction: "down", notes: "开业三天内" });
    insertRow(doc, "roles", { person: "王强", personUserId: null, role: "采购部", duties: "特价商品谈判", contact: "13800000000" });
    const projection = projectPlanDoc(doc);
    expect(projection.timelineItems.map((t) => [t.id, t.position, t.task, t.ownerUserId])).toEqual([
      [first, 0, "确定特价商品", 7],
      [second, 1, "发放DM单页", null],
    ]);
    expect(projection.kpis.map((k) => [k.position, k.name, k.target, k.direction])).toEqual([
      [0, "销售额", "500000", "up"],
      [1, "客诉数", null, "down"],
    ]);
    expect(projection.assignments).toMatchObject([{ position: 0, person: "王强", role: "采购部", duties: "特价商品谈判" }]);
  });

  it("skips malformed rows (missing id, wrong types, duplicate id, a bare number) and reports each one", () => {
    const doc = planDoc();
    const [good] = insertRows(doc, "budget", [line("气球", 1_000_000, 15)]);
    const goodRow = blockArray(doc, "budget").get(0) as Y.Map<unknown>;
    const { id: _id, ...noId } = goodRow.toJSON() as BudgetLine;
    blockArray(doc, "budget").push([
      rawRow(noId),
      rawRow({ ...noId, id: "stringqty01", quantityHundredths: "5000" }),
      rawRow({ ...noId, id: good }),
      42,
    ]);
    blockArray(doc, "kpis").push([rawRow({ id: "kpi-bad-1", name: "到店人数", unit: "人", target: 3000, direction: "sideways", notes: "" })]);
    const projection = projectPlanDoc(doc);
    expect(projection.budgetLines.map((l) => l.id)).toEqual([good]);
    expect(projection.totals.spendFen).toBe(150_000);
    expect(projection.totals.budgetLineCount).toBe(1);
    expect(projection.kpis).toEqual([]);
    expect(projection.invalid.map((row) => [row.root, row.index, row.id])).toEqual([
      ["budget", 1, null],
      ["budget", 2, "stringqty01"],
      ["budget", 3, good],
      ["budget", 4, null],
      ["kpis", 0, "kpi-bad-1"],
    ]);
    expect(projection.invalid[2]?.issues).toEqual(["id: duplicate"]);
    const message = describeInvalidRows(projection.invalid);
    expect(message).toContain("budget[2] stringqty01: quantityHundredths:");
    expect(message).toContain(`budget[3] ${good}: id: duplicate`);
    expect(message).toContain("kpis[0] kpi-bad-1:");
  });

  it("leaves out a line whose amount no total could hold, and still projects the rest", () => {
    const doc = planDoc();
    const [huge, small] = insertRows(doc, "budget", [line("天价", 100_000_000_000, 1_000_000_000_000), line("海报", 100, 500)]);
    const projection = projectPlanDoc(doc);
    expect(projection.budgetLines.map((l) => [l.id, l.position])).toEqual([[small, 0]]);
    expect(projection.totals.spendFen).toBe(500);
    expect(projection.invalid).toEqual([{ root: "budget", index: 0, id: huge, issues: ["amount: too large"] }]);
  });

  it("leaves out a line above ¥10,000,000,000 and the lines that would take a total past ¥1,000,000,000,000", () => {
    const doc = planDoc();
    const rows = [line("超额单行", 200, 1_000_000_000_000), ...Array.from({ length: 100 }, (_, i) => line(`设备${i}`, 100, 1_000_000_000_000)), line("多一分", 100, 1)];
    const ids = insertRows(doc, "budget", rows);
    const projection = projectPlanDoc(doc);
    expect(projection.totals.spendFen).toBe(100_000_000_000_000);
    expect(projection.budgetLines).toHaveLength(100);
    expect(projection.invalid).toEqual([
      { root: "budget", index: 0, id: ids[0], issues: ["amount: too large"] },
      { root: "budget", index: 101, id: ids[101], issues: ["amount: total too large"] },
    ]);
  });

  it("drops a removed row from the projection", () => {
    const doc = planDoc();
    const [a, b] = insertRows(doc, "budget", [line("条幅", 5000, 6000), line("气球", 1_000_000, 15)]);
    removeRow(doc, "budget", a!);
    const projection = projectPlanDoc(doc);
    expect(projection.budgetLines.map((l) => [l.id, l.position])).toEqual([[b, 0]]);
    expect(projection.totals.spendFen).toBe(150_000);
  });

  it("projects a template instance with the template's totals and anchor", () => {
    const instance = instantiateTemplate(findBuiltInTemplate("mid-autumn-client-gala")!, { year: 2027 });
    const doc = new Y.Doc();
    seedPlanDoc(doc, { ...meta, anchor: instance.anchor }, instance.sections);
    seedBlocks(doc, blocksFromInstance(instance));
    const projection = projectPlanDoc(doc);
    expect(projection.anchor).toBe("2027-09-15");
    expect(projection.totals).toEqual({ spendFen: 680_000, incomeFen: 0, netFen: 680_000, tbdCount: 7, budgetLineCount: 12 });
    expect(projection.timelineItems).toHaveLength(instance.timeline.length);
    expect(projection.assignments).toHaveLength(instance.roles.length);
    expect(projection.kpis).toHaveLength(instance.kpis.length);
    expect(projection.invalid).toEqual([]);
  });
});

describe("which changes need a new projection", () => {
  function transactionsOf(doc: Y.Doc, change: () => void): boolean[] {
    const seen: boolean[] = [];
    const listener = (transaction: Y.Transaction) => seen.push(touchesProjection(transaction));
    doc.on("afterTransaction", listener);
    change();
    doc.off("afterTransaction", listener);
    return seen;
  }

  it("is needed for a cell edit, a removed row or a meta change, not for narrative text", () => {
    const doc = planDoc();
    const [id] = insertRows(doc, "budget", [line("条幅", 5000, 6000)]);
    expect(transactionsOf(doc, () => updateRow(doc, "budget", id!, { unitPriceFen: 7000 }))).toEqual([true]);
    expect(transactionsOf(doc, () => removeRow(doc, "budget", id!))).toEqual([true]);
    expect(transactionsOf(doc, () => doc.getMap("meta").set("anchor", "2027-03-08"))).toEqual([true]);
    const fragment = doc.getXmlFragment("section:abc");
    const paragraph = new Y.XmlElement("paragraph");
    expect(transactionsOf(doc, () => fragment.insert(0, [paragraph]))).toEqual([false]);
    expect(transactionsOf(doc, () => paragraph.insert(0, [new Y.XmlText("开业当天")]))).toEqual([false]);
  });
});
