// Stays whole (over 400 lines): one streamed writer whose seven sheets share column layout, number formats and the two-pass width measure; kept together so the file it writes stays byte-identical.
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { ACTUALS_COLUMNS, ACTUALS_HEADERS, ACTUALS_SHEET_NAME, actualsColumnNumber } from "~/domain/actuals-sheet";
import type { Decision, RevisionStatus, StepKind } from "~/domain/approval";
import { budgetTotals, quantityFromHundredths, type BudgetTotals } from "~/domain/budget";
import { fen } from "~/domain/money";
import type { CampaignType, PlanDisplayStatus } from "~/domain/plan";
import type { TaskStatus } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import type { Phase } from "~/domain/template";
import { computeVariance, kpiCompletion, type Variance } from "~/domain/variance";
import { formatPercent } from "~/i18n/format";
import { createI18n } from "~/i18n/i18n";
import {
  columnLetter,
  DATE_FORMAT,
  filterTable,
  FROZEN_HEADER,
  HEADER_STYLE,
  MONEY_FORMAT,
  PERCENT_FORMAT,
  printSetup,
  SheetWriter,
  sheetRef,
  SUBTOTAL_STYLE,
  TEXT_FORMAT,
  TOTAL_STYLE,
  type ColumnLimits,
} from "./sheet-writer";

/**
 * The plan workbook finance works from: 概览, 时间表, 人员分工, 预算, KPI, 实际对比 and
 * 实际录入 (the import template). Line amounts, subtotals and totals are live formulas
 * that Excel and LibreOffice recompute; each also carries the value our budget functions
 * computed, so the sheet and the database agree to the fen before and after a recalculation.
 * The workbook is written in Chinese whatever the exporter's interface language: it is a
 * finance document, and its sheet and header names are the import format.
 *
 * It is streamed (exceljs's WorkbookWriter): each sheet is written row by row straight into
 * the zip, so a 100,000-line budget never exists as a workbook in memory.
 */

export const PLAN_SHEETS = {
  overview: "概览",
  timeline: "时间表",
  roles: "人员分工",
  budget: "预算",
  kpis: "KPI",
  variance: "实际对比",
  actuals: ACTUALS_SHEET_NAME,
} as const;

export interface WorkbookBudgetLine {
  id: string;
  category: string;
  item: string;
  quantityHundredths: number;
  unit: string;
  /** null: 待定 */
  unitPriceFen: number | null;
  /** quantity × unit price by the budget's one rounding rule (as projected or snapshotted); null: 待定 */
  amountFen: number | null;
  income: boolean;
  owner: string;
  quarter: string;
  note: string;
}

export interface WorkbookStep {
  kind: StepKind;
  title: ApproverTitle;
  decision: Decision | null;
  deciderName: string | null;
  decidedAt: number | null;
  comment: string;
}

export interface PlanWorkbookInput {
  plan: {
    title: string;
    campaignType: CampaignType;
    store: string;
    startDate: string;
    endDate: string;
    /** 活动基准日, or "" */
    anchor: string;
    ownerName: string;
    /** As members see it: 退回修改 and 已驳回 are not 草稿. */
    status: PlanDisplayStatus;
  };
  /** Which budget the workbook holds. */
  revision: { kind: "draft" } | { kind: "approved"; number: number };
  /** The revision whose approval chain 概览 shows: the exported one, or for a draft the newest; null before any submission. */
  approval: { number: number; status: RevisionStatus; submitterName: string; submittedAt: number; steps: WorkbookStep[] } | null;
  budget: WorkbookBudgetLine[];
  timeline: { phase: Phase; phaseLabel: string; task: string; start: string; end: string; owner: string; status: TaskStatus; dependsOn: string }[];
  roles: { person: string; role: string; duties: string; contact: string }[];
  kpis: { name: string; unit: string; target: string | null; direction: "up" | "down"; notes: string; actual: string | null }[];
  actuals: { lineId: string; spentOn: string; amountFen: number; vendor: string; invoiceNo: string; note: string }[];
  exportedAt: number;
}

