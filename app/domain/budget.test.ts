// The source-text check reads this module's siblings; the modules themselves do no I/O.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BudgetError,
  STANDARD_CATEGORIES,
  budgetTotals,
  formatQuantity,
  lineAmount,
  parseQuantity,
  quantityFromHundredths,
  type BudgetErrorCode,
  type BudgetLineInput,
} from "./budget";
import { fen, parseYuan, type Fen } from "./money";

let nextId = 0;
function line(category: string, quantity: string, yuan: string | null, income = false): BudgetLineInput {
  nextId += 1;
  return {
    id: `line-${nextId}`,
    category,
    quantity: parseQuantity(quantity),
    unitPriceFen: yuan === null ? null : parseYuan(yuan),
    income,
  };
}

function codeOf(run: () => unknown): BudgetErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof BudgetError) return error.code;
    throw error;
  }
  return undefined;
}

describe("parseQuantity", () => {
  it.each([
    ["2.5", 250],
    ["0.15", 15],
    ["10,000", 1_000_000],
    ["１００", 10_000],
    ["１０，０００.５", 1_000_050],
    [" 3 ", 300],
    ["12.", 1200],
    ["0", 0],
    ["1,000,000,000", 100_000_000_000],
    ["999999999.99", 99_999_999_999],
  ])("reads %j as %i hundredths", (text, hundredths) => {
    expect(parseQuantity(text).hundredths).toBe(hundredths);
  });

  it.each<[string, BudgetErrorCode]>([
    ["-1", "negativeQuantity"],
    ["－1", "negativeQuantity"],
    ["\u22122", "negativeQuantity"],
    ["-1.234", "negativeQuantity"],
    ["1.234", "tooManyDecimals"],
    ["0.001", "tooManyDecimals"],
    ["", "notANumber"],
    ["abc", "notANumber"],
    ["1e5", "notANumber"],
    ["1.2.3", "notANumber"],
    [".5", "notANumber"],
    ["+1", "notANumber"],
    ["Infinity", "notANumber"],
    ["1000000000.01", "tooLarge"],
    ["99999999999999999999999999", "tooLarge"],
  ])("refuses %j with %s", (text, code) => {
    expect(codeOf(() => parseQuantity(text))).toBe(code);
  });

  it("rebuilds stored hundredths with the same checks", () => {
    expect(quantityFromHundredths(250)).toEqual(parseQuantity("2.5"));
    expect(codeOf(() => quantityFromHundredths(2.5))).toBe("notANumber");
    expect(codeOf(() => quantityFromHundredths(-1))).toBe("negativeQuantity");
    expect(codeOf(() => quantityFromHundredths(100_000_000_001))).toBe("tooLarge");
  });
});

describe("formatQuantity", () => {
  it.each([
    ["2.50", "2.5"],
    ["10,000", "10000"],
    ["0.15", "0.15"],
    ["0.05", "0.05"],
    ["0", "0"],
    ["1,000,000,000", "1000000000"],
  ])("shows %j as %j", (text, shown) => {
    expect(formatQuantity(parseQuantity(text))).toBe(shown);
    expect(parseQuantity(shown)).toEqual(parseQuantity(text));
  });
});

describe("lineAmount", () => {
  const amount = (quantity: string, unitPriceFen: number) => lineAmount(parseQuantity(quantity), fen(unitPriceFen));

  it("multiplies exactly and rounds half-up once", () => {
    expect(amount("2.5", 3333)).toBe(8333); // 2.5 × ¥33.33 = ¥83.325
    expect(amount("0.5", 1)).toBe(1);
    expect(amount("0.49", 1)).toBe(0);
    expect(amount("0.51", 1)).toBe(1);
    expect(amount("10000", 15)).toBe(150_000);
    expect(amount("0", 999)).toBe(0);
  });

  it("rounds half-up where a float product lands just below the half", () => {
    expect((0.29 * 50).toFixed(15)).toBe("14.499999999999998"); // what floats would do
    expect(amount("0.29", 50)).toBe(15);
    expect(amount("0.35", 90)).toBe(32);
    expect(amount("0.58", 25)).toBe(15);
  });

  it("is exact up to the largest safe fen and refuses beyond it", () => {
    expect(amount("1,000,000,000", 9_007_199)).toBe(9_007_199_000_000_000);
    // 999,999,999.5 × 9,007,199 = 9,007,198,995,496,400.5; floats give …400.
    expect(amount("999999999.5", 9_007_199)).toBe(9_007_198_995_496_401);
    expect(amount("1", 1_000_000_000_000)).toBe(1_000_000_000_000);
    expect(codeOf(() => amount("1,000,000,000", 9_007_200))).toBe("totalTooLarge");
    expect(codeOf(() => amount("1,000,000,000", 1_000_000_000_000))).toBe("totalTooLarge");
  });

  it("has no amount while the price is TBD", () => {
    expect(lineAmount(parseQuantity("3"), null)).toBeNull();
  });
});

