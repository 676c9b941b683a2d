import { describe, expect, it } from "vitest";
import { MoneyParseError, fen, fenToDecimalString, parseYuan, type MoneyErrorCode } from "./money";
import { formatMoney } from "~/i18n/format";

describe("money", () => {
  it.each([
    ["0.1", 10],
    ["0.29", 29],
    ["1,234.56", 123456],
    ["¥ 12", 1200],
    ["１２３.４", 12340],
    ["￥５", 500],
    ["10,000,000,000", 1_000_000_000_000],
    ["12.", 1200],
    ["0", 0],
    ["1.2万", 1_200_000],
    ["3万", 3_000_000],
    ["1.5千", 150_000],
    ["¥12,800", 1_280_000],
    ["12,800元", 1_280_000],
    ["1.2w", 1_200_000],
    ["1.2W", 1_200_000],
    ["２万元", 2_000_000],
    ["3k", 300_000],
    ["1.234567万", 1_234_567],
    ["100万", 100_000_000],
  ])("parses %s to %i fen without floats", (text, expected) => {
    expect(parseYuan(text)).toBe(expected);
  });

  it.each(["", "abc", "1.234", "1e5", "--1", " . "])("refuses %j", (text) => {
    expect(() => parseYuan(text)).toThrow(MoneyParseError);
  });

  // Negative input and amounts above ¥10,000,000,000 used to parse ("-3.05" → -305,
  // "9007199254740.99" → 900719925474099); unit prices are never negative and are capped.
  it.each<[string, MoneyErrorCode]>([
    ["abc", "notAnAmount"],
    ["元", "notAnAmount"],
    ["万", "notAnAmount"],
    ["1.2亿", "notAnAmount"],
    ["1万2", "notAnAmount"],
    ["1.2345678万", "tooManyDecimals"],
    ["-1.2万", "negativeAmount"],
    ["100000000万", "amountTooLarge"],
    ["1e5", "notAnAmount"],
    ["¥", "notAnAmount"],
    ["1.234", "tooManyDecimals"],
    ["-3.05", "negativeAmount"],
    ["¥ -1", "negativeAmount"],
    ["10,000,000,000.01", "amountTooLarge"],
    ["9007199254740.99", "amountTooLarge"],
    ["99999999999999999999999999", "amountTooLarge"],
  ])("refuses %j with code %s", (text, code) => {
    expect(() => parseYuan(text)).toThrow(expect.objectContaining({ name: "MoneyParseError", code }));
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
