import { ACTUALS_COLUMNS, ACTUALS_HEADER_ROW, ACTUALS_HEADERS, ACTUALS_SHEET_NAME, type ActualsColumn } from "./actuals-sheet";
import { MoneyParseError, parseYuan, type Fen, type MoneyErrorCode } from "./money";
import { parseDateCell } from "./plan-document";

/**
 * Validates the 实际录入 sheet finance uploads, as a whole, before anything is written:
 * either every row becomes an entry or the file is refused with a reason per row.
 *
 * The rule that makes re-imports safe: an imported row is identified by (plan, budget
 * line, invoice no.). Importing a row whose invoice is already recorded on that line
 * updates that entry instead of adding one, so a file imported twice counts once. Every
 * imported row therefore needs an invoice no. Pure: no I/O.
 */

export const MAX_IMPORT_ROWS = 5_000;

/**
 * Largest upload accepted. A full 5,000-row sheet is about 200 KB as .xlsx, so 5 MB
 * leaves room for the rest of an exported plan workbook and refuses anything else early.
 */
export const MAX_IMPORT_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Largest total the workbook may inflate to. A full sheet inflates to about 2 MB, and
 * exceljs holds roughly 20× the XML in memory, so this bounds what one import can cost.
 */
export const MAX_IMPORT_UNZIPPED_BYTES = 10 * 1024 * 1024;

/** Longest texts an entry keeps; longer cells are refused, never cut. */
export const ACTUAL_TEXT_LIMITS = { vendor: 100, invoiceNo: 64, note: 500 } as const;

export type ImportIssueCode =
  | "missingSheet"
  | "missingHeader"
  | "badHeader"
  | "noRows"
  | "tooManyRows"
  | "missingLineId"
  | "unknownLine"
  | "otherPlanLine"
  | "missingInvoiceNo"
  | "invoiceNoAsNumber"
  | "duplicateInvoice"
  | "missingAmount"
  | MoneyErrorCode
  | "missingDate"
  | "invalidDate"
  | "cellError"
  | "tooLong"
  /** The file would take the plan's recorded actual spend past MAX_PLAN_TOTAL_FEN. */
  | "planTotalTooLarge";

export interface ImportIssue {
  /** The sheet's row number as Excel shows it; null for problems of the whole file. */
  row: number | null;
  code: ImportIssueCode;
  /** Values the message names (line id, column label, the other row's number…). */
  params: Record<string, string | number>;
}

export interface ImportEntry {
  row: number;
  lineId: string;
  spentOn: string;
  amountFen: Fen;
  vendor: string;
  invoiceNo: string;
  note: string;
}

/** One sheet row: its number and its cells in column order, as exceljs gives them. */
export interface SheetRow {
  number: number;
  cells: readonly unknown[];
}

export interface ImportSheet {
  /** Null when the workbook has no sheet of that name. */
  rows: readonly SheetRow[] | null;
}

export interface ImportContext {
  /** Line ids of this plan's budget. */
  lineIds: ReadonlySet<string>;
  /** Line ids of the file that belong to other plans, for a clearer message than "unknown". */
  otherPlanLineIds: ReadonlySet<string>;
}

export type ImportValidation = { ok: true; entries: ImportEntry[] } | { ok: false; issues: ImportIssue[] };

const CELL_ERROR = Symbol("cellError");
type Cell = string | number | boolean | Date | typeof CELL_ERROR | null;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

/** The value a cell shows, unwrapping exceljs's rich text, formula, hyperlink and error cells. */
export function cellValue(raw: unknown): Cell {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" || raw instanceof Date) return raw;
  if (!isRecord(raw)) return CELL_ERROR;
  if ("error" in raw) return CELL_ERROR;
  if (Array.isArray(raw.richText)) {
    return raw.richText.map((run: unknown) => (isRecord(run) && typeof run.text === "string" ? run.text : "")).join("");
  }
  if ("formula" in raw || "sharedFormula" in raw) return "result" in raw ? cellValue(raw.result) : null;
  if ("hyperlink" in raw) return typeof raw.text === "string" ? raw.text : cellValue(raw.text);
  return CELL_ERROR;
}

