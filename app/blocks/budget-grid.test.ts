import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { blankRow, budgetLineAmount, insertRows, readBlock, type BudgetLine } from "~/domain/plan-document";
import { MAX_MESSAGE_BYTES } from "~/domain/collab-codes";
import {
  GRID_COLUMNS,
  applyPaste,
  cellText,
  commitCell,
  groupLines,
  insertIndexFor,
  knownCategories,
  moveCell,
  parseCell,
  parseIncomeCell,
  parseQuarterCell,
  parseTsv,
  planPaste,
  safeTotals,
  tabCell,
  tsvCell,
  type PasteTarget,
} from "./budget-grid";

const TODAY = "2027-09-01";
let nextId = 0;

function line(patch: Partial<BudgetLine> = {}): BudgetLine {
  nextId += 1;
  return { id: `line${String(nextId).padStart(4, "0")}`, ...blankRow("budget", TODAY), category: "宣传", item: "气球", ...patch };
}

function target(lines: BudgetLine[], column: (typeof GRID_COLUMNS)[number] = "item"): PasteTarget {
  return { lines, planLines: lines, startColumn: GRID_COLUMNS.indexOf(column), category: lines[0]?.category ?? "宣传", today: TODAY };
}

describe("parseTsv", () => {
  it("splits an Excel copy with CRLF rows and drops the trailing line break", () => {
    expect(parseTsv("气球\t10000\t个\r\n条幅\t50\t条\r\n")).toEqual([
      ["气球", "10000", "个"],
      ["条幅", "50", "条"],
    ]);
  });

  it("reads quoted cells holding tabs, line breaks and doubled quotes", () => {
    expect(parseTsv('"含\t制表符"\t"第一行\r\n第二行"\t"12"" 屏"\n下一行\t\t末\n')).toEqual([
      ["含\t制表符", "第一行\n第二行", '12" 屏'],
      ["下一行", "", "末"],
    ]);
  });

  it("keeps a quote that does not close a cell as text", () => {
    expect(parseTsv('"特价"商品\t5\n"未闭合\t1')).toEqual([
      ['"特价"商品', "5"],
      ['"未闭合', "1"],
    ]);
  });

  it("reads back a copied cell however it is written", () => {
    for (const text of ["气球", '12" 屏', "第一行\n第二行", "含\t制表符", ""]) expect(parseTsv(`${tsvCell(text)}\r\n`)).toEqual([[text]]);
  });

  it("keeps blank cells at the ends of a row and one-cell copies", () => {
    expect(parseTsv("\t2\t\n")).toEqual([["", "2", ""]]);
    expect(parseTsv("33.33")).toEqual([["33.33"]]);
    expect(parseTsv("")).toEqual([]);
  });
});

