/**
 * The 实际录入 sheet of the plan workbook is also the template finance fills in and
 * uploads to import actual spend. The exporter writes these headers and the importer
 * looks them up, so both read this one module; changing a label here changes the file
 * format, and files finance already saved would stop importing.
 */

export const ACTUALS_SHEET_NAME = "实际录入";

/** Column keys in file order; the header row is the first row of the sheet. */
export const ACTUALS_COLUMNS = ["lineId", "item", "spentOn", "amount", "vendor", "invoiceNo", "note"] as const;
export type ActualsColumn = (typeof ACTUALS_COLUMNS)[number];

export const ACTUALS_HEADERS: Readonly<Record<ActualsColumn, string>> = {
  lineId: "预算明细编号",
  item: "项目",
  spentOn: "日期",
  amount: "金额",
  vendor: "供应商",
  invoiceNo: "发票号",
  note: "备注",
};

/** The header row exactly as the sheet holds it. */
export const ACTUALS_HEADER_ROW: readonly string[] = ACTUALS_COLUMNS.map((column) => ACTUALS_HEADERS[column]);

/** 1-based column number of a field, as exceljs and the sheet count them. */
export function actualsColumnNumber(column: ActualsColumn): number {
  return ACTUALS_COLUMNS.indexOf(column) + 1;
}
