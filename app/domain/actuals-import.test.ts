import { describe, expect, it } from "vitest";
import { ACTUALS_HEADER_ROW } from "./actuals-sheet";
import { cellValue, foreignLineIds, MAX_IMPORT_ROWS, validateActualsImport, type ImportContext, type ImportValidation, type SheetRow } from "./actuals-import";

const context: ImportContext = { lineIds: new Set(["line-stage", "line-flyer"]), otherPlanLineIds: new Set(["line-elsewhere"]) };

const header: SheetRow = { number: 1, cells: [...ACTUALS_HEADER_ROW] };

/** A data row: line id, item, date, amount, vendor, invoice no., note. */
function row(number: number, ...cells: unknown[]): SheetRow {
  return { number, cells };
}

function validate(...rows: SheetRow[]): ImportValidation {
  return validateActualsImport({ rows: [header, ...rows] }, context);
}

function issuesOf(result: ImportValidation) {
  if (result.ok) throw new Error("expected the file to be refused");
  return result.issues.map((issue) => [issue.row, issue.code, issue.params]);
}

describe("validateActualsImport", () => {
  it("turns good rows into entries, with amounts in fen and dates as days", () => {
    const result = validate(
      row(2, "line-stage", "舞台搭建", new Date(Date.UTC(2027, 3, 28)), 80000, "上海美景展览", "INV-001", "首付款"),
      row(3, "line-flyer", "宣传单页", "2027/4/3", "1,234.56", " 印务公司 ", 12345678, ""),
      row(4, "line-stage", "舞台搭建", "2027-04-30", 0.1, null, "INV-002", null),
    );
    expect(result).toEqual({
      ok: true,
      entries: [
        { row: 2, lineId: "line-stage", spentOn: "2027-04-28", amountFen: 8_000_000, vendor: "上海美景展览", invoiceNo: "INV-001", note: "首付款" },
        { row: 3, lineId: "line-flyer", spentOn: "2027-04-03", amountFen: 123_456, vendor: "印务公司", invoiceNo: "12345678", note: "" },
        { row: 4, lineId: "line-stage", spentOn: "2027-04-30", amountFen: 10, vendor: "", invoiceNo: "INV-002", note: "" },
      ],
    });
  });

  it("reads rich text, formula results and hyperlinks as the values they show", () => {
    const result = validate(
      row(2, { richText: [{ text: "line-" }, { text: "stage" }] }, "", { formula: "DATE(2027,4,28)", result: new Date(Date.UTC(2027, 3, 28)) }, { formula: "100*2.5", result: 250 }, { text: "供应商", hyperlink: "http://x" }, { sharedFormula: "F2", result: "INV-9" }, ""),
    );
    expect(result).toEqual({ ok: true, entries: [{ row: 2, lineId: "line-stage", spentOn: "2027-04-28", amountFen: 25_000, vendor: "供应商", invoiceNo: "INV-9", note: "" }] });
  });

  it("refuses every bad row of the file, naming its row number and reason, and returns no entries", () => {
    const result = validate(
      row(2, "line-stage", "", "2027-04-28", 100, "", "INV-1", ""),
      row(3, "line-nowhere", "", "2027-04-28", 100, "", "INV-2", ""),
      row(4, "line-elsewhere", "", "2027-04-28", 100, "", "INV-3", ""),
      row(5, "line-stage", "", "2027-04-28", 100, "", "", ""),
      row(6, "line-stage", "", "2027-04-28", 100, "", "INV-1", ""),
      row(7, "", "", "2027-04-28", 100, "", "INV-7", ""),
    );
    expect(issuesOf(result)).toEqual([
      [3, "unknownLine", { lineId: "line-nowhere" }],
      [4, "otherPlanLine", { lineId: "line-elsewhere" }],
      [5, "missingInvoiceNo", {}],
      [6, "duplicateInvoice", { lineId: "line-stage", invoiceNo: "INV-1", firstRow: 2 }],
      [7, "missingLineId", {}],
    ]);
  });

  it("allows one invoice on two different lines (an invoice split across lines)", () => {
    const result = validate(row(2, "line-stage", "", "2027-04-28", 100, "", "INV-1", ""), row(3, "line-flyer", "", "2027-04-28", 50, "", "INV-1", ""));
    expect(result.ok && result.entries.map((e) => [e.lineId, e.amountFen])).toEqual([
      ["line-stage", 10_000],
      ["line-flyer", 5_000],
    ]);
  });

  it.each([
    [-5, "negativeAmount"],
    ["-5", "negativeAmount"],
    ["12.345", "tooManyDecimals"],
    [0.1 + 0.2, "tooManyDecimals"],
    ["十元", "notAnAmount"],
    [1e21, "notAnAmount"],
    [1e-7, "notAnAmount"],
    ["1e3", "notAnAmount"],
    [Number.NaN, "notAnAmount"],
    [true, "notAnAmount"],
    [new Date(Date.UTC(2027, 0, 1)), "notAnAmount"],
    ["10000000000.01", "amountTooLarge"],
    [null, "missingAmount"],
    ["  ", "missingAmount"],
    [{ error: "#DIV/0!" }, "cellError"],
    [{ formula: "1/0", result: { error: "#DIV/0!" } }, "cellError"],
  ])("refuses the amount %s as %s", (amount, code) => {
    expect(issuesOf(validate(row(2, "line-stage", "", "2027-04-28", amount, "", "INV-1", "")))).toEqual([[2, code, {}]]);
  });

  it("accepts the largest amount, ¥10,000,000,000, exactly", () => {
    const result = validate(row(2, "line-stage", "", "2027-04-28", 10_000_000_000, "", "INV-1", ""), row(3, "line-stage", "", "2027-04-28", "¥9,999,999,999.99", "", "INV-2", ""));
    expect(result.ok && result.entries.map((e) => e.amountFen)).toEqual([1_000_000_000_000, 999_999_999_999]);
  });

  it.each([
    ["2027-02-30", "invalidDate"],
    ["28/4/2027", "invalidDate"],
    ["下周", "invalidDate"],
    [46505, "invalidDate"],
    [new Date(Number.NaN), "invalidDate"],
    ["", "missingDate"],
    [null, "missingDate"],
  ])("refuses the date %s as %s", (date, code) => {
    expect(issuesOf(validate(row(2, "line-stage", "", date, 100, "", "INV-1", "")))).toEqual([[2, code, {}]]);
  });

  it("refuses an invoice no. Excel stored as an imprecise number", () => {
    expect(issuesOf(validate(row(2, "line-stage", "", "2027-04-28", 1, "", 2 ** 64, "")))).toEqual([[2, "invoiceNoAsNumber", {}]]);
  });

  it("refuses over-long texts instead of cutting them", () => {
    expect(issuesOf(validate(row(2, "line-stage", "", "2027-04-28", 1, "供".repeat(101), "INV-1", "")))).toEqual([[2, "tooLong", { column: "供应商", max: 100 }]]);
  });

  it("skips blank rows and rows that carry only the template's line id and item", () => {
    const result = validate(row(2, "line-flyer", "宣传单页", null, null, "", "", ""), row(3), row(4, "line-stage", "舞台搭建", "2027-04-28", 1, "", "INV-1", ""), row(9, "", "", "", "  ", null));
    expect(result.ok && result.entries.map((e) => e.row)).toEqual([4]);
  });

  it("treats invoice numbers typed in full-width characters as the same invoice", () => {
    const result = validate(row(2, "line-stage", "", "2027-04-28", 1, "", "ＩＮＶ－１", ""), row(3, "line-stage", "", "2027-04-28", 1, "", "INV-1", ""));
    expect(issuesOf(result)).toEqual([[3, "duplicateInvoice", { lineId: "line-stage", invoiceNo: "INV-1", firstRow: 2 }]]);
  });

  it("refuses a workbook without the sheet, a sheet without rows and a file with no entries", () => {
    expect(issuesOf(validateActualsImport({ rows: null }, context))).toEqual([[null, "missingSheet", { sheet: "实际录入" }]]);
    expect(issuesOf(validateActualsImport({ rows: [] }, context))).toEqual([[1, "missingHeader", { expected: ACTUALS_HEADER_ROW.join(" | ") }]]);
    expect(issuesOf(validate(row(2, "line-stage", "舞台搭建")))).toEqual([[null, "noRows", {}]]);
  });

  it("names each header cell that is not the template's", () => {
    const swapped = [...ACTUALS_HEADER_ROW];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(issuesOf(validateActualsImport({ rows: [{ number: 1, cells: swapped }] }, context))).toEqual([
      [1, "badHeader", { column: "C", expected: "日期", found: "金额" }],
      [1, "badHeader", { column: "D", expected: "金额", found: "日期" }],
    ]);
    expect(issuesOf(validateActualsImport({ rows: [{ number: 2, cells: [...ACTUALS_HEADER_ROW] }] }, context))[0]?.[1]).toBe("missingHeader");
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows`, () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => row(i + 2, "line-stage", "", "2027-04-28", 1, "", `INV-${i}`, ""));
    expect(issuesOf(validate(...rows))).toEqual([[null, "tooManyRows", { max: MAX_IMPORT_ROWS, found: MAX_IMPORT_ROWS + 1 }]]);
    expect(validate(...rows.slice(0, MAX_IMPORT_ROWS)).ok).toBe(true);
  });
});

describe("cellValue", () => {
  it("unwraps exceljs cell shapes", () => {
    expect(cellValue({ richText: [{ text: "a" }, { text: "b" }] })).toBe("ab");
    expect(cellValue({ formula: "A1", result: 3 })).toBe(3);
    expect(cellValue({ formula: "A1" })).toBeNull();
    expect(cellValue(undefined)).toBeNull();
  });
});

describe("foreignLineIds", () => {
  it("lists the file's line ids this plan does not have, once each, skipping the header", () => {
    const sheet = { rows: [header, row(2, "line-stage"), row(3, "line-x"), row(4, "line-x"), row(5, " line-y ")] };
    expect(foreignLineIds(sheet, context.lineIds)).toEqual(["line-x", "line-y"]);
  });
});