const YES = "是";
const NO = "否";

const CHINA_TIME = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });

/** "2026-11-23 20:04" in China time. */
function chinaTime(epochMs: number): string {
  return CHINA_TIME.format(epochMs);
}

/** Lines grouped by category, categories in order of first appearance, as the budget block shows them. */
function groupByCategory(lines: readonly WorkbookBudgetLine[]): WorkbookBudgetLine[][] {
  const groups = new Map<string, WorkbookBudgetLine[]>();
  for (const line of lines) {
    const group = groups.get(line.category);
    if (group) group.push(line);
    else groups.set(line.category, [line]);
  }
  return [...groups.values()];
}

type T = ReturnType<typeof createI18n>["t"];

/**
 * A sheet's rows, produced by the same code for the measuring and the writing pass
 * (sheet-writer.ts); it yields after each row so the caller can pace the work.
 */
type Rows<R> = (w: SheetWriter) => Generator<void, R, void>;

/** Called after each row; writing waits for a returned promise (the caller lets its event loop run there). */
export type Pace = () => Promise<void> | undefined;

async function run<R>(rows: Generator<void, R, void>, pace: Pace): Promise<R> {
  for (;;) {
    const step = rows.next();
    if (step.done) return step.value;
    const pause = pace();
    if (pause) await pause;
  }
}

interface Measured<R> {
  meter: SheetWriter;
  result: R;
}

async function measure<R>(rows: Rows<R>, pace: Pace): Promise<Measured<R>> {
  const meter = SheetWriter.measuring();
  return { meter, result: await run(rows(meter), pace) };
}

interface SheetOptions<R> {
  title: string;
  /** The header row printed on every page; null for a sheet without one. */
  headerRow: number | null;
  limits?: Readonly<Record<number, ColumnLimits>>;
  /** Formats of whole columns, for rows finance adds later. */
  columnFormats?: ReadonlyMap<number, string>;
  /** The table's last column and row, for the filter; the header row is frozen. */
  table?: (result: R) => { lastCol: number; lastRow: number };
  /** Anything written after the rows (conditional formats). */
  finish?: (sheet: ExcelJS.Worksheet, result: R) => void;
}

async function writeSheet<R>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, measured: Measured<R>, rows: Rows<R>, options: SheetOptions<R>, pace: Pace): Promise<R> {
  const sheet = workbook.addWorksheet(name, { ...printSetup(options.title, options.headerRow), ...(options.table && { views: FROZEN_HEADER }) });
  for (const [col, width] of measured.meter.widths(options.limits)) sheet.getColumn(col).width = width;
  for (const [col, numFmt] of options.columnFormats ?? []) sheet.getColumn(col).numFmt = numFmt;
  const writer = SheetWriter.writing(workbook, sheet);
  const result = await run(rows(writer), pace);
  writer.end();
  if (options.table) {
    const { lastCol, lastRow } = options.table(result);
    filterTable(sheet, lastCol, lastRow);
  }
  options.finish?.(sheet, result);
  sheet.commit();
  return result;
}

interface BudgetLayout {
  /** Lines in sheet order, and the row each line's amount is on. */
  ordered: WorkbookBudgetLine[];
  rows: number[];
  /** The last row of the lines and subtotals. */
  lastRow: number;
  spend: string;
  income: string;
  net: string;
}

const BUDGET_COL = { category: 1, item: 2, quantity: 3, unit: 4, unitPrice: 5, amount: 6, income: 7, owner: 8, quarter: 9, note: 10, lineId: 11 } as const;
const BUDGET_LAST_COL = BUDGET_COL.lineId;

