// Stays whole (over 400 lines): paste planning is built from the same cell parsers, limits and column order as typing; split, each half would export its internals to the other.
import * as Y from "yjs";
import { BudgetError, STANDARD_CATEGORIES, type BudgetTotals } from "~/domain/budget";
import { MAX_MESSAGE_BYTES } from "~/domain/collab-codes";
import { fen, fenToDecimalString, isPlanTotal, MAX_AMOUNT_FEN, type Fen } from "~/domain/money";
import {
  blankRow,
  blockArray,
  budgetLineAmount,
  formatQuantityHundredths,
  insertRows,
  parsePriceCell,
  parseQuantityCell,
  parseTextCell,
  TEXT_LIMITS as DOCUMENT_TEXT_LIMITS,
  totalsOf,
  updateRow,
  type BudgetLine,
  type CellErrorCode,
  type CellParse,
  type Quarter,
} from "~/domain/plan-document";

/**
 * The spreadsheet model behind the budget (预算明细) editor, without React: the column
 * order, what a typed or pasted cell becomes, and how a block copied from Excel/WPS maps
 * onto the lines. Every cell is checked before anything is written, so a bad cell
 * changes nothing.
 */

export const GRID_COLUMNS = ["item", "quantity", "unit", "unitPrice", "amount", "income", "owner", "quarter", "note"] as const;
export type GridColumn = (typeof GRID_COLUMNS)[number];
/** The amount is computed from quantity × unit price, never typed. */
export type EditableColumn = Exclude<GridColumn, "amount">;

export type GridErrorCode = CellErrorCode | "invalidIncome" | "invalidQuarter" | "categoryRequired" | "extraColumns" | "tooManyRows" | "planTotalTooLarge";

export type GridParse<T> = { ok: true; value: T } | { ok: false; code: GridErrorCode };

export type BudgetPatch = Partial<Omit<BudgetLine, "id">>;
export type NewBudgetLine = Omit<BudgetLine, "id">;

/**
 * A paste of more lines than this is refused: every line is laid out as editable cells, and
 * a budget grown by thousands at once leaves the page unusable (see docs/PERFORMANCE.md).
 * The server's message limit is no bound here: applyPaste writes in batches under it.
 */
export const MAX_PASTE_ROWS = 500;

/** Text limits, read from the row schema so the editor and the document agree. */
export const TEXT_LIMITS = DOCUMENT_TEXT_LIMITS.budget;

export function isEditable(column: GridColumn): column is EditableColumn {
  return column !== "amount";
}

// ---------------------------------------------------------------------------------------
// Cells

const TRUE_WORDS = new Set(["是", "收入", "yes", "y", "true", "1", "✓", "✔", "√"]);
const FALSE_WORDS = new Set(["", "否", "支出", "no", "n", "false", "0", "×", "✗"]);

/** 是/否, 收入/支出, TRUE/FALSE (as Excel copies a checkbox), ✓; blank is a spend line. */
export function parseIncomeCell(text: string): GridParse<boolean> {
  const word = text.normalize("NFKC").trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  return { ok: false, code: "invalidIncome" };
}

const QUARTER_DIGITS: Record<string, Quarter> = { "1": "Q1", "2": "Q2", "3": "Q3", "4": "Q4", 一: "Q1", 二: "Q2", 三: "Q3", 四: "Q4" };

/** Q1–Q4, 1–4, 一季度, 第三季度; blank for none. */
export function parseQuarterCell(text: string): GridParse<Quarter> {
  const trimmed = text.normalize("NFKC").trim().toUpperCase();
  if (trimmed === "") return { ok: true, value: "" };
  const match = /^(?:Q|第)?([1-4一二三四])(?:季度?)?$/.exec(trimmed);
  const quarter = match?.[1] === undefined ? undefined : QUARTER_DIGITS[match[1]];
  return quarter === undefined ? { ok: false, code: "invalidQuarter" } : { ok: true, value: quarter };
}

/** Blank and 待定 mean to be decided; "¥1,234.50" and "1234.5元" are prices as Chinese sheets write them. */
export function parseUnitPriceCell(text: string): CellParse<number | null> {
  return parsePriceCell(text.normalize("NFKC").trim().replace(/\s*元$/, ""));
}

/** A category name: required, within the schema's limit. */
export function parseCategoryName(text: string): GridParse<string> {
  const parsed = parseTextCell(text, TEXT_LIMITS.category);
  if (parsed.ok && parsed.value === "") return { ok: false, code: "categoryRequired" };
  return parsed;
}

