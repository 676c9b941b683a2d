import { describe, expect, it } from "vitest";
import { basisPoints } from "./money";
import { computeVariance, kpiCompletion, type BasisLine } from "./variance";

const line = (id: string, category: string, amountFen: number | null, income = false): BasisLine => ({ id, category, item: id, income, amountFen });

describe("computeVariance", () => {
  const basis = [line("banner", "宣传", 300_000), line("radio", "宣传", 100_000), line("prize", "奖品", 80_000), line("fee", "进场费", 250_000, true), line("stage", "布置", null)];

  it("compares each line, category and the totals to the fen", () => {
    const result = computeVariance(basis, new Map([["banner", 345_000], ["radio", 90_000], ["fee", 250_000], ["stage", 12_000], ["ghost", 5_000]]));
    expect(result.lines.map((l) => [l.id, l.budgetFen, l.actualFen, l.varianceFen, l.varianceBasisPoints, l.overBudget, l.tbd])).toEqual([
      ["banner", 300_000, 345_000, 45_000, 1500, true, false],
      ["radio", 100_000, 90_000, -10_000, -1000, false, false],
      ["prize", 80_000, 0, -80_000, -10_000, false, false],
      ["fee", 250_000, 250_000, 0, 0, false, false],
      ["stage", 0, 12_000, 12_000, null, true, true],
    ]);
    expect(result.unbudgeted).toEqual([{ id: "ghost", actualFen: 5_000 }]);
    expect(result.categories).toEqual([
      { category: "宣传", budgetFen: 400_000, actualFen: 435_000, varianceFen: 35_000, varianceBasisPoints: 875, overBudget: true },
      { category: "奖品", budgetFen: 80_000, actualFen: 0, varianceFen: -80_000, varianceBasisPoints: -10_000, overBudget: false },
      { category: "布置", budgetFen: 0, actualFen: 12_000, varianceFen: 12_000, varianceBasisPoints: null, overBudget: true },
    ]);
    expect(result.totals).toEqual({
      budgetSpendFen: 480_000,
      actualSpendFen: 447_000,
      budgetIncomeFen: 250_000,
      actualIncomeFen: 250_000,
      budgetNetFen: 230_000,
      actualNetFen: 197_000,
      varianceFen: -33_000,
      varianceBasisPoints: -1435,
    });
  });

  it("rounds basis points half away from zero", () => {
    expect(basisPoints(1, 3)).toBe(3333);
    expect(basisPoints(2, 3)).toBe(6667);
    expect(basisPoints(-1, 8)).toBe(-1250);
    expect(basisPoints(5, 0)).toBeNull();
  });
});

describe("computeVariance beyond range", () => {
  const basis: BasisLine[] = [
    { id: "a", category: "物料", item: "舞台", income: false, amountFen: 2_000_000 },
    { id: "b", category: "物料", item: "灯光", income: false, amountFen: 1_000_000 },
  ];

  it("computes nothing and says so when a line's actuals or the totals pass ¥1,000,000,000,000, instead of throwing", () => {
    // Two imports of 5,000 × ¥10,000,000,000, as stored before the bound: past exact integers.
    expect(computeVariance(basis, new Map([["a", 10_000_000_000_000_000]]))).toMatchObject({ outOfRange: true, lines: [], categories: [] });
    // Each line within range, their sum not.
    expect(computeVariance(basis, new Map([["a", 60_000_000_000_000], ["b", 60_000_000_000_000]]))).toMatchObject({ outOfRange: true, lines: [] });
    expect(computeVariance(basis, new Map([["a", 100_000_000_000_000]]))).toMatchObject({ outOfRange: false, totals: { actualSpendFen: 100_000_000_000_000 } });
  });
});

describe("kpiCompletion", () => {
  it("divides actual by target when higher is better, and inverts when lower is better", () => {
    expect(kpiCompletion("150", "120", "up")).toBe(8000);
    expect(kpiCompletion("5", "4", "down")).toBe(12_500);
    expect(kpiCompletion("0.5", "0.75", "up")).toBe(15_000);
    expect(kpiCompletion("95.5", "95.5", "up")).toBe(10_000);
  });

  it("has no completion without both values or with a zero divisor", () => {
    expect(kpiCompletion(null, "3", "up")).toBeNull();
    expect(kpiCompletion("3", null, "up")).toBeNull();
    expect(kpiCompletion("0", "3", "up")).toBeNull();
    expect(kpiCompletion("3", "0", "down")).toBeNull();
    expect(kpiCompletion("3", "abc", "up")).toBeNull();
  });
});