function budgetRows(groups: readonly WorkbookBudgetLine[][], totals: BudgetTotals, t: T): Rows<BudgetLayout> {
  return function* (w) {
    w.header(1, [
      "费用类别",
      t("budget.header.item"),
      t("budget.header.quantity"),
      t("budget.header.unit"),
      t("budget.header.unitPrice"),
      t("budget.header.amount"),
      t("budget.header.income"),
      t("budget.header.owner"),
      t("budget.header.quarter"),
      t("budget.header.note"),
      ACTUALS_HEADERS.lineId,
    ]);
    yield;
    const C = columnLetter(BUDGET_COL.quantity);
    const E = columnLetter(BUDGET_COL.unitPrice);
    const F = columnLetter(BUDGET_COL.amount);
    const G = columnLetter(BUDGET_COL.income);
    const tbd = t("budget.tbd");
    const ordered: WorkbookBudgetLine[] = [];
    const rows: number[] = [];
    let row = 2;
    for (const [index, group] of groups.entries()) {
      const first = row;
      for (const line of group) {
        ordered.push(line);
        rows.push(row);
        w.text(row, BUDGET_COL.category, line.category);
        w.text(row, BUDGET_COL.item, line.item);
        // Like yuan(): the double nearest the exact quantity, as Excel would store it typed.
        w.number(row, BUDGET_COL.quantity, line.quantityHundredths / 100);
        w.text(row, BUDGET_COL.unit, line.unit);
        if (line.unitPriceFen === null || line.amountFen === null) {
          w.text(row, BUDGET_COL.unitPrice, tbd);
          w.text(row, BUDGET_COL.amount, tbd);
        } else {
          w.money(row, BUDGET_COL.unitPrice, line.unitPriceFen);
          w.moneyFormula(row, BUDGET_COL.amount, `ROUND(${C}${row}*${E}${row},2)`, line.amountFen);
        }
        w.text(row, BUDGET_COL.income, line.income ? YES : NO);
        w.text(row, BUDGET_COL.owner, line.owner);
        w.text(row, BUDGET_COL.quarter, line.quarter);
        w.text(row, BUDGET_COL.note, line.note);
        w.text(row, BUDGET_COL.lineId, line.id);
        row += 1;
        yield;
      }
      const last = row - 1;
      const category = totals.byCategory[index];
      const label = group[0]?.category || t("budget.uncategorized");
      const subtotal = (caption: string, flag: string, resultFen: number) => {
        for (let col = 1; col <= BUDGET_LAST_COL; col += 1) w.blank(row, col, SUBTOTAL_STYLE);
        w.text(row, BUDGET_COL.category, label, SUBTOTAL_STYLE);
        w.text(row, BUDGET_COL.item, caption, SUBTOTAL_STYLE);
        w.moneyFormula(row, BUDGET_COL.amount, `SUMIF(${G}${first}:${G}${last},"${flag}",${F}${first}:${F}${last})`, resultFen, SUBTOTAL_STYLE);
        if (category && category.tbdCount > 0) w.text(row, BUDGET_COL.note, t("budget.tbdCount", { count: category.tbdCount }), SUBTOTAL_STYLE);
        row += 1;
      };
      if (group.some((line) => !line.income)) subtotal("小计（支出）", NO, category?.spendFen ?? 0);
      if (group.some((line) => line.income)) subtotal("小计（收入）", YES, category?.incomeFen ?? 0);
      yield;
    }
    const lastRow = row - 1;
    const lastTableRow = Math.max(lastRow, 2);

    row += 1;
    const spendRow = row;
    const incomeRow = row + 1;
    const netRow = row + 2;
    const totalLine = (at: number, label: string, formula: string, resultFen: number) => {
      w.text(at, BUDGET_COL.item, label, TOTAL_STYLE);
      w.moneyFormula(at, BUDGET_COL.amount, formula, resultFen, TOTAL_STYLE);
    };
    totalLine(spendRow, t("budget.totals.spend"), `SUMIF(${G}2:${G}${lastTableRow},"${NO}",${F}2:${F}${lastTableRow})`, totals.spendFen);
    if (totals.tbdCount > 0) w.text(spendRow, BUDGET_COL.note, `${t("budget.tbdCount", { count: totals.tbdCount })}，未计入合计`);
    totalLine(incomeRow, t("budget.totals.income"), `SUMIF(${G}2:${G}${lastTableRow},"${YES}",${F}2:${F}${lastTableRow})`, totals.incomeFen);
    totalLine(netRow, t("budget.totals.net"), `${F}${spendRow}-${F}${incomeRow}`, totals.netFen);

    const ref = (at: number) => `${sheetRef(PLAN_SHEETS.budget)}!$${F}$${at}`;
    return { ordered, rows, lastRow, spend: ref(spendRow), income: ref(incomeRow), net: ref(netRow) };
  };
}