describe("cells", () => {
  it("reads 2.5 × ¥33.33 as ¥83.33", () => {
    const base = line({ unitPriceFen: null });
    const quantity = commitCell(base, "quantity", "2.5");
    const price = commitCell(base, "unitPrice", "¥33.33");
    if (!quantity.ok || !price.ok) throw new Error("valid cells refused");
    expect(budgetLineAmount({ ...base, ...quantity.value, ...price.value })).toBe(8333);
    expect(cellText({ ...base, ...quantity.value, ...price.value }, "amount")).toBe("83.33");
  });

  it("reads prices as Chinese sheets write them, and 待定 or blank as TBD", () => {
    expect(parseCell("unitPrice", "￥1,234.50")).toEqual({ ok: true, value: { unitPriceFen: 123450 } });
    expect(parseCell("unitPrice", "1234.5元")).toEqual({ ok: true, value: { unitPriceFen: 123450 } });
    expect(parseCell("unitPrice", "待定")).toEqual({ ok: true, value: { unitPriceFen: null } });
    expect(parseCell("unitPrice", " ")).toEqual({ ok: true, value: { unitPriceFen: null } });
  });

  it("refuses bad numbers with the code the message is chosen by", () => {
    expect(parseCell("unitPrice", "12.345")).toEqual({ ok: false, code: "tooManyDecimals" });
    expect(parseCell("unitPrice", "abc")).toEqual({ ok: false, code: "notAnAmount" });
    expect(parseCell("unitPrice", "10000000000.01")).toEqual({ ok: false, code: "amountTooLarge" });
    expect(parseCell("quantity", "-1")).toEqual({ ok: false, code: "negativeQuantity" });
    expect(parseCell("quantity", "一")).toEqual({ ok: false, code: "notANumber" });
    expect(parseCell("quantity", "")).toEqual({ ok: false, code: "notANumber" });
    expect(parseCell("note", "长".repeat(501))).toEqual({ ok: false, code: "tooLong" });
  });

  it("refuses a quantity or price whose line would pass ¥10,000,000,000", () => {
    const priced = line({ unitPriceFen: 100_000_000_000 });
    expect(commitCell(priced, "quantity", "10")).toEqual({ ok: true, value: { quantityHundredths: 1000 } });
    expect(commitCell(priced, "quantity", "10.01")).toEqual({ ok: false, code: "amountTooLarge" });
    expect(commitCell(line({ quantityHundredths: 100_000_000_000 }), "unitPrice", "10000")).toEqual({ ok: false, code: "amountTooLarge" });
  });

  it("still lets a text cell of an oversized line be edited", () => {
    const oversized = line({ quantityHundredths: 100_000_000_000, unitPriceFen: 1_000_000_000_000 });
    expect(commitCell(oversized, "note", "请核实")).toEqual({ ok: true, value: { note: "请核实" } });
    expect(safeTotals([oversized])).toBeNull();
  });

  it("reads income flags and quarters in the forms people type", () => {
    expect(["是", "收入", "TRUE", "✓"].map((text) => parseIncomeCell(text))).toEqual(Array(4).fill({ ok: true, value: true }));
    expect(["", "否", "FALSE", "支出"].map((text) => parseIncomeCell(text))).toEqual(Array(4).fill({ ok: true, value: false }));
    expect(parseIncomeCell("也许")).toEqual({ ok: false, code: "invalidIncome" });
    expect(["Q3", "q3", "3", "三季度", "第三季度"].map((text) => parseQuarterCell(text))).toEqual(Array(5).fill({ ok: true, value: "Q3" }));
    expect(parseQuarterCell("")).toEqual({ ok: true, value: "" });
    expect(parseQuarterCell("Q5")).toEqual({ ok: false, code: "invalidQuarter" });
  });

  it("gives back text that parses to the same value", () => {
    const sample = line({ quantityHundredths: 250, unitPriceFen: 3333, income: true, quarter: "Q2", note: "供应商付费" });
    for (const column of GRID_COLUMNS) {
      if (column === "amount") continue;
      const parsed = parseCell(column, cellText(sample, column));
      if (!parsed.ok) throw new Error(`${column} did not parse back`);
      expect({ ...sample, ...parsed.value }).toEqual(sample);
    }
  });
});