/** What the text of one cell writes. */
export function parseCell(column: EditableColumn, text: string): GridParse<BudgetPatch> {
  switch (column) {
    case "quantity": {
      const parsed = parseQuantityCell(text);
      return parsed.ok ? { ok: true, value: { quantityHundredths: parsed.value } } : parsed;
    }
    case "unitPrice": {
      const parsed = parseUnitPriceCell(text);
      return parsed.ok ? { ok: true, value: { unitPriceFen: parsed.value } } : parsed;
    }
    case "income": {
      const parsed = parseIncomeCell(text);
      return parsed.ok ? { ok: true, value: { income: parsed.value } } : parsed;
    }
    case "quarter": {
      const parsed = parseQuarterCell(text);
      return parsed.ok ? { ok: true, value: { quarter: parsed.value } } : parsed;
    }
    case "item":
    case "unit":
    case "owner":
    case "note": {
      const parsed = parseTextCell(text, TEXT_LIMITS[column]);
      return parsed.ok ? { ok: true, value: { [column]: parsed.value } } : parsed;
    }
  }
}

/**
 * A line's amount, or "overflow" when a row written by some other client is too large to
 * compute: the editor shows it instead of failing to render.
 */
export function safeLineAmount(line: BudgetLine): Fen | null | "overflow" {
  try {
    return budgetLineAmount(line);
  } catch (error) {
    if (error instanceof BudgetError && error.code === "totalTooLarge") return "overflow";
    throw error;
  }
}

/** totalsOf, or null when the sum is beyond exact arithmetic (only rows written around this editor get there). */
export function safeTotals(lines: readonly BudgetLine[]): BudgetTotals | null {
  try {
    return totalsOf(lines);
  } catch (error) {
    if (error instanceof BudgetError && error.code === "totalTooLarge") return null;
    throw error;
  }
}

/**
 * No line may come to more than ¥10,000,000,000, the largest amount a person may type.
 * Only a patch that changes the quantity or the price is checked, so an oversized line
 * some other client wrote can still be fixed cell by cell.
 */
function amountTooLarge(line: BudgetLine, patch: BudgetPatch): boolean {
  if (!("quantityHundredths" in patch) && !("unitPriceFen" in patch)) return false;
  const amount = safeLineAmount({ ...line, ...patch });
  return amount === "overflow" || (amount !== null && amount > MAX_AMOUNT_FEN);
}

/**
 * Whether the plan's spend or income would pass the ceiling every page and export computes
 * within, once these changes land. Like amountTooLarge, only changes to an amount are
 * judged, so a plan already over it can still be brought back under.
 */
export function planTotalTooLarge(
  planLines: readonly BudgetLine[],
  changes: { updates: readonly { id: string; patch: BudgetPatch }[]; newLines: readonly NewBudgetLine[] },
): boolean {
  const changesAmount = (patch: BudgetPatch) => "quantityHundredths" in patch || "unitPriceFen" in patch || "income" in patch;
  if (!changes.updates.some(({ patch }) => changesAmount(patch)) && !changes.newLines.some(changesAmount)) return false;
  const patches = new Map(changes.updates.map(({ id, patch }) => [id, patch]));
  const after = [...planLines.map((line) => ({ ...line, ...patches.get(line.id) })), ...changes.newLines.map((line) => ({ id: "", ...line }))];
  const totals = safeTotals(after);
  return totals === null || !isPlanTotal(totals.spendFen) || !isPlanTotal(totals.incomeFen);
}

/** Checks one typed cell against its line and the plan's other lines: the patch to write, or why nothing is written. */
export function commitCell(line: BudgetLine, column: EditableColumn, text: string, planLines: readonly BudgetLine[] = [line]): GridParse<BudgetPatch> {
  const parsed = parseCell(column, text);
  if (!parsed.ok) return parsed;
  if (amountTooLarge(line, parsed.value)) return { ok: false, code: "amountTooLarge" };
  if (planTotalTooLarge(planLines, { updates: [{ id: line.id, patch: parsed.value }], newLines: [] })) return { ok: false, code: "planTotalTooLarge" };
  return parsed;
}

/** A cell as text to edit or copy; parseCell reads it back to the same value. */
export function cellText(line: BudgetLine, column: GridColumn): string {
  switch (column) {
    case "quantity":
      return formatQuantityHundredths(line.quantityHundredths);
    case "unitPrice":
      return line.unitPriceFen === null ? "" : fenToDecimalString(fen(line.unitPriceFen));
    case "amount": {
      const amount = safeLineAmount(line);
      return amount === null || amount === "overflow" ? "" : fenToDecimalString(amount);
    }
    case "income":
      return line.income ? "是" : "否";
    case "item":
    case "unit":
    case "owner":
    case "quarter":
    case "note":
      return line[column];
  }
}

// ---------------------------------------------------------------------------------------
// Layout and navigation

export interface BudgetGroup {
  category: string;
  lines: BudgetLine[];
}

