import ExcelJS from "exceljs";
import { formatMoney } from "~/i18n/format";
import { fen } from "~/domain/money";

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
  // Almost every text is clean: one pass over its char codes instead of the regular expression.
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 ? code !== 0x09 && code !== 0x0a && code !== 0x0d : code >= 0xd800 && (code <= 0xdfff || code >= 0xfffe)) return text.replace(XML_INVALID, "");
  }
  return text;
}

/** Full-width code points below U+10000, as [first, last] pairs in ascending order. */
const WIDE_RANGES = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
] as const;

function isWide(codePoint: number): boolean {
  if (codePoint >= 0x20000) return codePoint <= 0x3fffd;
  for (const [first, last] of WIDE_RANGES) {
    if (codePoint < first) return false;
    if (codePoint <= last) return true;
  }
  return false;
}

/**
 * Width in Excel's character units: a Chinese (full-width) character takes two. Counted
 * by char codes rather than a regular expression per character: a 100,000-line budget
 * measures millions of characters.
 */
export function displayWidth(text: string): number {
  let widest = 0;
  let width = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) {
      widest = Math.max(widest, width);
      width = 0;
    } else if (code < 0x1100) {
      width += 1;
    } else {
      const codePoint = text.codePointAt(i)!;
      if (codePoint > 0xffff) i += 1;
      width += isWide(codePoint) ? 2 : 1;
    }
  }
  return Math.max(widest, width);
}

export interface ColumnLimits {
  min?: number;
  max?: number;
}

type Style = Partial<ExcelJS.Style>;

/** A cell with no style of its own. */
const PLAIN: Style = Object.freeze({});

// exceljs gives each distinct style an id once and recognizes a style object it has seen by
// identity, so each combination of base style, number format and wrapping is one shared object.
const variants = new WeakMap<Style, Map<string, Style>>();

function variant(base: Style, numFmt: string, wrap: boolean): Style {
  let byKey = variants.get(base);
  if (!byKey) {
    byKey = new Map();
    variants.set(base, byKey);
  }
  const key = wrap ? `${numFmt}\n` : numFmt;
  let style = byKey.get(key);
  if (!style) {
    style = Object.freeze({ ...base, numFmt, ...(wrap && { alignment: { ...base.alignment, wrapText: true, vertical: "top" as const } }) });
    byKey.set(key, style);
  }
  return style;
}

const MONEY_STYLE = variant(PLAIN, MONEY_FORMAT, false);
const DATE_STYLE = variant(PLAIN, DATE_FORMAT, false);

