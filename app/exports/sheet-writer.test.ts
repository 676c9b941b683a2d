import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { columnLetter, displayWidth, headerFooterText, SheetWriter, sheetRef, xmlSafe } from "./sheet-writer";

describe("sheet writer", () => {
  it("counts a Chinese or full-width character as two columns and takes the widest line", () => {
    expect(displayWidth("气球")).toBe(4);
    expect(displayWidth("（20个SKU）")).toBe(11);
    expect(displayWidth("¥1,500.00")).toBe(9);
    expect(displayWidth("短\n更长的一行")).toBe(10);
  });

  it("sizes each column to its widest cell, within the limits given", () => {
    const sheet = new ExcelJS.Workbook().addWorksheet("预算");
    const w = new SheetWriter(sheet);
    w.text(1, 1, "项目");
    w.text(2, 1, "疯狂抢购商品负毛利补贴（20个SKU）");
    w.money(2, 2, 1_000_000);
    w.text(2, 3, "很长的备注".repeat(20));
    w.fitColumns({ 3: { max: 40 } });
    expect([sheet.getColumn(1).width, sheet.getColumn(2).width, sheet.getColumn(3).width]).toEqual([35, 12, 40]);
  });

  it("stores text that starts like a formula as a Text-format string, never a formula", () => {
    const sheet = new ExcelJS.Workbook().addWorksheet("预算");
    const cell = new SheetWriter(sheet).text(1, 1, "=SUM(A1)");
    expect([cell.value, cell.type, cell.formula, cell.numFmt]).toEqual(["=SUM(A1)", ExcelJS.ValueType.String, undefined, "@"]);
  });

  it("drops characters XML cannot carry, keeping tabs, line breaks and paired surrogates", () => {
    expect(xmlSafe("a\u0001b\u000bc\td\ne\uFFFEf")).toBe("abc\td\nef");
    expect(xmlSafe("𠮷\uD800x")).toBe("𠮷x");
  });

  it("doubles & in page headers, quotes sheet names and letters columns", () => {
    expect(headerFooterText("A&B 促销")).toBe("A&&B 促销");
    expect(sheetRef("预算")).toBe("'预算'");
    expect(sheetRef("张三's")).toBe("'张三''s'");
    expect([1, 11, 26, 27, 52, 703].map(columnLetter)).toEqual(["A", "K", "Z", "AA", "AZ", "AAA"]);
  });
});
