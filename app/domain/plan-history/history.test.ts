import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import {
  addSection,
  blankRow,
  blockArray,
  insertRows,
  metaMap,
  moveRow,
  readBlock,
  readPlanDoc,
  removeRow,
  removeSection,
  renameSection,
  sectionFragment,
  seedPlanDoc,
  updateRow,
  type BudgetLine,
} from "~/domain/plan-document";
import { restoreInto } from "./restore";
import { RETENTION, versionsToThin } from "./retention";
import { compareDocs, summarize } from "./summary";

const TODAY = "2027-06-01";

function line(item: string, unitPriceFen: number | null, income = false): Omit<BudgetLine, "id"> {
  return { ...blankRow("budget", TODAY), category: "宣传物料", item, quantityHundredths: 200, unitPriceFen, income };
}

function plan(): Y.Doc {
  const doc = new Y.Doc();
  seedPlanDoc(
    doc,
    { title: "端午促销", templateId: null, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店", anchor: "", currency: "CNY" },
    [
      { heading: "活动目的", kind: "richText", paragraphs: ["提升客流"] },
      { heading: "预算", kind: "budget" },
    ],
  );
  insertRows(doc, "budget", [line("条幅", 10_000), line("海报", 5_000), line("赞助", 30_000, true)]);
  return doc;
}

/** A second replica: a version is a copy of the live document at some earlier point. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function write(doc: Y.Doc, sectionId: string, text: string): void {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  const fragment = sectionFragment(doc, sectionId);
  fragment.insert(fragment.length, [p]);
}

function content(doc: Y.Doc) {
  const { meta, sections } = readPlanDoc(doc);
  return {
    meta,
    sections: sections.map((s) => ({ ...s, text: sectionFragment(doc, s.id).toString() })),
    budget: readBlock(doc, "budget").rows,
    timeline: readBlock(doc, "timeline").rows,
  };
}

describe("summary between two versions", () => {
  it("counts rows added, changed and removed by id, sections by title, and budget totals before → after", () => {
    const before = plan();
    const after = copyOf(before);
    const [banner, poster] = readBlock(after, "budget").rows;
    updateRow(after, "budget", banner!.id, { unitPriceFen: 12_000 });
    removeRow(after, "budget", poster!.id);
    insertRows(after, "budget", [line("舞台", null), line("音响", 50_000)]);
    const purpose = readPlanDoc(after).sections[0]!;
    write(after, purpose.id, "加深会员粘性");
    addSection(after, "应急预案");
    insertRows(after, "timeline", [blankRow("timeline", TODAY)]);

    const summary = summarize(before, after);
    expect(summary.blocks.budget).toEqual({ added: 2, changed: 1, removed: 1 });
    expect(summary.blocks.timeline).toEqual({ added: 1, changed: 0, removed: 0 });
    expect(summary.blocks.kpis).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(summary.sections).toEqual({ added: ["应急预案"], changed: ["活动目的"], removed: [] });
    // 2 × ¥100 + 2 × ¥50 spend, 2 × ¥300 income before; 2 × ¥120 + 2 × ¥500 spend, one 待定 after.
    expect(summary.totals.before).toEqual({ spendFen: 30_000, incomeFen: 60_000, netFen: -30_000, tbdCount: 0 });
    expect(summary.totals.after).toEqual({ spendFen: 124_000, incomeFen: 60_000, netFen: 64_000, tbdCount: 1 });
  });

  it("reports a removed section and renamed heading, and nothing for identical documents", () => {
    const before = plan();
    const after = copyOf(before);
    const [purpose, budget] = readPlanDoc(after).sections;
    removeSection(after, purpose!.id);
    renameSection(after, budget!.id, "费用预算");
    expect(summarize(before, after).sections).toEqual({ added: [], changed: ["费用预算"], removed: ["活动目的"] });
    const same = summarize(before, copyOf(before));
    expect(same.sections).toEqual({ added: [], changed: [], removed: [] });
    expect(same.blocks.budget).toEqual({ added: 0, changed: 0, removed: 0 });
  });

  it("compares cell by cell, listing the fields that differ", () => {
    const current = plan();
    const version = copyOf(current);
    const [banner] = readBlock(current, "budget").rows;
    updateRow(current, "budget", banner!.id, { item: "横幅", note: "加急" });
    const rows = compareDocs(current, version).blocks.budget;
    expect(rows.find((r) => r.row.id === banner!.id)).toMatchObject({ change: "changed", fields: ["item", "note"], row: { item: "条幅" } });
  });
});

describe("restoring a version as new changes", () => {
  it("makes the live content equal to the version's: text, sections, rows, order and meta", () => {
    const live = plan();
    const version = copyOf(live);
    const [purpose, budgetSection] = readPlanDoc(live).sections;
    write(live, purpose!.id, "后来写的");
    renameSection(live, budgetSection!.id, "改名");
    addSection(live, "新章节");
    removeSection(live, purpose!.id);
    const [banner, poster, sponsor] = readBlock(live, "budget").rows;
    updateRow(live, "budget", banner!.id, { unitPriceFen: 1 });
    removeRow(live, "budget", poster!.id);
    moveRow(live, "budget", sponsor!.id, 0);
    insertRows(live, "budget", [line("多出来的", 9)]);
    metaMap(live).set("title", "改过的标题");

    const historyBefore = Y.encodeStateVector(live);
    const result = restoreInto(live, version, { keepBudget: false });
    expect(result).toEqual({ changed: true, budgetKept: false });
    expect(content(live)).toEqual(content(version));
    // New changes on top: the live document only grew, it was never rewritten.
    const after = Y.decodeStateVector(Y.encodeStateVector(live));
    for (const [client, clock] of Y.decodeStateVector(historyBefore)) expect(after.get(client)).toBeGreaterThanOrEqual(clock);
  });

  it("writes nothing when nothing differs, even for a 5,000-line budget", () => {
    const live = plan();
    insertRows(
      live,
      "budget",
      Array.from({ length: 5_000 }, (_, i) => line(`物料${i}`, i)),
    );
    const version = copyOf(live);
    let updates = 0;
    live.on("update", () => updates++);
    expect(restoreInto(live, version, { keepBudget: false })).toEqual({ changed: false, budgetKept: false });
    expect(updates).toBe(0);
  });

  it("touches only the rows that differ in a big budget", () => {
    const live = plan();
    insertRows(
      live,
      "budget",
      Array.from({ length: 5_000 }, (_, i) => line(`物料${i}`, i)),
    );
    const version = copyOf(live);
    const rows = readBlock(live, "budget").rows;
    updateRow(live, "budget", rows[2_500]!.id, { item: "改了" });
    const array = blockArray(live, "budget");
    const before = array.toArray();
    restoreInto(live, version, { keepBudget: false });
    // The same Y.Map objects: rows were updated in place, not re-inserted.
    expect(array.toArray().every((entry, i) => entry === before[i])).toBe(true);
    expect(readBlock(live, "budget").rows[2_500]!.item).toBe("物料2497");
  });

  it("keeps a locked budget and says so, restoring everything else", () => {
    const live = plan();
    const version = copyOf(live);
    const [banner] = readBlock(live, "budget").rows;
    updateRow(live, "budget", banner!.id, { unitPriceFen: 99 });
    metaMap(live).set("store", "南京路店");
    const result = restoreInto(live, version, { keepBudget: true });
    expect(result).toEqual({ changed: true, budgetKept: true });
    expect(readBlock(live, "budget").rows[0]!.unitPriceFen).toBe(99);
    expect(readPlanDoc(live).meta.store).toBe("外滩店");
  });

  it("reaches a collaborator's replica as an ordinary update", () => {
    const live = plan();
    const version = copyOf(live);
    const peer = copyOf(live);
    live.on("update", (update: Uint8Array) => Y.applyUpdate(peer, update));
    const [banner] = readBlock(live, "budget").rows;
    updateRow(live, "budget", banner!.id, { item: "改" });
    restoreInto(live, version, { keepBudget: false });
    expect(content(peer)).toEqual(content(version));
  });
});

describe("retention", () => {
  const HOUR = 3_600_000;
  const now = Date.UTC(2027, 5, 30, 4);
  it("keeps every automatic version for 7 days, then the last of each hour, then of each day", () => {
    const versions = [
      { id: 1, kind: "auto" as const, createdAt: now - 2 * HOUR },
      { id: 2, kind: "auto" as const, createdAt: now - 2 * HOUR + 60_000 },
      // 10 days old, same China hour: only the later stays.
      { id: 3, kind: "auto" as const, createdAt: now - 240 * HOUR + 60_000 },
      { id: 4, kind: "auto" as const, createdAt: now - 240 * HOUR + 120_000 },
      // 100 days old, same China day.
      { id: 5, kind: "auto" as const, createdAt: now - 2_400 * HOUR },
      { id: 6, kind: "auto" as const, createdAt: now - 2_400 * HOUR + 3 * HOUR },
      { id: 7, kind: "named" as const, createdAt: now - 2_400 * HOUR + 4 * HOUR },
    ];
    expect(versionsToThin(versions, now, RETENTION)).toEqual([3, 5]);
  });
});
