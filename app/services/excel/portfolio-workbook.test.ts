import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { writeRow, type CellValue, type Column } from "./portfolio-workbook";

async function roundTrip(columns: readonly Column[], values: readonly CellValue[]): Promise<ExcelJS.Row> {
  const workbook = new ExcelJS.Workbook();
  writeRow(workbook.addWorksheet("汇总"), 1, columns, values);
  const read = new ExcelJS.Workbook();
  await read.xlsx.load(await workbook.xlsx.writeBuffer());
  return read.getWorksheet("汇总")!.getRow(1);
}

describe("writeRow", () => {
  it("keeps text that looks like a formula a literal string in the Text format", async () => {
    const texts = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "=cmd|' /C calc'!A0"];
    const row = await roundTrip(
      texts.map((_, i) => ({ key: `t${i}`, width: 10, kind: "text" })),
      texts,
    );
    texts.forEach((text, i) => {
      const cell = row.getCell(i + 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(text);
      expect(cell.formula).toBeUndefined();
      expect(cell.numFmt).toBe("@");
    });
  });

  it("writes a carriage return at the start as text too, and drops characters XML cannot hold", async () => {
    const row = await roundTrip([{ key: "a", width: 10, kind: "text" }, { key: "b", width: 10, kind: "text" }], ["\r=1+1", "门店\u0001A"]);
    expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
    // XML reads a bare carriage return as a line feed; what matters is that it stays text.
    expect(row.getCell(1).value).toBe("\n=1+1");
    expect(row.getCell(1).formula).toBeUndefined();
    expect(row.getCell(2).value).toBe("门店A");
  });

  it("formats money, percentages and our own formulas by column", async () => {
    const row = await roundTrip(
      [
        { key: "m", width: 10, kind: "money" },
        { key: "f", width: 10, kind: "money" },
        { key: "p", width: 10, kind: "percent" },
        { key: "n", width: 10, kind: "money" },
      ],
      [1234.56, { formula: "A1*2", result: 2469.12 }, 0.1667, null],
    );
    expect(row.getCell(1).value).toBe(1234.56);
    expect(row.getCell(1).numFmt).toBe('"¥"#,##0.00');
    expect(row.getCell(2).value).toEqual({ formula: "A1*2", result: 2469.12 });
    expect(row.getCell(3).numFmt).toBe("0.00%");
    expect(row.getCell(4).value).toBeNull();
  });
});
