import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { columnLetter, displayWidth, headerFooterText, SheetWriter, sheetRef, SUBTOTAL_STYLE, xmlSafe } from "./sheet-writer";

/** Streams a one-sheet workbook whose rows `write` produces, and reads it back with exceljs. */
async function streamed(write: (w: SheetWriter) => void): Promise<ExcelJS.Worksheet> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const sheet = workbook.addWorksheet("预算");
  const w = SheetWriter.writing(workbook, sheet);
  write(w);
  w.end();
  sheet.commit();
  await workbook.commit();
  const read = new ExcelJS.Workbook();
  const bytes = Buffer.concat(chunks);
  await read.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return read.getWorksheet("预算")!;
}

describe("sheet writer", () => {
  it("counts a Chinese or full-width character as two columns and takes the widest line", () => {
    expect(displayWidth("气球")).toBe(4);
    expect(displayWidth("（20个SKU）")).toBe(11);
    expect(displayWidth("¥1,500.00")).toBe(9);
    expect(displayWidth("短\n更长的一行")).toBe(10);
    // 𠮷 is outside the Basic Multilingual Plane and full width; 😀 is neither counted twice nor split.
    expect(displayWidth("𠮷a😀")).toBe(4);
    expect(displayWidth("\uD800")).toBe(1);
  });

  it("sizes each column to its widest value, money by its smallest and largest amount, within the limits given", () => {
    const meter = SheetWriter.measuring();
    meter.text(1, 1, "项目");
    meter.text(2, 1, "疯狂抢购商品负毛利补贴（20个SKU）");
    meter.money(2, 2, 1_000_000);
    meter.money(3, 2, 5);
    meter.moneyFormula(2, 3, "A1", -123_456_789);
    meter.moneyFormula(3, 3, "A1", 100);
    meter.text(2, 4, "很长的备注".repeat(20));
    // ¥10,000.00 and -¥1,234,567.89, plus a margin.
    expect(meter.widths({ 4: { max: 40 } })).toEqual(
      new Map([
        [1, 35],
        [4, 40],
        [2, 12],
        [3, 16],
      ]),
    );
  });

  it("writes what it is given as exceljs reads it back: strings in the Text format, never formulas, with their spaces", async () => {
    const risky = ["=SUM(A1)", "+1+1", "\t=1+2", " 前后空格 ", "A & B <c>", "第一行\n第二行"];
    const sheet = await streamed((w) => risky.forEach((text, index) => w.text(1, index + 1, text)));
    const cells = risky.map((_, index) => sheet.getCell(1, index + 1));
    expect(cells.map((cell) => cell.value)).toEqual(risky);
    for (const cell of cells) expect([cell.type, cell.formula, cell.numFmt]).toEqual([ExcelJS.ValueType.String, undefined, "@"]);
    expect(cells[5]!.alignment).toMatchObject({ wrapText: true, vertical: "top" });
  });

  it("writes numbers, money, dates, our formulas with their cached results and styled blanks", async () => {
    const sheet = await streamed((w) => {
      w.number(2, 1, 12.5);
      w.money(2, 2, 123_456);
      w.date(2, 3, "2027-11-11");
      w.date(2, 4, "下旬");
      w.moneyFormula(2, 5, "ROUND(A2*B2,2)", 1_543_200);
      w.formula(2, 6, 'IF(E2=0,"",F2/E2)', "", "0.00%");
      w.blank(3, 1, SUBTOTAL_STYLE);
      w.text(3, 2, "小计", SUBTOTAL_STYLE);
    });
    expect(sheet.getCell("A2").value).toBe(12.5);
    expect([sheet.getCell("B2").value, sheet.getCell("B2").numFmt]).toEqual([1234.56, '"¥"#,##0.00']);
    expect([sheet.getCell("C2").value, sheet.getCell("C2").numFmt]).toEqual([new Date("2027-11-11T00:00:00Z"), "yyyy-mm-dd"]);
    expect(sheet.getCell("D2").value).toBe("下旬");
    expect(sheet.getCell("E2").value).toEqual({ formula: "ROUND(A2*B2,2)", result: 15432 });
    // An empty cached result reads back as none, as with exceljs's own writer.
    expect(sheet.getCell("F2").value).toEqual({ formula: 'IF(E2=0,"",F2/E2)' });
    expect(sheet.getCell("F2").numFmt).toBe("0.00%");
    expect(sheet.getCell("A3").fill).toEqual(SUBTOTAL_STYLE.fill);
    expect(sheet.getCell("B3").font).toEqual({ bold: true });
  });

  it("refuses to go back to a row it has already handed over", async () => {
    await expect(
      streamed((w) => {
        w.text(2, 1, "后");
        w.text(1, 1, "前");
      }),
    ).rejects.toThrow("row 1 comes after row 2");
  });

  it("drops characters XML cannot carry, keeping tabs, line breaks and paired surrogates", () => {
    expect(xmlSafe("a\u0001b\u000bc\td\ne\uFFFEf")).toBe("abc\td\nef");
    expect(xmlSafe("𠮷\uD800x")).toBe("𠮷x");
    expect(xmlSafe("\uDC00尾")).toBe("尾");
    expect(xmlSafe("平常的文字 1,234")).toBe("平常的文字 1,234");
  });

  it("doubles & in page headers, quotes sheet names and letters columns", () => {
    expect(headerFooterText("A&B 促销")).toBe("A&&B 促销");
    expect(sheetRef("预算")).toBe("'预算'");
    expect(sheetRef("张三's")).toBe("'张三''s'");
    expect([1, 11, 26, 27, 52, 703].map(columnLetter)).toEqual(["A", "K", "Z", "AA", "AZ", "AAA"]);
  });
});

describe("the exceljs internals SheetWriter writes through (exceljs pinned exactly in package.json)", () => {
  const pinned = (JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> }).dependencies.exceljs;
  const installed = (JSON.parse(readFileSync("node_modules/exceljs/package.json", "utf8")) as { version: string }).version;

  it("runs on the exact exceljs version it was checked against", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
  });

  it("finds the streamed workbook's style table and, once the first row is committed, the sheet's XML stream", async () => {
    const output = new PassThrough();
    output.resume();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
    const sheet = workbook.addWorksheet("预算");
    sheet.getRow(1).commit();
    const book = workbook as unknown as { styles?: { addStyleModel?: unknown } };
    const streamed = sheet as unknown as { stream?: { write?: unknown } };
    expect(typeof book.styles?.addStyleModel).toBe("function");
    expect(typeof streamed.stream?.write).toBe("function");
    const styles = book.styles as { addStyleModel(style: object, type: ExcelJS.ValueType): unknown };
    expect(styles.addStyleModel({ numFmt: "@" }, ExcelJS.ValueType.String)).toEqual(expect.any(Number));
    sheet.commit();
    await workbook.commit();
  });
});