describe("planPaste", () => {
  it("fills cells from the active one and adds lines in its category", () => {
    const first = line({ category: "宣传", item: "气球" });
    const plan = planPaste(parseTsv("10,000\t个\t¥0.15\r\n50\t条\t待定\r\n"), target([first], "quantity"));
    expect(plan).toEqual({
      ok: true,
      updates: [{ id: first.id, patch: { quantityHundredths: 1_000_000, unit: "个", unitPriceFen: 15 } }],
      newLines: [{ ...blankRow("budget", TODAY), category: "宣传", quantityHundredths: 5000, unit: "条", unitPriceFen: null }],
    });
  });

  it("refuses the whole paste at the first bad cell and names its row and column", () => {
    const lines = [line(), line()];
    expect(planPaste(parseTsv("条幅\t50\t条\t60\n气球\t10000\t个\t0.155\n"), target(lines))).toEqual({
      ok: false,
      error: { row: 2, column: "unitPrice", code: "tooManyDecimals", text: "0.155" },
    });
    expect(planPaste(parseTsv("条幅\t-3\n"), target(lines))).toEqual({
      ok: false,
      error: { row: 1, column: "quantity", code: "negativeQuantity", text: "-3" },
    });
  });

  it("ignores text pasted onto the computed amount column", () => {
    const only = line({ quantityHundredths: 100, unitPriceFen: 100 });
    const plan = planPaste(parseTsv("2\t件\t33.33\t99999\t是\n"), target([only], "quantity"));
    expect(plan).toEqual({
      ok: true,
      updates: [{ id: only.id, patch: { quantityHundredths: 200, unit: "件", unitPriceFen: 3333, income: true } }],
      newLines: [],
    });
  });

  it("ignores blank columns past the last one and refuses ones with text", () => {
    const only = line();
    expect(planPaste([["备注", "", " "]], target([only], "note"))).toEqual({ ok: true, updates: [{ id: only.id, patch: { note: "备注" } }], newLines: [] });
    expect(planPaste([["备注", "多出的列"]], target([only], "note"))).toEqual({
      ok: false,
      error: { row: 1, column: null, code: "extraColumns", text: "多出的列" },
    });
  });

  it("refuses a pasted line that would pass ¥10,000,000,000", () => {
    expect(planPaste([["1000000000", "件", "10.01"]], target([], "quantity"))).toEqual({
      ok: false,
      error: { row: 1, column: "unitPrice", code: "amountTooLarge", text: "10.01" },
    });
  });

  it("writes nothing for a pasted row without cells", () => {
    const only = line();
    expect(planPaste([[]], target([only]))).toEqual({ ok: true, updates: [], newLines: [] });
  });
});

describe("layout", () => {
  it("groups lines by category in order of first appearance", () => {
    const lines = [line({ category: "宣传", item: "a" }), line({ category: "DM", item: "b" }), line({ category: "宣传", item: "c" })];
    expect(groupLines(lines).map((group) => [group.category, group.lines.map((l) => l.item)])).toEqual([
      ["宣传", ["a", "c"]],
      ["DM", ["b"]],
    ]);
    expect(knownCategories(lines)).toEqual(["宣传", "DM", "基础费用", "消费者品牌发展费用", "渠道发展费用"]);
    expect(knownCategories([line({ category: "渠道发展费用" })])).toEqual(["渠道发展费用", "基础费用", "消费者品牌发展费用"]);
  });

  it("moves with arrows up to the edges and tabs across rows, leaving past the ends", () => {
    const last = GRID_COLUMNS.length - 1;
    expect(moveCell({ row: 0, column: 0 }, "up", 3)).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 2, column: 4 }, "down", 3)).toEqual({ row: 2, column: 4 });
    expect(moveCell({ row: 1, column: last }, "right", 3)).toEqual({ row: 1, column: last });
    expect(moveCell({ row: 1, column: 3 }, "home", 3)).toEqual({ row: 1, column: 0 });
    expect(tabCell({ row: 0, column: last }, false, 3)).toEqual({ row: 1, column: 0 });
    expect(tabCell({ row: 1, column: 0 }, true, 3)).toEqual({ row: 0, column: last });
    expect(tabCell({ row: 2, column: last }, false, 3)).toBeNull();
    expect(tabCell({ row: 0, column: 0 }, true, 3)).toBeNull();
  });

  it("inserts a category's new line after its last line in the document", () => {
    const doc = new Y.Doc();
    insertRows(doc, "budget", [
      { ...blankRow("budget", TODAY), category: "宣传", item: "a" },
      { ...blankRow("budget", TODAY), category: "DM", item: "b" },
      { ...blankRow("budget", TODAY), category: "宣传", item: "c" },
      { ...blankRow("budget", TODAY), category: "DM", item: "d" },
    ]);
    expect(insertIndexFor(doc, "宣传")).toBe(3);
    expect(insertIndexFor(doc, "新类别")).toBe(4);
    insertRows(doc, "budget", [{ ...blankRow("budget", TODAY), category: "宣传", item: "e" }], insertIndexFor(doc, "宣传"));
    expect(groupLines(readBlock(doc, "budget").rows).map((group) => group.lines.map((l) => l.item))).toEqual([["a", "c", "e"], ["b", "d"]]);
  });
});

