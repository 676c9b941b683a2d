import ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { columnLetter, DATE_FORMAT, HEADER_STYLE, MONEY_FORMAT, PERCENT_FORMAT, TEXT_FORMAT, TOTAL_STYLE, xmlSafe, yuan } from "./sheet-writer";
import type { PortfolioFilter } from "~/domain/portfolio";
import { basisPoints, type BasisPoints } from "~/domain/money";
import { countPortfolioPlans, listPortfolioPlans, portfolioEntries, PORTFOLIO_PAGE, type PortfolioEntry } from "../../../db/queries/portfolio";
import type { DbOrTx } from "../../../db/queries/users";

/**
 * The portfolio workbook (活动组合报表): 汇总, one row per plan with its totals, and
 * 分类明细, one row per plan and category. Written with exceljs's streaming writer, page by
 * page, so memory stays flat however many plans match. Net and variance are live formulas
 * with our exact figures as cached results; the totals row sums the columns.
 *
 * exceljs 4.4 cannot write the quotePrefix style, so text people typed is protected the way
 * the plan workbook does it (sheet-writer.ts): always a string cell, never a
 * formula, in Excel's Text format so it stays text when someone edits it later.
 */

export interface PortfolioProgress {
  /** Plan rows written, over both sheets. */
  done: number;
  total: number;
}

export interface PortfolioWorkbookResult {
  plans: number;
  categoryRows: number;
}

export type Column = { key: string; width: number; kind: "text" | "date" | "money" | "count" | "percent" };

const SUMMARY: readonly Column[] = [
  { key: "title", width: 32, kind: "text" },
  { key: "campaignType", width: 12, kind: "text" },
  { key: "store", width: 16, kind: "text" },
  { key: "owner", width: 10, kind: "text" },
  { key: "status", width: 10, kind: "text" },
  { key: "startDate", width: 12, kind: "date" },
  { key: "endDate", width: 12, kind: "date" },
  { key: "budgetSpend", width: 16, kind: "money" },
  { key: "budgetIncome", width: 16, kind: "money" },
  { key: "budgetNet", width: 16, kind: "money" },
  { key: "tbdCount", width: 8, kind: "count" },
  { key: "approvedRevision", width: 10, kind: "count" },
  { key: "approvedNet", width: 16, kind: "money" },
  { key: "actualSpend", width: 16, kind: "money" },
  { key: "actualIncome", width: 16, kind: "money" },
  { key: "actualNet", width: 16, kind: "money" },
  { key: "unbudgeted", width: 14, kind: "money" },
  { key: "variance", width: 16, kind: "money" },
  { key: "variancePercent", width: 10, kind: "percent" },
  { key: "planId", width: 24, kind: "text" },
];

const CATEGORIES: readonly Column[] = [
  { key: "title", width: 32, kind: "text" },
  { key: "planId", width: 24, kind: "text" },
  { key: "category", width: 16, kind: "text" },
  { key: "direction", width: 8, kind: "text" },
  { key: "budget", width: 16, kind: "money" },
  { key: "approved", width: 16, kind: "money" },
  { key: "actual", width: 16, kind: "money" },
  { key: "variance", width: 16, kind: "money" },
  { key: "variancePercent", width: 10, kind: "percent" },
];

/** Column letter of a key in a column list (1-based Excel column). */
function col(columns: readonly Column[], key: string): string {
  const index = columns.findIndex((c) => c.key === key);
  if (index < 0) throw new Error(`no column ${key}`);
  return columnLetter(index + 1);
}

const FORMATS: Record<Column["kind"], string | undefined> = {
  text: TEXT_FORMAT,
  date: DATE_FORMAT,
  money: MONEY_FORMAT,
  count: "0",
  percent: PERCENT_FORMAT,
};

export type CellValue = string | number | Date | null | { formula: string; result: number | string };

/**
 * One row of cells. A string always lands as a string cell in the Text format: a title
 * such as `=HYPERLINK(…)` or `+1+1` is shown as typed and never evaluated.
 */
export function writeRow(sheet: ExcelJS.Worksheet, rowNumber: number, columns: readonly Column[], values: readonly CellValue[], style: Partial<ExcelJS.Style> = {}): void {
  const row = sheet.getRow(rowNumber);
  values.forEach((value, index) => {
    const cell = row.getCell(index + 1);
    const kind = columns[index]!.kind;
    const numFmt = typeof value === "string" ? TEXT_FORMAT : FORMATS[kind];
    cell.style = { ...style, ...(numFmt && { numFmt }) };
    cell.value = typeof value === "string" ? xmlSafe(value) : value;
  });
  row.commit();
}

function isoDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function percent(points: BasisPoints | null): number | string {
  return points === null ? "" : points / 10_000;
}

function openSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: readonly Column[], headers: readonly string[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }],
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  // The streaming writer emits column widths with the sheet's first row: set them first.
  sheet.columns = columns.map((c) => ({ key: c.key, width: c.width }));
  writeRow(sheet, 1, columns, headers, HEADER_STYLE);
  return sheet;
}

async function* pages(db: DbOrTx, filter: PortfolioFilter): AsyncGenerator<PortfolioEntry[]> {
  let after: { startDate: string; id: string } | undefined;
  for (;;) {
    const plans = await listPortfolioPlans(db, filter, { after, limit: PORTFOLIO_PAGE });
    if (plans.length === 0) return;
    yield await portfolioEntries(db, plans);
    const last = plans[plans.length - 1]!;
    after = { startDate: last.start_date, id: last.id };
    if (plans.length < PORTFOLIO_PAGE) return;
  }
}

/**
 * Writes the workbook to `filename`. Reads the plans twice, once per sheet (a streamed
 * sheet must be finished before the next one is written), so the caller should read from
 * one snapshot (one read transaction) for both passes to agree.
 */