const LABEL_STYLE: Partial<ExcelJS.Style> = { font: { bold: true } };

function overviewRows(input: PlanWorkbookInput, budget: BudgetLayout, totals: BudgetTotals, t: T): Rows<void> {
  return function* (w) {
    const { plan } = input;
    const label = (at: number, text: string) => w.text(at, 1, text, LABEL_STYLE);
    const facts: [string, (at: number) => void][] = [
      ["方案标题", (at) => w.text(at, 2, plan.title)],
      ["活动类型", (at) => w.text(at, 2, t(`campaignType.${plan.campaignType}`))],
      ["门店 / 网点", (at) => w.text(at, 2, plan.store)],
      ["开始日期", (at) => w.date(at, 2, plan.startDate)],
      ["结束日期", (at) => w.date(at, 2, plan.endDate)],
      ["活动基准日", (at) => (plan.anchor ? w.date(at, 2, plan.anchor) : w.text(at, 2, "—"))],
      ["负责人", (at) => w.text(at, 2, plan.ownerName)],
      ["状态", (at) => w.text(at, 2, t(`status.${plan.status}`))],
      ["预算口径", (at) => w.text(at, 2, input.revision.kind === "approved" ? `预算版本 ${input.revision.number}（已批准）` : "当前草稿")],
      ["导出时间", (at) => w.text(at, 2, chinaTime(input.exportedAt))],
    ];
    let row = 1;
    for (const [caption, write] of facts) {
      label(row, caption);
      write(row);
      row += 1;
      yield;
    }

    row += 1;
    w.text(row, 1, t("budget.totals.label"), HEADER_STYLE);
    w.text(row, 2, t("budget.header.amount"), HEADER_STYLE);
    row += 1;
    const sums: [string, string, number][] = [
      [t("budget.totals.spend"), budget.spend, totals.spendFen],
      [t("budget.totals.income"), budget.income, totals.incomeFen],
      [t("budget.totals.net"), budget.net, totals.netFen],
    ];
    for (const [caption, ref, resultFen] of sums) {
      label(row, caption);
      w.moneyFormula(row, 2, ref, resultFen);
      row += 1;
    }
    if (totals.tbdCount > 0) {
      label(row, t("budget.tbd"));
      w.text(row, 2, t("budget.tbdCount", { count: totals.tbdCount }));
      row += 1;
    }
    yield;

    row += 1;
    const { approval } = input;
    label(row, "审批流程");
    if (!approval) {
      w.text(row, 2, "尚未提交审批");
      return;
    }
    w.text(row, 2, `预算版本 ${approval.number} · ${t(`approval.revisionStatus.${approval.status}`)} · 提交人 ${approval.submitterName} · ${chinaTime(approval.submittedAt)}`);
    row += 1;
    w.header(row, ["步骤", "审批职务", "审批人", "决定", "决定时间", "意见"]);
    for (const step of approval.steps) {
      row += 1;
      w.text(row, 1, t(`approval.step.${step.kind}`));
      w.text(row, 2, t(`title.${step.title}`));
      w.text(row, 3, step.deciderName ?? "");
      w.text(row, 4, step.decision ? t(`approval.decided.${step.decision}`) : t("approval.notReached"));
      w.text(row, 5, step.decidedAt === null ? "" : chinaTime(step.decidedAt));
      w.text(row, 6, step.comment);
      yield;
    }
  };
}