describe("writing a paste", () => {
  it("writes thousands of full-length lines in order, each transaction far under the server's message limit", () => {
    const doc = new Y.Doc();
    const [first, last] = insertRows(doc, "budget", [
      { ...blankRow("budget", TODAY), category: "宣传", item: "首行" },
      { ...blankRow("budget", TODAY), category: "其他", item: "末行" },
    ]);
    const sizes: number[] = [];
    doc.on("update", (update: Uint8Array) => sizes.push(update.length));
    const full = { ...blankRow("budget", TODAY), category: "类".repeat(40), item: "项".repeat(100), unit: "单".repeat(10), owner: "人".repeat(60), note: "注".repeat(500) };
    const newLines = Array.from({ length: 3_000 }, (_, i) => ({ ...full, item: `${i}`.padStart(100, "项") }));
    applyPaste(doc, { updates: [{ id: first!, patch: { note: "改过" } }], newLines }, 1);
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThan(MAX_MESSAGE_BYTES / 4);
    const rows = readBlock(doc, "budget").rows;
    expect(rows).toHaveLength(3_002);
    expect(rows[0]).toMatchObject({ id: first, note: "改过" });
    expect(rows.slice(1, -1).map((row) => row.item)).toEqual(newLines.map((row) => row.item));
    expect(rows[3_001]?.id).toBe(last);
  });
});

describe("the plan-total ceiling", () => {
  // ¥10,000,000,000 a line, the largest one person may type: 100 of them reach ¥1,000,000,000,000.
  const full = () => line({ quantityHundredths: 100, unitPriceFen: 1_000_000_000_000 });

  it("refuses a typed amount that takes the plan's spend past ¥1,000,000,000,000, and nothing else", () => {
    const plan = Array.from({ length: 100 }, full);
    const extra = line({ quantityHundredths: 100, unitPriceFen: null });
    const all = [...plan, extra];
    expect(commitCell(extra, "unitPrice", "0.01", all)).toEqual({ ok: false, code: "planTotalTooLarge" });
    expect(commitCell(extra, "unitPrice", "待定", all)).toEqual({ ok: true, value: { unitPriceFen: null } });
    expect(commitCell(extra, "note", "下季度再定", all)).toEqual({ ok: true, value: { note: "下季度再定" } });
    // Lowering a line is always allowed, so an over-full plan can be brought back under.
    expect(commitCell(plan[0]!, "unitPrice", "1", all).ok).toBe(true);
  });

  it("counts income separately from spend", () => {
    const plan = Array.from({ length: 100 }, full);
    const income = line({ quantityHundredths: 100, unitPriceFen: 1_000_000_000_000, income: true });
    expect(commitCell(income, "unitPrice", "10000000000", [...plan, income]).ok).toBe(true);
  });

  it("refuses a paste whose new lines would pass it, whole", () => {
    const plan = Array.from({ length: 99 }, full);
    const anchor = line();
    const block = [
      ["气球", "1", "个", "10000000000"],
      ["条幅", "1", "条", "0.01"],
    ];
    const refused = planPaste(block, { ...target([anchor]), planLines: [...plan, anchor] });
    expect(refused).toEqual({ ok: false, error: { row: 1, column: null, code: "planTotalTooLarge", text: "" } });
    expect(planPaste(block.slice(0, 1), { ...target([anchor]), planLines: [...plan, anchor] }).ok).toBe(true);
  });
});