export async function writePortfolioWorkbook(
  db: DbOrTx,
  filter: PortfolioFilter,
  filename: string,
  t: TFunction,
  onProgress: (progress: PortfolioProgress) => void,
): Promise<PortfolioWorkbookResult> {
  const planCount = await countPortfolioPlans(db, filter);
  const total = planCount * 2;
  let done = 0;
  onProgress({ done, total });
  const label = (key: string) => t(`finance.workbook.${key}`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename, useStyles: true, useSharedStrings: false });

  const summary = openSheet(workbook, label("summarySheet"), SUMMARY, SUMMARY.map((c) => label(c.key)));
  const s = (key: string) => col(SUMMARY, key);
  const sums = { budgetSpend: 0, budgetIncome: 0, budgetNet: 0, tbdCount: 0, approvedNet: 0, actualSpend: 0, actualIncome: 0, actualNet: 0, unbudgeted: 0, variance: 0 };
  let rowNumber = 1;
  for await (const entries of pages(db, filter)) {
    for (const e of entries) {
      rowNumber += 1;
      const r = rowNumber;
      const basis = `IF(${s("approvedNet")}${r}="",${s("budgetNet")}${r},${s("approvedNet")}${r})`;
      writeRow(summary, r, SUMMARY, [
        e.title,
        t(`campaignType.${e.campaignType}`),
        e.store,
        e.ownerName,
        t(`status.${e.status}`),
        isoDate(e.startDate),
        isoDate(e.endDate),
        yuan(e.budget.spendFen),
        yuan(e.budget.incomeFen),
        { formula: `${s("budgetSpend")}${r}-${s("budgetIncome")}${r}`, result: yuan(e.budget.netFen) },
        e.budget.tbdCount,
        e.approved ? e.approved.revisionNumber : null,
        e.approved ? yuan(e.approved.netFen) : null,
        yuan(e.actual.spendFen),
        yuan(e.actual.incomeFen),
        { formula: `${s("actualSpend")}${r}-${s("actualIncome")}${r}`, result: yuan(e.actual.netFen) },
        yuan(e.unbudgetedFen),
        { formula: `${s("actualNet")}${r}-${basis}`, result: yuan(e.varianceFen) },
        { formula: `IF(${basis}=0,"",${s("variance")}${r}/${basis})`, result: percent(e.varianceBasisPoints) },
        e.id,
      ]);
      sums.budgetSpend += e.budget.spendFen;
      sums.budgetIncome += e.budget.incomeFen;
      sums.budgetNet += e.budget.netFen;
      sums.tbdCount += e.budget.tbdCount;
      sums.approvedNet += e.approved?.netFen ?? 0;
      sums.actualSpend += e.actual.spendFen;
      sums.actualIncome += e.actual.incomeFen;
      sums.actualNet += e.actual.netFen;
      sums.unbudgeted += e.unbudgetedFen;
      sums.variance += e.varianceFen;
    }
    done += entries.length;
    onProgress({ done, total });
  }
  const lastDataRow = rowNumber;
  if (lastDataRow > 1) {
    const r = lastDataRow + 1;
    const sum = (key: keyof typeof sums, money = true) => ({
      formula: `SUM(${s(key)}2:${s(key)}${lastDataRow})`,
      result: money ? yuan(sums[key]) : sums[key],
    });
    // Variance % of the whole: variance over the basis it was judged against (actual − variance).
    const basisTotal = sums.actualNet - sums.variance;
    writeRow(
      summary,
      r,
      SUMMARY,
      [
        label("totals"),
        null,
        null,
        null,
        null,
        null,
        null,
        sum("budgetSpend"),
        sum("budgetIncome"),
        sum("budgetNet"),
        sum("tbdCount", false),
        null,
        sum("approvedNet"),
        sum("actualSpend"),
        sum("actualIncome"),
        sum("actualNet"),
        sum("unbudgeted"),
        sum("variance"),
        {
          formula: `IF(${s("actualNet")}${r}-${s("variance")}${r}=0,"",${s("variance")}${r}/(${s("actualNet")}${r}-${s("variance")}${r}))`,
          result: percent(basisPoints(sums.variance, basisTotal)),
        },
        null,
      ],
      TOTAL_STYLE,
    );
  }
  summary.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, lastDataRow), column: SUMMARY.length } };
  summary.commit();

  const byCategory = openSheet(workbook, label("categorySheet"), CATEGORIES, CATEGORIES.map((c) => label(c.key)));
  const c = (key: string) => col(CATEGORIES, key);
  let categoryRow = 1;
  for await (const entries of pages(db, filter)) {
    for (const e of entries) {
      for (const category of e.categories) {
        categoryRow += 1;
        const r = categoryRow;
        const basis = `IF(${c("approved")}${r}="",${c("budget")}${r},${c("approved")}${r})`;
        writeRow(byCategory, r, CATEGORIES, [
          e.title,
          e.id,
          category.category,
          label(category.income ? "income" : "spend"),
          yuan(category.budgetFen),
          category.approvedFen === null ? null : yuan(category.approvedFen),
          yuan(category.actualFen),
          { formula: `${c("actual")}${r}-${basis}`, result: yuan(category.varianceFen) },
          { formula: `IF(${basis}=0,"",${c("variance")}${r}/${basis})`, result: percent(category.varianceBasisPoints) },
        ]);
      }
    }
    done += entries.length;
    onProgress({ done, total });
  }
  byCategory.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, categoryRow), column: CATEGORIES.length } };
  byCategory.commit();

  await workbook.commit();
  return { plans: lastDataRow - 1, categoryRows: categoryRow - 1 };
}
