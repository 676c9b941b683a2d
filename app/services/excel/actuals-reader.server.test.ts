import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { deflatedPart, deflatedZeros, workbookSkeleton, zipOf } from "../../../tests/support/zip";
import { readActualsSheet, unzipWorkbook } from "./actuals-reader.server";
import { MAX_IMPORT_FILE_BYTES } from "~/domain/actuals-import";
import { ACTUALS_HEADER_ROW, ACTUALS_SHEET_NAME } from "~/domain/actuals-sheet";

async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function refusal(bytes: Buffer) {
  const result = await unzipWorkbook(bytes);
  return result.ok ? null : result.refusal;
}

describe("unzipWorkbook", () => {
  it("reads a genuine workbook's parts", async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet(ACTUALS_SHEET_NAME).addRow([...ACTUALS_HEADER_ROW]));
    const result = await unzipWorkbook(bytes);
    expect(result.ok && [...result.entries.keys()]).toEqual(expect.arrayContaining(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]));
  });

  it("refuses a CSV, a renamed .docx and a truncated zip as not Excel", async () => {
    expect(await refusal(Buffer.from("预算明细编号,项目,日期,金额\nline-1,舞台,2027-04-28,100\n"))).toEqual({ status: 422, code: "notXlsx" });
    const docx = zipOf([deflatedPart("[Content_Types].xml", "<Types/>"), deflatedPart("word/document.xml", "<w:document/>")]);
    expect(await refusal(docx)).toEqual({ status: 422, code: "notXlsx" });
    const genuine = await xlsx((wb) => wb.addWorksheet(ACTUALS_SHEET_NAME));
    expect(await refusal(genuine.subarray(0, genuine.length - 30))).toEqual({ status: 422, code: "notXlsx" });
  });

  it("refuses a file over the upload cap without reading it", async () => {
    expect(await refusal(Buffer.alloc(MAX_IMPORT_FILE_BYTES + 1))).toEqual({ status: 413, code: "fileTooLarge" });
  });

  it("refuses a zip bomb by its declared size, and one that lies about its size while inflating", async () => {
    const zeros = await deflatedZeros("xl/worksheets/sheet1.xml", 200 * 1024 * 1024);
    expect(zeros.compressed.length).toBeLessThan(MAX_IMPORT_FILE_BYTES);
    expect(await refusal(zipOf([...workbookSkeleton(), zeros]))).toEqual({ status: 422, code: "unzippedTooLarge" });
    const rssBefore = process.memoryUsage().rss;
    expect(await refusal(zipOf([...workbookSkeleton(), { ...zeros, declaredSize: 1000 }]))).toEqual({ status: 422, code: "damaged" });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses an absurd compression ratio under the size cap", async () => {
    const zeros = await deflatedZeros("xl/worksheets/sheet1.xml", 8 * 1024 * 1024);
    expect(await refusal(zipOf([...workbookSkeleton(), zeros]))).toEqual({ status: 422, code: "suspiciousCompression" });
  });

  it("refuses a zip with thousands of entries", async () => {
    const parts = [...workbookSkeleton(), ...Array.from({ length: 300 }, (_, i) => deflatedPart(`xl/media/${i}.txt`, "x"))];
    expect(await refusal(zipOf(parts))).toEqual({ status: 422, code: "tooManyEntries" });
  });
});

describe("readActualsSheet", () => {
  it("gives the sheet's rows with their numbers, and null rows when the sheet is missing", async () => {
    const bytes = await xlsx((wb) => {
      const sheet = wb.addWorksheet(ACTUALS_SHEET_NAME);
      sheet.addRow([...ACTUALS_HEADER_ROW]);
      sheet.getRow(3).values = ["line-1", "舞台", new Date(Date.UTC(2027, 3, 28)), 1234.5, "供应商", "INV-1", "备注"];
    });
    const unzipped = await unzipWorkbook(bytes);
    if (!unzipped.ok) throw new Error("expected a readable workbook");
    const sheet = await readActualsSheet(unzipped.entries);
    expect(sheet.rows?.map((row) => row.number)).toEqual([1, 3]);
    expect(sheet.rows?.[1]?.cells).toEqual(["line-1", "舞台", new Date(Date.UTC(2027, 3, 28)), 1234.5, "供应商", "INV-1", "备注"]);

    const other = await unzipWorkbook(await xlsx((wb) => wb.addWorksheet("预算")));
    if (!other.ok) throw new Error("expected a readable workbook");
    expect((await readActualsSheet(other.entries)).rows).toBeNull();
  });
});