function isoDay(date: Date): string {
  // exceljs turns Excel serial dates into UTC instants, so the UTC calendar day is the cell's day.
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function cellText(cell: Cell): string {
  if (cell === null || cell === CELL_ERROR) return "";
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : isoDay(cell);
  return String(cell).trim();
}

function isBlank(cell: Cell): boolean {
  return cell === null || (typeof cell === "string" && cell.trim() === "");
}

type Parsed<T> = { ok: true; value: T } | { ok: false; code: ImportIssueCode; params?: Record<string, string | number> };

/**
 * Amount cells: Excel numbers arrive as JS numbers, whose shortest decimal form
 * (String(n)) is the digits Excel shows; that text goes through the same digit-by-digit
 * parser as typed amounts, so no float arithmetic ever touches money. Exponent forms
 * (1e+21, 1e-7) and float noise (0.30000000000000004) are refused by that parser.
 */
function parseAmount(cell: Cell): Parsed<Fen> {
  if (isBlank(cell)) return { ok: false, code: "missingAmount" };
  if (cell === CELL_ERROR) return { ok: false, code: "cellError" };
  if (typeof cell === "boolean" || cell instanceof Date) return { ok: false, code: "notAnAmount" };
  try {
    return { ok: true, value: parseYuan(String(cell)) };
  } catch (error) {
    if (error instanceof MoneyParseError) return { ok: false, code: error.code };
    throw error;
  }
}

function parseSpentOn(cell: Cell): Parsed<string> {
  if (isBlank(cell)) return { ok: false, code: "missingDate" };
  if (cell === CELL_ERROR) return { ok: false, code: "cellError" };
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime()) ? { ok: false, code: "invalidDate" } : { ok: true, value: isoDay(cell) };
  }
  // A bare number is a serial date without a date format, or a typo: neither is a day anyone can check.
  if (typeof cell !== "string") return { ok: false, code: "invalidDate" };
  const parsed = parseDateCell(cell);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, code: "invalidDate" };
}

function parseInvoiceNo(cell: Cell): Parsed<string> {
  if (cell === CELL_ERROR) return { ok: false, code: "cellError" };
  // Excel keeps 15 significant digits: a 20-digit 全电发票 number typed as a number is already wrong.
  if (typeof cell === "number" && !Number.isSafeInteger(cell)) return { ok: false, code: "invoiceNoAsNumber" };
  const text = cellText(cell).normalize("NFKC");
  if (text === "") return { ok: false, code: "missingInvoiceNo" };
  return limited(text, "invoiceNo");
}

function limited(text: string, column: keyof typeof ACTUAL_TEXT_LIMITS): Parsed<string> {
  const max = ACTUAL_TEXT_LIMITS[column];
  return text.length > max ? { ok: false, code: "tooLong", params: { column: ACTUALS_HEADERS[column], max } } : { ok: true, value: text };
}

function plainText(cell: Cell, column: "vendor" | "note"): Parsed<string> {
  if (cell === CELL_ERROR) return { ok: false, code: "cellError" };
  return limited(cellText(cell), column);
}

/** The columns that make a row an entry; a row with only a line id and item (the template's prefill) is skipped. */
const ENTRY_COLUMNS: readonly ActualsColumn[] = ["spentOn", "amount", "vendor", "invoiceNo", "note"];

function columnOf(cells: readonly Cell[], column: ActualsColumn): Cell {
  return cells[ACTUALS_COLUMNS.indexOf(column)] ?? null;
}

function checkHeader(header: SheetRow | undefined): ImportIssue[] {
  if (!header || header.cells.every((raw) => isBlank(cellValue(raw)))) {
    return [{ row: 1, code: "missingHeader", params: { expected: ACTUALS_HEADER_ROW.join(" | ") } }];
  }
  const issues: ImportIssue[] = [];
  ACTUALS_HEADER_ROW.forEach((label, index) => {
    const found = cellText(cellValue(header.cells[index]));
    if (found !== label) {
      issues.push({ row: header.number, code: "badHeader", params: { column: columnLetter(index), expected: label, found } });
    }
  });
  return issues;
}

function columnLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

export function validateActualsImport(sheet: ImportSheet, context: ImportContext): ImportValidation {
  if (sheet.rows === null) return { ok: false, issues: [{ row: null, code: "missingSheet", params: { sheet: ACTUALS_SHEET_NAME } }] };
  const [header, ...body] = sheet.rows;
  // The header is the sheet's first row; a sheet that starts lower was not made from our template.
  const headerIssues = checkHeader(header?.number === 1 ? header : undefined);
  if (headerIssues.length > 0) return { ok: false, issues: headerIssues };

  const rows = body
    .map((row) => ({ number: row.number, cells: ACTUALS_COLUMNS.map((_, i) => cellValue(row.cells[i])) }))
    .filter((row) => ENTRY_COLUMNS.some((column) => !isBlank(columnOf(row.cells, column))));
  if (rows.length === 0) return { ok: false, issues: [{ row: null, code: "noRows", params: {} }] };
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, issues: [{ row: null, code: "tooManyRows", params: { max: MAX_IMPORT_ROWS, found: rows.length } }] };

  const issues: ImportIssue[] = [];
  const entries: ImportEntry[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { number, cells } of rows) {
    const rowIssues: ImportIssue[] = [];
    const report = (parsed: { ok: false; code: ImportIssueCode; params?: Record<string, string | number> }) =>
      rowIssues.push({ row: number, code: parsed.code, params: parsed.params ?? {} });

    const lineCell = columnOf(cells, "lineId");
    const lineId = lineCell === CELL_ERROR ? "" : cellText(lineCell).normalize("NFKC");
    if (lineId === "") report({ ok: false, code: "missingLineId" });
    else if (!context.lineIds.has(lineId)) report({ ok: false, code: context.otherPlanLineIds.has(lineId) ? "otherPlanLine" : "unknownLine", params: { lineId } });

    const spentOn = parseSpentOn(columnOf(cells, "spentOn"));
    if (!spentOn.ok) report(spentOn);
    const amount = parseAmount(columnOf(cells, "amount"));
    if (!amount.ok) report(amount);
    const vendor = plainText(columnOf(cells, "vendor"), "vendor");
    if (!vendor.ok) report(vendor);
    const invoiceNo = parseInvoiceNo(columnOf(cells, "invoiceNo"));
    if (!invoiceNo.ok) report(invoiceNo);
    const note = plainText(columnOf(cells, "note"), "note");
    if (!note.ok) report(note);

    if (lineId !== "" && invoiceNo.ok) {
      const key = JSON.stringify([lineId, invoiceNo.value]);
      const first = firstRowOf.get(key);
      if (first === undefined) firstRowOf.set(key, number);
      else report({ ok: false, code: "duplicateInvoice", params: { lineId, invoiceNo: invoiceNo.value, firstRow: first } });
    }

    if (rowIssues.length > 0 || !spentOn.ok || !amount.ok || !vendor.ok || !invoiceNo.ok || !note.ok) {
      issues.push(...rowIssues);
      continue;
    }
    entries.push({ row: number, lineId, spentOn: spentOn.value, amountFen: amount.value, vendor: vendor.value, invoiceNo: invoiceNo.value, note: note.value });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, entries };
}

/** Line ids the file names that are not this plan's: the caller looks up which belong to other plans. */
export function foreignLineIds(sheet: ImportSheet, lineIds: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const row of sheet.rows?.slice(1) ?? []) {
    const cell = cellValue(row.cells[ACTUALS_COLUMNS.indexOf("lineId")]);
    const id = cell === CELL_ERROR ? "" : cellText(cell).normalize("NFKC");
    if (id !== "" && !lineIds.has(id)) found.add(id);
  }
  return [...found];
}