function timelineRows(input: PlanWorkbookInput, t: T): Rows<number> {
  return function* (w) {
    w.header(1, [
      t("timeline.columns.phase"),
      "阶段标题",
      t("timeline.columns.task"),
      t("timeline.columns.start"),
      t("timeline.columns.end"),
      t("timeline.columns.owner"),
      t("timeline.columns.status"),
      t("timeline.columns.dependsOn"),
    ]);
    let row = 1;
    for (const item of input.timeline) {
      row += 1;
      w.text(row, 1, t(`timeline.phase.${item.phase}`));
      w.text(row, 2, item.phaseLabel);
      w.text(row, 3, item.task);
      w.date(row, 4, item.start);
      w.date(row, 5, item.end);
      w.text(row, 6, item.owner);
      w.text(row, 7, t(`timeline.status.${item.status}`));
      w.text(row, 8, item.dependsOn);
      yield;
    }
    return row;
  };
}

const DUTIES_STYLE: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: "top" } };

function roleRows(input: PlanWorkbookInput, t: T): Rows<number> {
  return function* (w) {
    w.header(1, [t("timeline.roles.columns.person"), t("timeline.roles.columns.role"), t("timeline.roles.columns.duties"), t("timeline.roles.columns.contact")]);
    let row = 1;
    for (const role of input.roles) {
      row += 1;
      w.text(row, 1, role.person);
      w.text(row, 2, role.role);
      w.text(row, 3, role.duties, DUTIES_STYLE);
      w.text(row, 4, role.contact);
      yield;
    }
    return row;
  };
}

function kpiRows(input: PlanWorkbookInput, t: T): Rows<number> {
  return function* (w) {
    w.header(1, [t("timeline.kpis.columns.name"), t("timeline.kpis.columns.unit"), t("timeline.kpis.columns.target"), t("timeline.kpis.columns.direction"), "实际值", "完成率", t("timeline.kpis.columns.notes")]);
    // Targets and actuals are decimal text of at most 15 digits and 4 decimals: numbers Excel shows as typed.
    const decimal = (row: number, col: number, value: string | null) => (value === null ? w.text(row, col, t("timeline.kpis.tbd")) : w.number(row, col, Number(value), undefined, value));
    let row = 1;
    for (const kpi of input.kpis) {
      row += 1;
      w.text(row, 1, kpi.name);
      w.text(row, 2, kpi.unit);
      decimal(row, 3, kpi.target);
      w.text(row, 4, t(`timeline.kpis.direction.${kpi.direction}`));
      if (kpi.actual === null) w.text(row, 5, "");
      else decimal(row, 5, kpi.actual);
      const completion = kpiCompletion(kpi.target, kpi.actual, kpi.direction);
      if (completion === null) w.text(row, 6, "");
      else w.number(row, 6, completion / 10_000, PERCENT_FORMAT, formatPercent(completion, "zh-CN", { fixed: true }));
      w.text(row, 7, kpi.notes);
      yield;
    }
    return row;
  };
}

const VARIANCE_COL = { lineId: 1, category: 2, item: 3, income: 4, budget: 5, actual: 6, variance: 7, percent: 8 } as const;

