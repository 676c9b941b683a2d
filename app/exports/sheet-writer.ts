import type ExcelJS from "exceljs";
import { formatMoney } from "../i18n/format";
import { fen } from "../domain/money";

/**
 * Cell writing for the workbooks we export. Every cell goes through one of these
 * methods, so two rules hold everywhere: text people typed is only ever a string cell
 * (formulas are built from our own templates and cell addresses, never from user text),
 * and each column ends up wide enough for what it holds.
 */

export const MONEY_FORMAT = '"¥"#,##0.00';
export const PERCENT_FORMAT = "0.00%";
export const DATE_FORMAT = "yyyy-mm-dd";
/** Excel's Text format: what a person later types into the cell stays text too. */
export const TEXT_FORMAT = "@";

/**
 * Excel holds numbers as doubles; a whole number of fen divided by 100 is the double
 * nearest the exact yuan amount, the same number Excel stores when the amount is typed.
 * The sheet's ROUND(…, 2) brings every computed amount back to whole fen.
 */
export function yuan(amountFen: number): number {
  return amountFen / 100;
}

// Characters XML 1.0 cannot carry; a document row holding one would corrupt the file.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, "");
}

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** Width in Excel's character units: a Chinese (full-width) character takes two. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split("\n")) {
    let width = 0;
    for (const char of line) width += WIDE.test(char) ? 2 : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}

export interface ColumnLimits {
  min?: number;
  max?: number;
}

export class SheetWriter {
  private readonly widths = new Map<number, number>();

  constructor(readonly sheet: ExcelJS.Worksheet) {}

  private note(col: number, shown: string): void {
    this.widths.set(col, Math.max(this.widths.get(col) ?? 0, displayWidth(shown)));
  }

  /**
   * A string cell, whatever it starts with: "=HYPERLINK(…)", "+1+1", "-2", "@SUM(A1)" are
   * stored as shared strings, never as formulas. The Text format keeps them text when
   * someone later edits the cell in Excel or LibreOffice, which would otherwise re-read a
   * leading =, +, - or @ as a formula.
   */
  text(row: number, col: number, value: string, style: Partial<ExcelJS.Style> = {}): ExcelJS.Cell {
    const cell = this.sheet.getCell(row, col);
    const safe = xmlSafe(value);
    cell.value = safe;
    cell.style = { ...style, numFmt: TEXT_FORMAT };
    if (safe.includes("\n")) cell.alignment = { ...style.alignment, wrapText: true, vertical: "top" };
    this.note(col, safe);
    return cell;
  }

  number(row: number, col: number, value: number, numFmt?: string, shown = String(value)): ExcelJS.Cell {
    const cell = this.sheet.getCell(row, col);
    cell.value = value;
    if (numFmt) cell.numFmt = numFmt;
    this.note(col, shown);
    return cell;
  }

  money(row: number, col: number, amountFen: number): ExcelJS.Cell {
    return this.number(row, col, yuan(amountFen), MONEY_FORMAT, formatMoney(fen(amountFen), "zh-CN"));
  }

  /** A real date (so it sorts and filters as one); anything not YYYY-MM-DD is written as the text it is. */
  date(row: number, col: number, iso: string): ExcelJS.Cell {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return this.text(row, col, iso);
    const cell = this.sheet.getCell(row, col);
    cell.value = new Date(`${iso}T00:00:00Z`);
    cell.numFmt = DATE_FORMAT;
    this.note(col, iso);
    return cell;
  }

  /**
   * One of our formulas, with the value it computes written as its cached result, so a
   * reader that does not recalculate still shows the right figure.
   */
  formula(row: number, col: number, formula: string, result: number | string, numFmt?: string, shown = String(result)): ExcelJS.Cell {
    const cell = this.sheet.getCell(row, col);
    cell.value = { formula, result };
    if (numFmt) cell.numFmt = numFmt;
    this.note(col, shown);
    return cell;
  }

  moneyFormula(row: number, col: number, formula: string, resultFen: number): ExcelJS.Cell {
    return this.formula(row, col, formula, yuan(resultFen), MONEY_FORMAT, formatMoney(fen(resultFen), "zh-CN"));
  }

  /** Bold labels on a tinted row: the header row of a table. */
  header(row: number, labels: readonly string[]): void {
    labels.forEach((label, index) => this.text(row, index + 1, label, HEADER_STYLE));
  }

  /** Sets each column's width from the widest value written to it, within limits. */
  fitColumns(limits: Readonly<Record<number, ColumnLimits>> = {}): void {
    for (const [col, width] of this.widths) {
      const { min = 6, max = 50 } = limits[col] ?? {};
      this.sheet.getColumn(col).width = Math.min(max, Math.max(min, width + 2));
    }
  }
}

export const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } },
  border: { bottom: { style: "thin", color: { argb: "FF8899AA" } } },
};

export const SUBTOTAL_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFF3F4F6" } },
};

export const TOTAL_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  border: { top: { style: "thin", color: { argb: "FF8899AA" } } },
};

/** Header and footer codes treat & as a command; a literal one is doubled. */
export function headerFooterText(text: string): string {
  return xmlSafe(text).replace(/&/g, "&&");
}

/**
 * Landscape, one page wide, the header row repeated on every page, the plan's title in
 * the page header and page numbers in the footer.
 */
export function setUpPrinting(sheet: ExcelJS.Worksheet, title: string, headerRow: number | null): void {
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    ...(headerRow !== null && { printTitlesRow: `${headerRow}:${headerRow}` }),
  };
  sheet.headerFooter = {
    ...sheet.headerFooter,
    oddHeader: `&L${headerFooterText(title)}&R&A`,
    oddFooter: "&C第 &P 页，共 &N 页",
  };
}

/** The header row stays in view while scrolling and can filter the table below it. */
export function freezeHeader(sheet: ExcelJS.Worksheet, lastCol: number, lastRow: number): void {
  sheet.views = [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, lastRow), column: lastCol } };
}

/** A sheet name as a formula refers to it. */
export function sheetRef(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

export function columnLetter(col: number): string {
  let letters = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
