import { describe, expect, it } from "vitest";
import { basisPoints, fen, type BasisPoints } from "~/domain/money";
import { formatIsoDate, formatKpiValue, formatMoney, formatPercent } from "./format";

const bp = (n: number) => n as BasisPoints;

describe("formatPercent", () => {
  it("shows one decimal on every page, so neighbours compare (93.0% / 92.2% / 108.6%)", () => {
    expect(formatPercent(bp(9300), "zh-CN")).toBe("93.0%");
    expect(formatPercent(bp(9220), "zh-CN")).toBe("92.2%");
    expect(formatPercent(bp(10863), "zh-CN")).toBe("108.6%");
    expect(formatPercent(bp(10000), "en")).toBe("100.0%");
    expect(formatPercent(bp(0), "en")).toBe("0.0%");
  });

  it("rounds half away from zero, exactly", () => {
    expect(formatPercent(bp(9225), "zh-CN")).toBe("92.3%");
    expect(formatPercent(bp(-9225), "zh-CN")).toBe("-92.3%");
    expect(formatPercent(basisPoints(1, 3)!, "zh-CN")).toBe("33.3%");
    expect(formatPercent(basisPoints(2, 3)!, "zh-CN")).toBe("66.7%");
  });

  it("never shows a minus on a fall that rounds to zero", () => {
    expect(formatPercent(bp(-4), "zh-CN")).toBe("0.0%");
    expect(formatPercent(bp(-4), "zh-CN", { signed: true })).toBe("0.0%");
    expect(formatPercent(bp(-5), "zh-CN")).toBe("-0.1%");
  });

  it("signs a change both ways when asked", () => {
    expect(formatPercent(bp(2000), "zh-CN", { signed: true })).toBe("+20.0%");
    expect(formatPercent(bp(-1234), "en", { signed: true })).toBe("-12.3%");
  });

  it("keeps two decimals for exports and the written review", () => {
    expect(formatPercent(bp(8000), "zh-CN", { fixed: true })).toBe("80.00%");
    expect(formatPercent(bp(-666), "zh-CN", { fixed: true, signed: true })).toBe("-6.66%");
  });

  it("does not group thousands in a percentage", () => {
    expect(formatPercent(bp(12_345_600), "en")).toBe("123456.0%");
  });
});

describe("formatMoney", () => {
  it("is the one money style: ¥ with grouping and two decimals in both languages", () => {
    expect(formatMoney(fen(38_000_000), "zh-CN")).toBe("¥380,000.00");
    expect(formatMoney(fen(41_280_000), "en")).toBe("¥412,800.00");
    expect(formatMoney(fen(-1), "en")).toBe("-¥0.01");
  });
});

describe("formatKpiValue", () => {
  it("shows a KPI in 元 as money, like every other amount", () => {
    expect(formatKpiValue("380000", "元", "zh-CN")).toBe("¥380,000.00");
    expect(formatKpiValue("1.2万", " 元 ", "en")).toBe("¥12,000.00");
    expect(formatKpiValue("99.5", "RMB", "zh-CN")).toBe("¥99.50");
  });

  it("groups any other figure and keeps its unit", () => {
    expect(formatKpiValue("412800", "人", "zh-CN")).toBe("412,800 人");
    expect(formatKpiValue("150", "万元", "zh-CN")).toBe("150 万元");
    expect(formatKpiValue("1234.5678", "", "en")).toBe("1,234.5678");
    expect(formatKpiValue("-3", "%", "en")).toBe("-3 %");
  });

  it("falls back to the number when an amount in 元 is not one money takes", () => {
    expect(formatKpiValue("-20", "元", "zh-CN")).toBe("-20 元");
    expect(formatKpiValue("0.125", "元", "zh-CN")).toBe("0.125 元");
  });

  it("keeps text that is not a number as written", () => {
    expect(formatKpiValue("约 3 成", "", "zh-CN")).toBe("约 3 成");
  });
});

describe("formatIsoDate", () => {
  it("shows a day in China in the member's date style, whatever the server's zone", () => {
    expect(formatIsoDate("2027-06-19", "zh-CN")).toBe("2027年6月19日");
    expect(formatIsoDate("2027-06-19", "en")).toBe("Jun 19, 2027");
  });
});