function varianceRows(budget: BudgetLayout, variance: Variance): Rows<number> {
  return function* (w) {
    w.header(1, [ACTUALS_HEADERS.lineId, "费用类别", "项目", "收入", "预算金额", "实际金额", "差异", "差异率"]);
    const [A, E, F, G, D] = [VARIANCE_COL.lineId, VARIANCE_COL.budget, VARIANCE_COL.actual, VARIANCE_COL.variance, VARIANCE_COL.income].map(columnLetter) as [string, string, string, string, string];
    const entries = sheetRef(ACTUALS_SHEET_NAME);
    const idColumn = columnLetter(actualsColumnNumber("lineId"));
    const amountColumn = columnLetter(actualsColumnNumber("amount"));
    const budgetAmounts = `N(${sheetRef(PLAN_SHEETS.budget)}!${columnLetter(BUDGET_COL.amount)}`;
    const actualOf = (row: number) => `SUMIF(${entries}!$${idColumn}:$${idColumn},${A}${row},${entries}!$${amountColumn}:$${amountColumn})`;
    // The variance formulas: actual − budget, and its share of the budget (blank without one).
    const differences = (row: number, varianceFen: number, budgetFen: number) => {
      w.moneyFormula(row, VARIANCE_COL.variance, `${F}${row}-${E}${row}`, varianceFen);
      if (budgetFen === 0) w.formula(row, VARIANCE_COL.percent, `IF(${E}${row}=0,"",${G}${row}/${E}${row})`, "", PERCENT_FORMAT);
      // The cached ratio is the quotient the formula computes, not a rounded percentage.
      else w.formula(row, VARIANCE_COL.percent, `IF(${E}${row}=0,"",${G}${row}/${E}${row})`, varianceFen / budgetFen, PERCENT_FORMAT, "-100.00%");
    };
    let row = 2;
    // computeVariance keeps the order of its basis, which is the budget sheet's line order.
    for (const [index, figures] of variance.lines.entries()) {
      const line = budget.ordered[index]!;
      w.text(row, VARIANCE_COL.lineId, line.id);
      w.text(row, VARIANCE_COL.category, line.category);
      w.text(row, VARIANCE_COL.item, line.item);
      w.text(row, VARIANCE_COL.income, line.income ? YES : NO);
      // N(): a 待定 line's amount is the text 待定, budgeted here as ¥0.
      w.moneyFormula(row, VARIANCE_COL.budget, `${budgetAmounts}${budget.rows[index]!})`, figures.budgetFen);
      w.moneyFormula(row, VARIANCE_COL.actual, actualOf(row), figures.actualFen);
      differences(row, figures.varianceFen, figures.budgetFen);
      row += 1;
      yield;
    }
    for (const extra of variance.unbudgeted) {
      w.text(row, VARIANCE_COL.lineId, extra.id);
      w.text(row, VARIANCE_COL.item, "（不在此预算中的明细）");
      w.money(row, VARIANCE_COL.budget, 0);
      w.moneyFormula(row, VARIANCE_COL.actual, actualOf(row), extra.actualFen);
      differences(row, extra.actualFen, 0);
      row += 1;
      yield;
    }
    const lastRow = row - 1;

    const end = Math.max(lastRow, 2);
    const sumIf = (col: string, flag: string) => `SUMIF($${D}$2:$${D}$${end},"${flag}",${col}2:${col}${end})`;
    const { totals } = variance;
    row += 1;
    const spendRow = row;
    const incomeRow = row + 1;
    const netRow = row + 2;
    const totalRows: [number, string, string, string, number, number, number][] = [
      [spendRow, "支出合计", sumIf(E, NO), sumIf(F, NO), totals.budgetSpendFen, totals.actualSpendFen, totals.actualSpendFen - totals.budgetSpendFen],
      [incomeRow, "收入合计", sumIf(E, YES), sumIf(F, YES), totals.budgetIncomeFen, totals.actualIncomeFen, totals.actualIncomeFen - totals.budgetIncomeFen],
      [netRow, "净支出", `${E}${spendRow}-${E}${incomeRow}`, `${F}${spendRow}-${F}${incomeRow}`, totals.budgetNetFen, totals.actualNetFen, totals.varianceFen],
    ];
    for (const [at, caption, budgetFormula, actualFormula, budgetFen, actualFen, varianceFen] of totalRows) {
      w.text(at, VARIANCE_COL.item, caption, TOTAL_STYLE);
      w.moneyFormula(at, VARIANCE_COL.budget, budgetFormula, budgetFen);
      w.moneyFormula(at, VARIANCE_COL.actual, actualFormula, actualFen);
      differences(at, varianceFen, budgetFen);
    }
    return lastRow;
  };
}

