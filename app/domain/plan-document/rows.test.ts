import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import {
  blankRow,
  blockArray,
  budgetLineAmount,
  insertRow,
  insertRows,
  isBlankBudgetLine,
  moveRow,
  parseDateCell,
  parsePriceCell,
  parseQuantityCell,
  parseTargetCell,
  parseTextCell,
  readBlock,
  removeRow,
  renameCategory,
  totalsOf,
  updateRow,
  type BudgetLine,
} from ".";

const TODAY = "2027-09-01";

function budgetLine(patch: Partial<Omit<BudgetLine, "id">>): Omit<BudgetLine, "id"> {
  return { ...blankRow("budget", TODAY), category: "宣传物料", item: "条幅", ...patch };
}

/** Two replicas that exchange updates only when told: a concurrent edit is one made before syncing. */
function replicas(): [Y.Doc, Y.Doc, () => void] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return [a, b, sync];
}

describe("budget rows", () => {
  it("computes 2.5 × ¥33.33 as ¥83.33 from the stored hundredths and fen", () => {
    const doc = new Y.Doc();
    const quantity = parseQuantityCell("2.5");
    const price = parsePriceCell("¥33.33");
    if (!quantity.ok || !price.ok) throw new Error("valid input refused");
    insertRow(doc, "budget", budgetLine({ quantityHundredths: quantity.value, unitPriceFen: price.value }));
    const [line] = readBlock(doc, "budget").rows;
    expect(line).toMatchObject({ quantityHundredths: 250, unitPriceFen: 3333 });
    expect(budgetLineAmount(line!)).toBe(8333);
    expect(totalsOf(readBlock(doc, "budget").rows).spendFen).toBe(8333);
  });

  it("keeps both people's edits to different cells of one row", () => {
    const [a, b, sync] = replicas();
    const id = insertRow(a, "budget", budgetLine({ quantityHundredths: 100, unitPriceFen: 6000 }));
    sync();
    updateRow(a, "budget", id, { quantityHundredths: 5000 });
    updateRow(b, "budget", id, { unitPriceFen: 7000, note: "含工商登记费用" });
    sync();
    for (const doc of [a, b]) {
      expect(readBlock(doc, "budget").rows).toEqual([expect.objectContaining({ id, quantityHundredths: 5000, unitPriceFen: 7000, note: "含工商登记费用" })]);
    }
  });

  it("does not write cells whose value did not change, so they cannot overwrite a concurrent edit", () => {
    const [a, b, sync] = replicas();
    const id = insertRow(a, "budget", budgetLine({ item: "气球" }));
    sync();
    updateRow(b, "budget", id, { item: "气球（彩色）" });
    // The same row as a's form still shows it: an unchanged item must not be re-sent.
    updateRow(a, "budget", id, { item: "气球", unit: "个" });
    sync();
    expect(readBlock(a, "budget").rows[0]).toMatchObject({ item: "气球（彩色）", unit: "个" });
  });

  it("keeps rows two people add at once, in the same order on both sides", () => {
    const [a, b, sync] = replicas();
    insertRow(a, "budget", budgetLine({ item: "条幅" }));
    sync();
    insertRow(a, "budget", budgetLine({ item: "气球" }));
    insertRow(b, "budget", budgetLine({ item: "车贴" }));
    sync();
    const itemsA = readBlock(a, "budget").rows.map((row) => row.item);
    const itemsB = readBlock(b, "budget").rows.map((row) => row.item);
    expect(itemsA).toHaveLength(3);
    expect(new Set(itemsA)).toEqual(new Set(["条幅", "气球", "车贴"]));
    expect(itemsB).toEqual(itemsA);
  });

  it("moves, removes and renames categories in single changes", () => {
    const doc = new Y.Doc();
    const [first, second, third] = insertRows(doc, "budget", [budgetLine({ item: "A", category: "宣传" }), budgetLine({ item: "B", category: "奖品" }), budgetLine({ item: "C", category: "宣传" })]);
    let transactions = 0;
    doc.on("afterTransaction", () => (transactions += 1));
    moveRow(doc, "budget", third!, 0);
    expect(readBlock(doc, "budget").rows.map((row) => row.item)).toEqual(["C", "A", "B"]);
    renameCategory(doc, "宣传", "宣传推广");
    expect(readBlock(doc, "budget").rows.map((row) => row.category)).toEqual(["宣传推广", "宣传推广", "奖品"]);
    removeRow(doc, "budget", second!);
    expect(readBlock(doc, "budget").rows.map((row) => row.id)).toEqual([third, first]);
    expect(transactions).toBe(3);
    expect(updateRow(doc, "budget", second!, { item: "gone" })).toBe(false);
  });
});

