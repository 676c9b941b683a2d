import { describe, expect, it } from "vitest";
import { takeSnapshot, type BudgetSnapshot } from "./approval";
import { diffBudgets } from "./budget-diff";
import { blankRow, type BudgetLine } from "./plan-document";

function line(id: string, patch: Partial<BudgetLine>): BudgetLine {
  return { ...blankRow("budget", "2027-01-01"), id, category: "宣传", item: id, quantityHundredths: 100, unitPriceFen: 10_000, ...patch };
}

describe("diffBudgets", () => {
  const snap = (lines: BudgetLine[]): BudgetSnapshot => {
    const result = takeSnapshot(lines, 0);
    if (!result.ok) throw new Error("refused");
    return result.snapshot;
  };

  it("shows exactly the added, removed and changed lines with their deltas, highlighting moves over 15%", () => {
    const approved = snap([line("banner", { unitPriceFen: 6000, quantityHundredths: 5000 }), line("radio", { unitPriceFen: 100_000 }), line("balloon", { unitPriceFen: 15, quantityHundredths: 1_000_000 }), line("press", { unitPriceFen: 20_000 })]);
    const current = snap([
      line("banner", { unitPriceFen: 7200, quantityHundredths: 5000 }), // +20%
      line("radio", { unitPriceFen: 110_000 }), // +10%
      line("balloon", { unitPriceFen: 15, quantityHundredths: 1_000_000 }),
      line("stickers", { category: "车贴", unitPriceFen: 40_000 }),
    ]);
    const diff = diffBudgets(approved, current, 15);
    expect(diff.lines.map((l) => [l.id, l.change, l.deltaFen, l.deltaBasisPoints, l.overLimit])).toEqual([
      ["banner", "changed", 60_000, 2000, true],
      ["radio", "changed", 10_000, 1000, false],
      ["stickers", "added", 40_000, null, true],
      ["press", "removed", -20_000, -10_000, true],
    ]);
    expect(diff.lines[0]!.fields).toEqual(["unitPriceFen"]);
    expect(diff.categories).toEqual([
      { category: "宣传", beforeNetFen: 570_000, afterNetFen: 620_000, deltaFen: 50_000 },
      { category: "车贴", beforeNetFen: 0, afterNetFen: 40_000, deltaFen: 40_000 },
    ]);
    expect(diff.spendDeltaFen).toBe(90_000);
    expect(diff.netDeltaFen).toBe(90_000);
  });

  it("treats exactly 15% as within the limit", () => {
    const diff = diffBudgets(snap([line("a00000", { unitPriceFen: 10_000 })]), snap([line("a00000", { unitPriceFen: 11_500 })]), 15);
    expect(diff.lines[0]).toMatchObject({ deltaBasisPoints: 1500, overLimit: false });
  });
});