/** Spending above budget on a spend line shows red. */
function highlightOverspend(sheet: ExcelJS.Worksheet, lastRow: number): void {
  if (lastRow < 2) return;
  const [D, E, F] = [VARIANCE_COL.income, VARIANCE_COL.budget, VARIANCE_COL.actual].map(columnLetter) as [string, string, string];
  sheet.addConditionalFormatting({
    ref: `A2:${columnLetter(VARIANCE_COL.percent)}${lastRow}`,
    rules: [
      {
        type: "expression",
        priority: 1,
        formulae: [`AND($${D}2="${NO}",$${F}2>$${E}2)`],
        style: { fill: { type: "pattern", pattern: "solid", bgColor: { argb: "FFFDE2E1" } }, font: { color: { argb: "FF9B1C1C" } } },
      },
    ],
  });
}

function actualsRows(input: PlanWorkbookInput, budget: BudgetLayout): Rows<number> {
  return function* (w) {
    w.header(
      1,
      ACTUALS_COLUMNS.map((column) => ACTUALS_HEADERS[column]),
    );
    if (input.actuals.length === 0) return 1;
    const position = new Map(budget.ordered.map((line, index) => [line.id, index]));
    const entries = [...input.actuals].sort(
      (a, b) => (position.get(a.lineId) ?? Infinity) - (position.get(b.lineId) ?? Infinity) || a.spentOn.localeCompare(b.spentOn),
    );
    const col = actualsColumnNumber;
    let row = 1;
    for (const entry of entries) {
      row += 1;
      const at = position.get(entry.lineId);
      w.text(row, col("lineId"), entry.lineId);
      w.text(row, col("item"), at === undefined ? "" : budget.ordered[at]!.item);
      w.date(row, col("spentOn"), entry.spentOn);
      w.money(row, col("amount"), entry.amountFen);
      w.text(row, col("vendor"), entry.vendor);
      w.text(row, col("invoiceNo"), entry.invoiceNo);
      w.text(row, col("note"), entry.note);
      yield;
    }
    return row;
  };
}

/**
 * The one thing exceljs's streaming writer leaves out of workbook.xml: calcPr's
 * fullCalcOnLoad, which makes Excel recompute every formula on open instead of trusting the
 * cached results. The writer adds that part as a single string when it commits.
 */
function recalculateOnLoad(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const zip = (workbook as unknown as { zip: { append(source: unknown, data: { name: string }): unknown } }).zip;
  const append = zip.append.bind(zip);
  zip.append = (source, data) => append(data.name === "/xl/workbook.xml" && typeof source === "string" ? source.replace("<calcPr ", '<calcPr fullCalcOnLoad="1" ') : source, data);
}

/**
 * Writes the workbook into `output` and resolves once all of it has been handed over.
 * `pace` runs after every row: the caller yields to its event loop there.
 */