/** Element text: the characters XML gives a meaning to are escaped. */
function escapeXml(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : text;
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Excel's serial day number of a calendar date (days since 1899-12-30). */
function excelDate(iso: string): number {
  return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000 + 25_569;
}

const LETTERS = Array.from({ length: 32 }, (_, index) => columnLetter(index + 1));

/**
 * The parts of exceljs 4.4's streaming writer (pinned in package.json) this module writes
 * through beyond its typed API: the style table, and the worksheet's XML stream. Going
 * through exceljs's Row and Cell objects made a 100,000-line export take twice as long;
 * the cells are written here as Excel itself writes them (inline strings, numbers, formulas
 * with their cached values), and exceljs still writes everything around them.
 */
interface StreamedBook {
  styles: { addStyleModel(style: Style, type: ExcelJS.ValueType): number };
}
interface StreamedSheet {
  stream: { write(chunk: string): unknown };
}

/** Rows are handed to the sheet's stream in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/**
 * One sheet, written in row order. A streamed sheet puts its column widths before its
 * first row, so each sheet is produced twice by the same code: first by a measuring writer
 * that only records the widest value of each column, then by a writing one whose rows go
 * straight to the file. Money is measured by its smallest and largest amount: the width of
 * ¥1,234.56 grows with the number of digits, so those two are the widest.
 */
export class SheetWriter {
  readonly #target: { book: StreamedBook; sheet: StreamedSheet } | null;
  readonly #widths = new Map<number, number>();
  readonly #money = new Map<number, { min: number; max: number }>();
  readonly #styleIds = new Map<Style, number>();
  /** The current row's cells by column (written in column order, as Excel requires), and the XML not yet handed over. */
  #row = 0;
  #cells: string[] = [];
  #pending = "";

  private constructor(target: { book: StreamedBook; sheet: StreamedSheet } | null) {
    this.#target = target;
  }

  static measuring(): SheetWriter {
    return new SheetWriter(null);
  }

  /** A writer for a sheet of `workbook` that has no rows yet (its column setup is final). */
  static writing(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet): SheetWriter {
    // Committing an empty first row makes exceljs write the columns and open the sheet's data.
    sheet.getRow(1).commit();
    return new SheetWriter({ book: workbook as unknown as StreamedBook, sheet: sheet as unknown as StreamedSheet });
  }

  #note(col: number, shown: string): void {
    this.#widths.set(col, Math.max(this.#widths.get(col) ?? 0, displayWidth(shown)));
  }

  #noteMoney(col: number, amountFen: number): void {
    const range = this.#money.get(col);
    if (!range) this.#money.set(col, { min: amountFen, max: amountFen });
    else if (amountFen < range.min) range.min = amountFen;
    else if (amountFen > range.max) range.max = amountFen;
  }

  #styleId(style: Style, type: ExcelJS.ValueType): number {
    let id = this.#styleIds.get(style);
    if (id === undefined) {
      id = this.#target!.book.styles.addStyleModel(style, type);
      this.#styleIds.set(style, id);
    }
    return id;
  }

  /** A cell's XML: `<c r="B7" s="3"` and then `rest`, its type, value and closing tag. */
  #put(row: number, col: number, style: Style, type: ExcelJS.ValueType, rest: string): void {
    if (row !== this.#row) this.#endRow(row);
    const id = this.#styleId(style, type);
    this.#cells[col] = `<c r="${LETTERS[col - 1] ?? columnLetter(col)}${row}"${id ? ` s="${id}"` : ""}${rest}`;
  }

  #endRow(next: number): void {
    if (next < this.#row) throw new Error(`row ${next} comes after row ${this.#row}`);
    if (this.#row > 0) {
      let cells = "";
      for (const cell of this.#cells) if (cell !== undefined) cells += cell;
      this.#pending += `<row r="${this.#row}">${cells}</row>`;
      if (this.#pending.length >= CHUNK) this.#flush();
    }
    this.#row = next;
    this.#cells = [];
  }

  #flush(): void {
    if (this.#pending === "") return;
    this.#target!.sheet.stream.write(this.#pending);
    this.#pending = "";
  }

  /**
   * A string cell, whatever it starts with: "=HYPERLINK(…)", "+1+1", "-2", "@SUM(A1)" are
   * stored as strings, never as formulas. The Text format keeps them text when someone
   * later edits the cell in Excel or LibreOffice, which would otherwise re-read a leading
   * =, +, - or @ as a formula.
   */
  text(row: number, col: number, value: string, style: Style = PLAIN): void {
    const safe = xmlSafe(value);
    if (!this.#target) return this.#note(col, safe);
    // Nothing typed: an empty cell, still in the Text format.
    if (safe === "") return this.#put(row, col, variant(style, TEXT_FORMAT, false), ExcelJS.ValueType.Null, "/>");
    // An inline string; spaces, tabs and line breaks at its ends are kept (readers trim them otherwise).
    const space = isXmlSpace(safe.charCodeAt(0)) || isXmlSpace(safe.charCodeAt(safe.length - 1)) ? ' xml:space="preserve"' : "";
    this.#put(row, col, variant(style, TEXT_FORMAT, safe.includes("\n")), ExcelJS.ValueType.String, ` t="inlineStr"><is><t${space}>${escapeXml(safe)}</t></is></c>`);
  }

  /** An empty cell that still carries a style (a tinted subtotal row). */
  blank(row: number, col: number, style: Style): void {
    if (this.#target) this.#put(row, col, style, ExcelJS.ValueType.Null, "/>");
  }

  number(row: number, col: number, value: number, numFmt?: string, shown = String(value)): void {
    if (!this.#target) return this.#note(col, shown);
    this.#put(row, col, numFmt === undefined ? PLAIN : variant(PLAIN, numFmt, false), ExcelJS.ValueType.Number, `><v>${value}</v></c>`);
  }

  money(row: number, col: number, amountFen: number): void {
    if (!this.#target) return this.#noteMoney(col, amountFen);
    this.#put(row, col, MONEY_STYLE, ExcelJS.ValueType.Number, `><v>${yuan(amountFen)}</v></c>`);
  }

  /** A real date (so it sorts and filters as one); anything not YYYY-MM-DD is written as the text it is. */
  date(row: number, col: number, iso: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return this.text(row, col, iso);
    if (!this.#target) return this.#note(col, iso);
    this.#put(row, col, DATE_STYLE, ExcelJS.ValueType.Date, `><v>${excelDate(iso)}</v></c>`);
  }

  /**
   * One of our formulas, with the value it computes written as its cached result, so a
   * reader that does not recalculate still shows the right figure.
   */
  formula(row: number, col: number, formula: string, result: number | string, numFmt?: string, shown = String(result)): void {
    if (!this.#target) return this.#note(col, shown);
    this.#formula(row, col, formula, result, numFmt === undefined ? PLAIN : variant(PLAIN, numFmt, false));
  }

  moneyFormula(row: number, col: number, formula: string, resultFen: number, style: Style = PLAIN): void {
    if (!this.#target) return this.#noteMoney(col, resultFen);
    this.#formula(row, col, formula, yuan(resultFen), variant(style, MONEY_FORMAT, false));
  }

  #formula(row: number, col: number, formula: string, result: number | string, style: Style): void {
    if (typeof result === "string") this.#put(row, col, style, ExcelJS.ValueType.String, ` t="str"><f>${escapeXml(formula)}</f><v>${escapeXml(result)}</v></c>`);
    else this.#put(row, col, style, ExcelJS.ValueType.Number, `><f>${escapeXml(formula)}</f><v>${result}</v></c>`);
  }

  /** Bold labels on a tinted row: the header row of a table. */
  header(row: number, labels: readonly string[]): void {
    labels.forEach((label, index) => this.text(row, index + 1, label, HEADER_STYLE));
  }

  /** Each measured column's width: its widest value plus a margin, within limits. */
  widths(limits: Readonly<Record<number, ColumnLimits>> = {}): Map<number, number> {
    const widest = new Map(this.#widths);
    for (const [col, { min, max }] of this.#money) {
      const money = Math.max(displayWidth(formatMoney(fen(min), "zh-CN")), displayWidth(formatMoney(fen(max), "zh-CN")));
      widest.set(col, Math.max(widest.get(col) ?? 0, money));
    }
    const fitted = new Map<number, number>();
    for (const [col, width] of widest) {
      const { min = 6, max = 50 } = limits[col] ?? {};
      fitted.set(col, Math.min(max, Math.max(min, width + 2)));
    }
    return fitted;
  }

  /** Hands over the last row; the sheet can then be committed. */
  end(): void {
    if (!this.#target) return;
    this.#endRow(this.#row);
    this.#flush();
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
 * the page header and page numbers in the footer. Options for `addWorksheet`: a streamed
 * sheet writes its page setup flags before its first row.
 */
export function printSetup(title: string, headerRow: number | null): Pick<ExcelJS.AddWorksheetOptions, "pageSetup" | "headerFooter"> {
  return {
    pageSetup: {
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
      ...(headerRow !== null && { printTitlesRow: `${headerRow}:${headerRow}` }),
    },
    headerFooter: {
      oddHeader: `&L${headerFooterText(title)}&R&A`,
      oddFooter: "&C第 &P 页，共 &N 页",
    },
  };
}

/** The header row stays in view while scrolling (an `addWorksheet` option, like the page setup). */
export const FROZEN_HEADER: Partial<ExcelJS.WorksheetView>[] = [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }];

/** The header row can filter the table below it. */
export function filterTable(sheet: ExcelJS.Worksheet, lastCol: number, lastRow: number): void {
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
