import { describe, expect, it } from "vitest";
import { MoneyParseError, fen, fenToDecimalString, parseYuan } from "./money";
import { formatMoney } from "../i18n/format";

describe("money", () => {
  it.each([
    ["0.1", 10],
    ["0.29", 29],
    ["1,234.56", 123456],
    ["¥ 12", 1200],
    ["-3.05", -305],
    ["１２３.４", 12340],
    ["9007199254740.99", 900719925474099],
    ["12.", 1200],
  ])("parses %s to %i fen without floats", (text, expected) => {
    expect(parseYuan(text)).toBe(expected);
  });

  it.each(["", "abc", "1.234", "1e5", "--1", " . "])("refuses %j", (text) => {
    expect(() => parseYuan(text)).toThrow(MoneyParseError);
  });

  it("refuses fractional fen", () => {
    expect(() => fen(1.5)).toThrow(MoneyParseError);
  });

  it("writes exact decimal strings", () => {
    expect(fenToDecimalString(fen(123456))).toBe("1234.56");
    expect(fenToDecimalString(fen(-5))).toBe("-0.05");
  });

  it("formats as ¥1,234.56 in Chinese and English", () => {
    expect(formatMoney(fen(123456), "zh-CN")).toBe("¥1,234.56");
    expect(formatMoney(fen(123456), "en")).toBe("¥1,234.56");
    expect(formatMoney(fen(-5), "zh-CN")).toBe("-¥0.05");
  });
});