/** Lines by category, categories in order of first appearance, lines in document order. */
export function groupLines(lines: readonly BudgetLine[]): BudgetGroup[] {
  const groups = new Map<string, BudgetGroup>();
  for (const line of lines) {
    const group = groups.get(line.category);
    if (group) group.lines.push(line);
    else groups.set(line.category, { category: line.category, lines: [line] });
  }
  return [...groups.values()];
}

/** The plan's own categories first, then the standard expense classes of seed 002 it does not use yet. */
export function knownCategories(lines: readonly BudgetLine[]): string[] {
  const used = groupLines(lines).map((group) => group.category);
  return [...used, ...STANDARD_CATEGORIES.filter((category) => !used.includes(category))];
}

export interface CellPosition {
  row: number;
  column: number;
}

export type GridMove = "up" | "down" | "left" | "right" | "home" | "end";

/** Where an arrow (or Home/End) lands: it stops at the grid's edges. */
export function moveCell(from: CellPosition, move: GridMove, rowCount: number): CellPosition {
  const last = GRID_COLUMNS.length - 1;
  switch (move) {
    case "up":
      return { row: Math.max(0, from.row - 1), column: from.column };
    case "down":
      return { row: Math.max(0, Math.min(rowCount - 1, from.row + 1)), column: from.column };
    case "left":
      return { row: from.row, column: Math.max(0, from.column - 1) };
    case "right":
      return { row: from.row, column: Math.min(last, from.column + 1) };
    case "home":
      return { row: from.row, column: 0 };
    case "end":
      return { row: from.row, column: last };
  }
}

/**
 * Where Tab (or Shift+Tab) lands: across a row, then on to the next one; null past the
 * grid's first or last cell, so the keyboard can leave the grid there.
 */
export function tabCell(from: CellPosition, backwards: boolean, rowCount: number): CellPosition | null {
  const last = GRID_COLUMNS.length - 1;
  if (backwards) {
    if (from.column > 0) return { row: from.row, column: from.column - 1 };
    return from.row > 0 ? { row: from.row - 1, column: last } : null;
  }
  if (from.column < last) return { row: from.row, column: from.column + 1 };
  return from.row < rowCount - 1 ? { row: from.row + 1, column: 0 } : null;
}

// ---------------------------------------------------------------------------------------
// Where rows go in the document (its array may hold rows the editor skipped as invalid,
// so positions are found by id, not by the editor's row index)

function isRow(entry: unknown): entry is Y.Map<unknown> {
  return entry instanceof Y.Map;
}

export function arrayIndexOf(doc: Y.Doc, id: string): number {
  return blockArray(doc, "budget")
    .toArray()
    .findIndex((entry) => isRow(entry) && entry.get("id") === id);
}

/** Just after the category's last line, so a new line shows at the end of its group. */
export function insertIndexFor(doc: Y.Doc, category: string): number {
  const entries = blockArray(doc, "budget").toArray();
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = entries[index];
    if (isRow(entry) && entry.get("category") === category) return index + 1;
  }
  return entries.length;
}

// ---------------------------------------------------------------------------------------
// Paste from Excel / WPS