describe("a line nobody typed into", () => {
  it("is not counted as 待定, in the totals or its category's subtotal, until something is typed", () => {
    const added: BudgetLine = { id: "newcat", ...blankRow("budget", TODAY), category: "新类别" };
    expect(isBlankBudgetLine(added)).toBe(true);
    const priced: BudgetLine = { id: "priced", ...budgetLine({ unitPriceFen: 5000 }) };
    const totals = totalsOf([priced, added]);
    expect(totals).toMatchObject({ spendFen: 5000, tbdCount: 0 });
    expect(totals.byCategory.find((group) => group.category === "新类别")).toMatchObject({ lineCount: 1, tbdCount: 0 });
    for (const typed of [{ item: "展架" }, { unit: "个" }, { note: "待询价" }, { owner: "王芳" }]) {
      expect(isBlankBudgetLine({ ...added, ...typed })).toBe(false);
      expect(totalsOf([priced, { ...added, ...typed }]).tbdCount).toBe(1);
    }
    expect(isBlankBudgetLine({ ...added, unitPriceFen: 0 })).toBe(false);
  });
});

describe("reading untrusted rows", () => {
  it("skips malformed rows and reports them, keeping every valid one", () => {
    const doc = new Y.Doc();
    const good = insertRow(doc, "budget", budgetLine({ item: "条幅", quantityHundredths: 5000, unitPriceFen: 6000 }));
    doc.transact(() => {
      const array = blockArray(doc, "budget");
      const noId = new Y.Map<unknown>();
      noId.set("item", "没有编号");
      const wrongType = new Y.Map<unknown>();
      for (const [key, value] of Object.entries({ ...budgetLine({ item: "数量是文字" }), id: "abcdefgh1234", quantityHundredths: "50" })) wrongType.set(key, value);
      const floatPrice = new Y.Map<unknown>();
      for (const [key, value] of Object.entries({ ...budgetLine({ item: "小数分" }), id: "abcdefgh5678", unitPriceFen: 0.5 })) floatPrice.set(key, value);
      const duplicate = new Y.Map<unknown>();
      for (const [key, value] of Object.entries({ ...budgetLine({ item: "重复" }), id: good })) duplicate.set(key, value);
      array.push([noId, wrongType, 42, "text", null, floatPrice, duplicate]);
    });
    const { rows, invalid } = readBlock(doc, "budget");
    expect(rows.map((row) => row.item)).toEqual(["条幅"]);
    expect(invalid.map((entry) => [entry.index, entry.id])).toEqual([
      [1, null],
      [2, "abcdefgh1234"],
      [3, null],
      [4, null],
      [5, null],
      [6, "abcdefgh5678"],
      [7, good],
    ]);
    expect(invalid[1]!.issues.join(" ")).toContain("quantityHundredths");
    expect(totalsOf(rows).spendFen).toBe(300_000);
  });

  it("refuses a timeline row that ends before it starts", () => {
    const doc = new Y.Doc();
    insertRow(doc, "timeline", { ...blankRow("timeline", TODAY), task: "发邀请函", start: "2027-09-10", end: "2027-09-01" });
    expect(readBlock(doc, "timeline").invalid[0]?.issues).toEqual(["end: endBeforeStart"]);
  });
});

describe("cell input", () => {
  it("parses quantities exactly and refuses bad ones with a code", () => {
    expect(parseQuantityCell("10,000")).toEqual({ ok: true, value: 1_000_000 });
    expect(parseQuantityCell("１２.５")).toEqual({ ok: true, value: 1250 });
    expect(parseQuantityCell("-1")).toEqual({ ok: false, code: "negativeQuantity" });
    expect(parseQuantityCell("1.234")).toEqual({ ok: false, code: "tooManyDecimals" });
    expect(parseQuantityCell("十个")).toEqual({ ok: false, code: "notANumber" });
  });

  it("parses prices to fen, with 待定 as no price", () => {
    expect(parsePriceCell("¥1,000")).toEqual({ ok: true, value: 100_000 });
    expect(parsePriceCell("0.15")).toEqual({ ok: true, value: 15 });
    expect(parsePriceCell("待定")).toEqual({ ok: true, value: null });
    expect(parsePriceCell(" ")).toEqual({ ok: true, value: null });
    expect(parsePriceCell("12.345")).toEqual({ ok: false, code: "tooManyDecimals" });
    expect(parsePriceCell("abc")).toEqual({ ok: false, code: "notAnAmount" });
    expect(parsePriceCell("-5")).toEqual({ ok: false, code: "negativeAmount" });
    expect(parsePriceCell("10,000,000,000")).toEqual({ ok: true, value: 1_000_000_000_000 });
    expect(parsePriceCell("10,000,000,000.01")).toEqual({ ok: false, code: "amountTooLarge" });
  });

  it("parses KPI targets, dates and text", () => {
    expect(parseTargetCell("1,500")).toEqual({ ok: true, value: "1500" });
    expect(parseTargetCell("95.50")).toEqual({ ok: true, value: "95.5" });
    expect(parseTargetCell("待定")).toEqual({ ok: true, value: null });
    expect(parseTargetCell("百分之九十")).toEqual({ ok: false, code: "invalidTarget" });
    expect(parseDateCell("2027/9/15")).toEqual({ ok: true, value: "2027-09-15" });
    expect(parseDateCell("2027-02-30")).toEqual({ ok: false, code: "invalidDate" });
    expect(parseTextCell("  条幅 ", 10)).toEqual({ ok: true, value: "条幅" });
    expect(parseTextCell("很".repeat(11), 10)).toEqual({ ok: false, code: "tooLong" });
  });
});