describe("budgetTotals", () => {
  // Seed 000, 篇2 (supermarket grand opening), grouped by the plan's own two sections.
  const promo = "DM特价促销";
  const publicity = "宣传方案";
  const chapter2 = (carSticker: BudgetLineInput): BudgetLineInput[] => [
    line(publicity, "50", "60"), // 条幅
    line(publicity, "40", "100", true), // 供应商条幅
    line(publicity, "10,000", "0.15"), // 气球
    carSticker,
    line(publicity, "1", "1,000"), // 电台
    line(publicity, "1", "200"), // 记者
    line(promo, "50", "50", true), // 特价商品进场费
    line(promo, "50", "100", true), // 品牌商品进场费
    line(promo, "1", "10,000"), // 负毛利补贴
  ];

  it("adds up 篇2 as its line items state them", () => {
    const totals = budgetTotals(chapter2(line(publicity, "100", "50"))); // 车贴 100 ㎡ × ¥50
    expect(totals).toMatchObject({ spendFen: 2_070_000, incomeFen: 1_150_000, netFen: 920_000, tbdCount: 0 });
  });

  it("reaches the owner's ¥16,100 / ¥11,500 / ¥4,600 only with the source's miscomputed ¥400 车贴", () => {
    // The seed prints "100个平方米*50元每平方=400元"; 100 × 50 is 5,000.
    const totals = budgetTotals(chapter2(line(publicity, "1", "400")));
    expect(totals).toMatchObject({ spendFen: 1_610_000, incomeFen: 1_150_000, netFen: 460_000 });
  });

  it("groups by category in first-appearance order, each total a sum of line amounts", () => {
    const [basic, brand, channel] = STANDARD_CATEGORIES;
    const lines = [
      line(channel, "2.5", "33.33"),
      line(basic, "1", "100"),
      line(channel, "1", "10", true),
      line(brand, "3", null),
      line(basic, "0.5", "0.01"),
    ];
    const totals = budgetTotals(lines);
    expect(totals.byCategory).toEqual([
      { category: channel, spendFen: 8333, incomeFen: 1000, netFen: 7333, lineCount: 2, tbdCount: 0 },
      { category: basic, spendFen: 10001, incomeFen: 0, netFen: 10001, lineCount: 2, tbdCount: 0 },
      { category: brand, spendFen: 0, incomeFen: 0, netFen: 0, lineCount: 1, tbdCount: 1 },
    ]);
    const sum = (pick: (l: BudgetLineInput) => boolean) =>
      lines.filter(pick).reduce((acc, l) => acc + (lineAmount(l.quantity, l.unitPriceFen) ?? 0), 0);
    expect(totals.spendFen).toBe(sum((l) => !l.income));
    expect(totals.incomeFen).toBe(sum((l) => l.income));
    expect(totals.spendFen).toBe(totals.byCategory.reduce((acc, c) => acc + c.spendFen, 0));
  });

  it("counts TBD lines and leaves them out of every sum", () => {
    const totals = budgetTotals([
      line("场地", "1", "500"),
      line("场地", "2", null),
      line("赞助", "1", null, true),
      line("赞助", "1", "300", true),
    ]);
    expect(totals).toMatchObject({ spendFen: 50_000, incomeFen: 30_000, netFen: 20_000, tbdCount: 2 });
    expect(totals.byCategory.map((c) => [c.category, c.lineCount, c.tbdCount])).toEqual([
      ["场地", 2, 1],
      ["赞助", 2, 1],
    ]);
  });

  it("is all zeros for an empty budget, and net may be negative", () => {
    expect(budgetTotals([])).toEqual({ spendFen: 0, incomeFen: 0, netFen: 0, tbdCount: 0, byCategory: [] });
    expect(budgetTotals([line("x", "1", "5", true)]).netFen).toBe(-500);
  });

  it("refuses totals beyond the largest safe integer", () => {
    const big = (income: boolean) => line("x", "5,000", "10,000,000,000", income); // 5e15 fen each
    expect(budgetTotals([big(false)]).spendFen).toBe(5_000_000_000_000_000);
    expect(codeOf(() => budgetTotals([big(false), big(false)]))).toBe("totalTooLarge");
    expect(codeOf(() => budgetTotals([big(true), big(true)]))).toBe("totalTooLarge");
  });
});

describe("money code never parses through floats", () => {
  // Number(), parseFloat and parseInt accept "1e5", "0x10", " 12abc" or round silently;
  // money text goes through parseDigits only. eslint.config.js enforces the same.
  const sources: Record<string, string> = {
    "money.ts": readFileSync(new URL("./money.ts", import.meta.url), "utf8"),
    "budget.ts": readFileSync(new URL("./budget.ts", import.meta.url), "utf8"),
  };

  it.each(Object.keys(sources))("%s has no parseFloat, parseInt, Number() or unary plus", (file) => {
    const source = sources[file]!;
    expect(source).toContain("export function");
    expect(source).not.toMatch(/parseFloat|parseInt/);
    expect(source).not.toMatch(/\bNumber\s*\(/);
    expect(source).not.toMatch(/(^|[=(,:?]|return)\s*\+\s*[\w(]/m);
  });

  it("still reads the amounts floats get wrong", () => {
    expect(parseYuan("0.29")).toBe(29 as Fen);
    expect(parseQuantity("999999999.99").hundredths).toBe(99_999_999_999);
  });
});