/**
 * Tab-separated text as spreadsheets put it on the clipboard: rows end in CRLF or LF,
 * the last one usually too; a cell holding a tab, a line break or a quote is wrapped in
 * quotes with inner quotes doubled. A quote that does not close a cell is kept as text.
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  if (text === "") return rows;
  let row: string[] = [];
  let at = 0;
  for (;;) {
    const quoted = text[at] === '"' ? readQuoted(text, at) : null;
    if (quoted) {
      row.push(quoted.value);
      at = quoted.end;
    } else {
      let end = at;
      while (end < text.length && text[end] !== "\t" && text[end] !== "\r" && text[end] !== "\n") end += 1;
      row.push(text.slice(at, end));
      at = end;
    }
    if (at >= text.length) {
      rows.push(row);
      return rows;
    }
    if (text[at] === "\t") {
      at += 1;
      continue;
    }
    at += text[at] === "\r" && text[at + 1] === "\n" ? 2 : 1;
    rows.push(row);
    row = [];
    if (at >= text.length) return rows;
  }
}

function readQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = "";
  let at = start + 1;
  for (;;) {
    const close = text.indexOf('"', at);
    if (close < 0) return null;
    value += text.slice(at, close);
    if (text[close + 1] === '"') {
      value += '"';
      at = close + 2;
      continue;
    }
    const next = text[close + 1];
    if (next !== undefined && next !== "\t" && next !== "\r" && next !== "\n") return null;
    return { value: value.replace(/\r\n?/g, "\n"), end: close + 1 };
  }
}

/** One cell as spreadsheets put it on the clipboard, quoted when it holds a tab, a line break or a quote. */
export function tsvCell(text: string): string {
  return /[\t\r\n"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface PasteTarget {
  /** The lines the block lands on, top first: the active line and the lines below it in its category. */
  lines: readonly BudgetLine[];
  /** Every line of the plan, for the plan-total ceiling. */
  planLines: readonly BudgetLine[];
  /** Index in GRID_COLUMNS of the active cell's column. */
  startColumn: number;
  /** The category of lines the paste adds. */
  category: string;
  today: string;
}

export interface PasteError {
  /** 1-based row of the pasted block. */
  row: number;
  /** The grid column the bad cell falls in; null when it falls outside the grid. */
  column: GridColumn | null;
  code: GridErrorCode;
  /** The cell's text as pasted. */
  text: string;
}

export type PastePlan =
  | { ok: true; updates: { id: string; patch: BudgetPatch }[]; newLines: NewBudgetLine[] }
  | { ok: false; error: PasteError };

/**
 * Maps a pasted block onto the lines from the active cell down and right, adding lines
 * (in the active line's category) when it runs past the last one. Every cell is parsed
 * first; one bad cell refuses the whole paste. Text pasted onto the computed amount
 * column is ignored; text beyond the last column is refused, since dropping it would
 * lose what was copied.
 */
export function planPaste(block: readonly (readonly string[])[], target: PasteTarget): PastePlan {
  if (block.length > MAX_PASTE_ROWS) return { ok: false, error: { row: MAX_PASTE_ROWS + 1, column: null, code: "tooManyRows", text: "" } };
  const updates: { id: string; patch: BudgetPatch }[] = [];
  const newLines: NewBudgetLine[] = [];
  for (const [rowIndex, cells] of block.entries()) {
    const existing = target.lines[rowIndex];
    const base: BudgetLine = existing ?? { id: "", ...blankRow("budget", target.today), category: target.category };
    const patch: BudgetPatch = {};
    for (const [cellIndex, text] of cells.entries()) {
      const column = GRID_COLUMNS[target.startColumn + cellIndex];
      if (column === undefined) {
        if (text.trim() !== "") return { ok: false, error: { row: rowIndex + 1, column: null, code: "extraColumns", text } };
        continue;
      }
      if (!isEditable(column)) continue;
      const parsed = parseCell(column, text);
      if (!parsed.ok) return { ok: false, error: { row: rowIndex + 1, column, code: parsed.code, text } };
      Object.assign(patch, parsed.value);
    }
    if (amountTooLarge(base, patch)) {
      const column = "unitPriceFen" in patch ? "unitPrice" : "quantity";
      const text = cells[GRID_COLUMNS.indexOf(column) - target.startColumn] ?? "";
      return { ok: false, error: { row: rowIndex + 1, column, code: "amountTooLarge", text } };
    }
    if (!existing) newLines.push({ ...blankRow("budget", target.today), category: target.category, ...patch });
    else if (Object.keys(patch).length > 0) updates.push({ id: existing.id, patch });
  }
  if (planTotalTooLarge(target.planLines, { updates, newLines })) return { ok: false, error: { row: 1, column: null, code: "planTotalTooLarge", text: "" } };
  return { ok: true, updates, newLines };
}

/**
 * Each transaction is sent to the server as one message. A batch is kept to an eighth of
 * the server's limit by its estimated size, so lines full of Chinese text fit too.
 */
const PASTE_BATCH_BYTES = MAX_MESSAGE_BYTES / 8;

/**
 * Writes a planned paste: the changed lines, then the new ones from `index` on, in order.
 * One transaction would be one message, and a paste of thousands of lines would be over the
 * server's message limit and refused whole; so it goes in batches, each its own transaction.
 */
export function applyPaste(doc: Y.Doc, plan: { updates: readonly { id: string; patch: BudgetPatch }[]; newLines: readonly NewBudgetLine[] }, index: number): void {
  for (const batch of batchesBySize(plan.updates, ({ patch }) => estimatedBytes(patch))) {
    doc.transact(() => {
      for (const { id, patch } of batch) updateRow(doc, "budget", id, patch);
    });
  }
  let at = index;
  for (const batch of batchesBySize(plan.newLines, estimatedBytes)) {
    insertRows(doc, "budget", batch, at);
    at += batch.length;
  }
}

function* batchesBySize<T>(items: readonly T[], size: (item: T) => number): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size(item);
    if (batch.length > 0 && bytes + itemBytes > PASTE_BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += itemBytes;
  }
  if (batch.length > 0) yield batch;
}

const utf8 = new TextEncoder();

// An over-estimate of the encoded update: Yjs writes each cell as an item (ids, parent, key)
// plus its value, about 20 bytes on top of what JSON spells out; a new line adds its map and id.
function estimatedBytes(cells: object): number {
  return utf8.encode(JSON.stringify(cells)).length + 24 * Object.keys(cells).length + 64;
}