export async function writePlanWorkbook(input: PlanWorkbookInput, output: Writable, pace: Pace): Promise<void> {
  const t = createI18n("zh-CN").t;
  // The fastest deflate level: the default one makes a 100,000-line workbook about 14% smaller but compresses half as fast.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
  workbook.creator = "活动策划台";
  workbook.title = input.plan.title;
  workbook.created = new Date(input.exportedAt);
  workbook.modified = new Date(input.exportedAt);
  recalculateOnLoad(workbook);
  const title = input.plan.title;

  const groups = groupByCategory(input.budget);
  const totals = budgetTotals(
    input.budget.map((line) => ({
      id: line.id,
      category: line.category,
      quantity: quantityFromHundredths(line.quantityHundredths),
      unitPriceFen: line.unitPriceFen === null ? null : fen(line.unitPriceFen),
      income: line.income,
    })),
  );
  // 概览 comes first but shows the budget's totals: the budget's layout is measured before anything is written.
  const budget = budgetRows(groups, totals, t);
  const budgetMeasured = await measure(budget, pace);
  const layout = budgetMeasured.result;

  const overview = overviewRows(input, layout, totals, t);
  await writeSheet(workbook, PLAN_SHEETS.overview, await measure(overview, pace), overview, { title, headerRow: null, limits: { 2: { min: 16, max: 60 }, 6: { max: 40 } } }, pace);
  const timeline = timelineRows(input, t);
  await writeSheet(workbook, PLAN_SHEETS.timeline, await measure(timeline, pace), timeline, { title, headerRow: 1, limits: { 3: { max: 60 }, 4: { min: 12 }, 5: { min: 12 } }, table: (lastRow) => ({ lastCol: 8, lastRow }) }, pace);
  const roles = roleRows(input, t);
  await writeSheet(workbook, PLAN_SHEETS.roles, await measure(roles, pace), roles, { title, headerRow: 1, limits: { 3: { max: 70 } }, table: (lastRow) => ({ lastCol: 4, lastRow }) }, pace);
  await writeSheet(
    workbook,
    PLAN_SHEETS.budget,
    budgetMeasured,
    budget,
    {
      title,
      headerRow: 1,
      limits: { [BUDGET_COL.note]: { max: 40 }, [BUDGET_COL.quantity]: { min: 8 }, [BUDGET_COL.amount]: { min: 14 } },
      table: (result) => ({ lastCol: BUDGET_LAST_COL, lastRow: result.lastRow }),
    },
    pace,
  );
  const kpis = kpiRows(input, t);
  await writeSheet(workbook, PLAN_SHEETS.kpis, await measure(kpis, pace), kpis, { title, headerRow: 1, limits: { 7: { max: 50 } }, table: (lastRow) => ({ lastCol: 7, lastRow }) }, pace);

  const actualByLine = new Map<string, number>();
  for (const entry of input.actuals) actualByLine.set(entry.lineId, (actualByLine.get(entry.lineId) ?? 0) + entry.amountFen);
  const variance = varianceRows(layout, computeVariance(layout.ordered, actualByLine));
  await writeSheet(
    workbook,
    PLAN_SHEETS.variance,
    await measure(variance, pace),
    variance,
    {
      title,
      headerRow: 1,
      limits: { [VARIANCE_COL.item]: { max: 40 }, [VARIANCE_COL.budget]: { min: 14 }, [VARIANCE_COL.actual]: { min: 14 }, [VARIANCE_COL.variance]: { min: 14 } },
      table: (lastRow) => ({ lastCol: VARIANCE_COL.percent, lastRow }),
      finish: highlightOverspend,
    },
    pace,
  );

  const col = actualsColumnNumber;
  const actuals = actualsRows(input, layout);
  await writeSheet(
    workbook,
    PLAN_SHEETS.actuals,
    await measure(actuals, pace),
    actuals,
    {
      title,
      headerRow: 1,
      limits: { [col("lineId")]: { min: 16 }, [col("spentOn")]: { min: 12 }, [col("amount")]: { min: 14 }, [col("invoiceNo")]: { min: 14 }, [col("note")]: { min: 20, max: 50 } },
      // Rows finance adds below keep the same formats: invoice numbers such as 00123 stay text.
      columnFormats: new Map(ACTUALS_COLUMNS.map((column) => [col(column), column === "spentOn" ? DATE_FORMAT : column === "amount" ? MONEY_FORMAT : TEXT_FORMAT])),
      table: (lastRow) => ({ lastCol: ACTUALS_COLUMNS.length, lastRow }),
    },
    pace,
  );
  await workbook.commit();
}
