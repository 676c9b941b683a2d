import ExcelJS from "exceljs";
import { ACTUALS_COLUMNS, ACTUALS_HEADERS, ACTUALS_SHEET_NAME, actualsColumnNumber } from "../domain/actuals-sheet";
import type { Decision, RevisionStatus, StepKind } from "../domain/approval";
import { budgetTotals, lineAmount, quantityFromHundredths, type BudgetTotals } from "../domain/budget";
import { fen } from "../domain/money";
import type { CampaignType, PlanStatus } from "../domain/plan";
import type { TaskStatus } from "../domain/plan-rows";
import type { ApproverTitle } from "../domain/roles";
import type { Phase } from "../domain/template";
import { computeVariance, kpiCompletion, type Variance } from "../domain/variance";
import { createI18n } from "../i18n/i18n";
import {
  columnLetter,
  freezeHeader,
  HEADER_STYLE,
  MONEY_FORMAT,
  PERCENT_FORMAT,
  setUpPrinting,
  SheetWriter,
  sheetRef,
  SUBTOTAL_STYLE,
  TEXT_FORMAT,
  DATE_FORMAT,
  TOTAL_STYLE,
} from "./sheet-writer";

/**
 * The plan workbook finance works from: 概览, 时间表, 人员分工, 预算, KPI, 实际对比 and
 * 实际录入 (the import template). Line amounts, subtotals and totals are live formulas
 * that Excel and LibreOffice recompute; each also carries the value our budget functions
 * computed, so the sheet and the database agree to the fen before and after a recalculation.
 * The workbook is written in Chinese whatever the exporter's interface language: it is a
 * finance document, and its sheet and header names are the import format.
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
    status: PlanStatus;
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

/** "2026-11-23 20:04" in China time. */
function chinaTime(epochMs: number): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(epochMs);
}

function amountOf(line: WorkbookBudgetLine) {
  return lineAmount(quantityFromHundredths(line.quantityHundredths), line.unitPriceFen === null ? null : fen(line.unitPriceFen));
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

interface BudgetCells {
  /** Where each line's amount is, in line order of the sheet. */
  amountRow: Map<string, number>;
  ordered: WorkbookBudgetLine[];
  spend: string;
  income: string;
  net: string;
  totals: BudgetTotals;
}

const BUDGET_COL = { category: 1, item: 2, quantity: 3, unit: 4, unitPrice: 5, amount: 6, income: 7, owner: 8, quarter: 9, note: 10, lineId: 11 } as const;
const BUDGET_LAST_COL = BUDGET_COL.lineId;

function writeBudget(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, t: T): BudgetCells {
  const w = new SheetWriter(sheet);
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
  const totals = budgetTotals(
    input.budget.map((line) => ({
      id: line.id,
      category: line.category,
      quantity: quantityFromHundredths(line.quantityHundredths),
      unitPriceFen: line.unitPriceFen === null ? null : fen(line.unitPriceFen),
      income: line.income,
    })),
  );
  const F = columnLetter(BUDGET_COL.amount);
  const G = columnLetter(BUDGET_COL.income);
  const amountRow = new Map<string, number>();
  const ordered: WorkbookBudgetLine[] = [];
  let row = 2;
  for (const [index, group] of groupByCategory(input.budget).entries()) {
    const first = row;
    for (const line of group) {
      ordered.push(line);
      amountRow.set(line.id, row);
      w.text(row, BUDGET_COL.category, line.category);
      w.text(row, BUDGET_COL.item, line.item);
      // Like yuan(): the double nearest the exact quantity, as Excel would store it typed.
      w.number(row, BUDGET_COL.quantity, line.quantityHundredths / 100);
      w.text(row, BUDGET_COL.unit, line.unit);
      const amount = amountOf(line);
      if (line.unitPriceFen === null || amount === null) {
        w.text(row, BUDGET_COL.unitPrice, t("budget.tbd"));
        w.text(row, BUDGET_COL.amount, t("budget.tbd"));
      } else {
        w.money(row, BUDGET_COL.unitPrice, line.unitPriceFen);
        const C = columnLetter(BUDGET_COL.quantity);
        const E = columnLetter(BUDGET_COL.unitPrice);
        w.moneyFormula(row, BUDGET_COL.amount, `ROUND(${C}${row}*${E}${row},2)`, amount);
      }
      w.text(row, BUDGET_COL.income, line.income ? YES : NO);
      w.text(row, BUDGET_COL.owner, line.owner);
      w.text(row, BUDGET_COL.quarter, line.quarter);
      w.text(row, BUDGET_COL.note, line.note);
      w.text(row, BUDGET_COL.lineId, line.id);
      row += 1;
    }
    const last = row - 1;
    const category = totals.byCategory[index];
    const label = group[0]?.category || t("budget.uncategorized");
    const subtotal = (caption: string, flag: string, resultFen: number) => {
      for (let col = 1; col <= BUDGET_LAST_COL; col += 1) sheet.getCell(row, col).style = { ...SUBTOTAL_STYLE };
      w.text(row, BUDGET_COL.category, label, SUBTOTAL_STYLE);
      w.text(row, BUDGET_COL.item, caption, SUBTOTAL_STYLE);
      w.moneyFormula(row, BUDGET_COL.amount, `SUMIF(${G}${first}:${G}${last},"${flag}",${F}${first}:${F}${last})`, resultFen).style = { ...SUBTOTAL_STYLE, numFmt: MONEY_FORMAT };
      if (category && category.tbdCount > 0) w.text(row, BUDGET_COL.note, t("budget.tbdCount", { count: category.tbdCount }), SUBTOTAL_STYLE);
      row += 1;
    };
    if (group.some((line) => !line.income)) subtotal("小计（支出）", NO, category?.spendFen ?? 0);
    if (group.some((line) => line.income)) subtotal("小计（收入）", YES, category?.incomeFen ?? 0);
  }
  const lastTableRow = Math.max(row - 1, 2);
  freezeHeader(sheet, BUDGET_LAST_COL, row - 1);

  row += 1;
  const spendRow = row;
  const incomeRow = row + 1;
  const netRow = row + 2;
  const totalLine = (at: number, label: string, formula: string, resultFen: number) => {
    w.text(at, BUDGET_COL.item, label, TOTAL_STYLE);
    w.moneyFormula(at, BUDGET_COL.amount, formula, resultFen).style = { ...TOTAL_STYLE, numFmt: MONEY_FORMAT };
  };
  totalLine(spendRow, t("budget.totals.spend"), `SUMIF(${G}2:${G}${lastTableRow},"${NO}",${F}2:${F}${lastTableRow})`, totals.spendFen);
  totalLine(incomeRow, t("budget.totals.income"), `SUMIF(${G}2:${G}${lastTableRow},"${YES}",${F}2:${F}${lastTableRow})`, totals.incomeFen);
  totalLine(netRow, t("budget.totals.net"), `${F}${spendRow}-${F}${incomeRow}`, totals.netFen);
  if (totals.tbdCount > 0) w.text(spendRow, BUDGET_COL.note, `${t("budget.tbdCount", { count: totals.tbdCount })}，未计入合计`);

  w.fitColumns({ [BUDGET_COL.note]: { max: 40 }, [BUDGET_COL.quantity]: { min: 8 }, [BUDGET_COL.amount]: { min: 14 } });
  setUpPrinting(sheet, input.plan.title, 1);
  const ref = (at: number) => `${sheetRef(PLAN_SHEETS.budget)}!$${F}$${at}`;
  return { amountRow, ordered, spend: ref(spendRow), income: ref(incomeRow), net: ref(netRow), totals };
}

function writeOverview(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, budget: BudgetCells, t: T): void {
  const w = new SheetWriter(sheet);
  const { plan } = input;
  const label = (at: number, text: string) => w.text(at, 1, text, { font: { bold: true } });
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
  }

  row += 1;
  w.text(row, 1, t("budget.totals.label"), HEADER_STYLE);
  w.text(row, 2, t("budget.header.amount"), HEADER_STYLE);
  row += 1;
  const totals: [string, string, number][] = [
    [t("budget.totals.spend"), budget.spend, budget.totals.spendFen],
    [t("budget.totals.income"), budget.income, budget.totals.incomeFen],
    [t("budget.totals.net"), budget.net, budget.totals.netFen],
  ];
  for (const [caption, ref, resultFen] of totals) {
    label(row, caption);
    w.moneyFormula(row, 2, ref, resultFen);
    row += 1;
  }
  if (budget.totals.tbdCount > 0) {
    label(row, t("budget.tbd"));
    w.text(row, 2, t("budget.tbdCount", { count: budget.totals.tbdCount }));
    row += 1;
  }

  row += 1;
  const { approval } = input;
  label(row, "审批流程");
  if (!approval) {
    w.text(row, 2, "尚未提交审批");
  } else {
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
    }
  }
  w.fitColumns({ 2: { min: 16, max: 60 }, 6: { max: 40 } });
  setUpPrinting(sheet, plan.title, null);
}

function writeTimeline(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, t: T): void {
  const w = new SheetWriter(sheet);
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
  input.timeline.forEach((item, index) => {
    const row = index + 2;
    w.text(row, 1, t(`timeline.phase.${item.phase}`));
    w.text(row, 2, item.phaseLabel);
    w.text(row, 3, item.task);
    w.date(row, 4, item.start);
    w.date(row, 5, item.end);
    w.text(row, 6, item.owner);
    w.text(row, 7, t(`timeline.status.${item.status}`));
    w.text(row, 8, item.dependsOn);
  });
  freezeHeader(sheet, 8, input.timeline.length + 1);
  w.fitColumns({ 3: { max: 60 }, 4: { min: 12 }, 5: { min: 12 } });
  setUpPrinting(sheet, input.plan.title, 1);
}

function writeRoles(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, t: T): void {
  const w = new SheetWriter(sheet);
  w.header(1, [t("timeline.roles.columns.person"), t("timeline.roles.columns.role"), t("timeline.roles.columns.duties"), t("timeline.roles.columns.contact")]);
  input.roles.forEach((role, index) => {
    const row = index + 2;
    w.text(row, 1, role.person);
    w.text(row, 2, role.role);
    w.text(row, 3, role.duties, { alignment: { wrapText: true, vertical: "top" } });
    w.text(row, 4, role.contact);
  });
  freezeHeader(sheet, 4, input.roles.length + 1);
  w.fitColumns({ 3: { max: 70 } });
  setUpPrinting(sheet, input.plan.title, 1);
}

function writeKpis(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, t: T): void {
  const w = new SheetWriter(sheet);
  w.header(1, [t("timeline.kpis.columns.name"), t("timeline.kpis.columns.unit"), t("timeline.kpis.columns.target"), t("timeline.kpis.columns.direction"), "实际值", "完成率", t("timeline.kpis.columns.notes")]);
  // Targets and actuals are decimal text of at most 15 digits and 4 decimals: numbers Excel shows as typed.
  const decimal = (row: number, col: number, value: string | null) => (value === null ? w.text(row, col, t("timeline.kpis.tbd")) : w.number(row, col, Number(value), undefined, value));
  input.kpis.forEach((kpi, index) => {
    const row = index + 2;
    w.text(row, 1, kpi.name);
    w.text(row, 2, kpi.unit);
    decimal(row, 3, kpi.target);
    w.text(row, 4, t(`timeline.kpis.direction.${kpi.direction}`));
    if (kpi.actual === null) w.text(row, 5, "");
    else decimal(row, 5, kpi.actual);
    const completion = kpiCompletion(kpi.target, kpi.actual, kpi.direction);
    if (completion === null) w.text(row, 6, "");
    else w.number(row, 6, completion / 10_000, PERCENT_FORMAT, `${completion / 100}%`);
    w.text(row, 7, kpi.notes);
  });
  freezeHeader(sheet, 7, input.kpis.length + 1);
  w.fitColumns({ 7: { max: 50 } });
  setUpPrinting(sheet, input.plan.title, 1);
}

const VARIANCE_COL = { lineId: 1, category: 2, item: 3, income: 4, budget: 5, actual: 6, variance: 7, percent: 8 } as const;

function writeVariance(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, budget: BudgetCells, variance: Variance): void {
  const w = new SheetWriter(sheet);
  w.header(1, [ACTUALS_HEADERS.lineId, "费用类别", "项目", "收入", "预算金额", "实际金额", "差异", "差异率"]);
  const [E, F, G, D] = [VARIANCE_COL.budget, VARIANCE_COL.actual, VARIANCE_COL.variance, VARIANCE_COL.income].map(columnLetter) as [string, string, string, string];
  const entries = sheetRef(ACTUALS_SHEET_NAME);
  const idColumn = columnLetter(actualsColumnNumber("lineId"));
  const amountColumn = columnLetter(actualsColumnNumber("amount"));
  const budgetF = columnLetter(BUDGET_COL.amount);
  // The variance formulas: actual − budget, and its share of the budget (blank without one).
  const differences = (row: number, varianceFen: number, budgetFen: number) => {
    w.moneyFormula(row, VARIANCE_COL.variance, `${F}${row}-${E}${row}`, varianceFen);
    if (budgetFen === 0) w.formula(row, VARIANCE_COL.percent, `IF(${E}${row}=0,"",${G}${row}/${E}${row})`, "", PERCENT_FORMAT);
    // The cached ratio is the quotient the formula computes, not a rounded percentage.
    else w.formula(row, VARIANCE_COL.percent, `IF(${E}${row}=0,"",${G}${row}/${E}${row})`, varianceFen / budgetFen, PERCENT_FORMAT, "-100.00%");
  };
  let row = 2;
  const byId = new Map(variance.lines.map((line) => [line.id, line]));
  for (const line of budget.ordered) {
    const figures = byId.get(line.id);
    if (!figures) continue;
    w.text(row, VARIANCE_COL.lineId, line.id);
    w.text(row, VARIANCE_COL.category, line.category);
    w.text(row, VARIANCE_COL.item, line.item);
    w.text(row, VARIANCE_COL.income, line.income ? YES : NO);
    // N(): a 待定 line's amount is the text 待定, budgeted here as ¥0.
    w.moneyFormula(row, VARIANCE_COL.budget, `N(${sheetRef(PLAN_SHEETS.budget)}!${budgetF}${budget.amountRow.get(line.id) ?? 0})`, figures.budgetFen);
    w.moneyFormula(row, VARIANCE_COL.actual, `SUMIF(${entries}!$${idColumn}:$${idColumn},${columnLetter(VARIANCE_COL.lineId)}${row},${entries}!$${amountColumn}:$${amountColumn})`, figures.actualFen);
    differences(row, figures.varianceFen, figures.budgetFen);
    row += 1;
  }
  for (const extra of variance.unbudgeted) {
    w.text(row, VARIANCE_COL.lineId, extra.id);
    w.text(row, VARIANCE_COL.item, "（不在此预算中的明细）");
    w.money(row, VARIANCE_COL.budget, 0);
    w.moneyFormula(row, VARIANCE_COL.actual, `SUMIF(${entries}!$${idColumn}:$${idColumn},${columnLetter(VARIANCE_COL.lineId)}${row},${entries}!$${amountColumn}:$${amountColumn})`, extra.actualFen);
    differences(row, extra.actualFen, 0);
    row += 1;
  }
  const lastRow = row - 1;
  freezeHeader(sheet, VARIANCE_COL.percent, lastRow);
  if (lastRow >= 2) {
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
  w.fitColumns({ [VARIANCE_COL.item]: { max: 40 }, [VARIANCE_COL.budget]: { min: 14 }, [VARIANCE_COL.actual]: { min: 14 }, [VARIANCE_COL.variance]: { min: 14 } });
  setUpPrinting(sheet, input.plan.title, 1);
}

function writeActuals(sheet: ExcelJS.Worksheet, input: PlanWorkbookInput, budget: BudgetCells): void {
  const w = new SheetWriter(sheet);
  w.header(
    1,
    ACTUALS_COLUMNS.map((column) => ACTUALS_HEADERS[column]),
  );
  const position = new Map(budget.ordered.map((line, index) => [line.id, index]));
  const items = new Map(budget.ordered.map((line) => [line.id, line.item]));
  const entries = [...input.actuals].sort(
    (a, b) => (position.get(a.lineId) ?? Infinity) - (position.get(b.lineId) ?? Infinity) || a.spentOn.localeCompare(b.spentOn),
  );
  const col = actualsColumnNumber;
  entries.forEach((entry, index) => {
    const row = index + 2;
    w.text(row, col("lineId"), entry.lineId);
    w.text(row, col("item"), items.get(entry.lineId) ?? "");
    w.date(row, col("spentOn"), entry.spentOn);
    w.money(row, col("amount"), entry.amountFen);
    w.text(row, col("vendor"), entry.vendor);
    w.text(row, col("invoiceNo"), entry.invoiceNo);
    w.text(row, col("note"), entry.note);
  });
  // Rows finance adds below keep the same formats: invoice numbers such as 00123 stay text.
  for (const column of ACTUALS_COLUMNS) {
    const numFmt = column === "spentOn" ? DATE_FORMAT : column === "amount" ? MONEY_FORMAT : TEXT_FORMAT;
    sheet.getColumn(col(column)).numFmt = numFmt;
  }
  freezeHeader(sheet, ACTUALS_COLUMNS.length, entries.length + 1);
  w.fitColumns({ [col("lineId")]: { min: 16 }, [col("spentOn")]: { min: 12 }, [col("amount")]: { min: 14 }, [col("invoiceNo")]: { min: 14 }, [col("note")]: { min: 20, max: 50 } });
  setUpPrinting(sheet, input.plan.title, 1);
}

export function buildPlanWorkbook(input: PlanWorkbookInput): ExcelJS.Workbook {
  const t = createI18n("zh-CN").t;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "活动策划台";
  workbook.title = input.plan.title;
  workbook.created = new Date(input.exportedAt);
  workbook.modified = new Date(input.exportedAt);
  // Excel recomputes every formula on open instead of trusting the cached results.
  workbook.calcProperties.fullCalcOnLoad = true;

  const sheets = {
    overview: workbook.addWorksheet(PLAN_SHEETS.overview),
    timeline: workbook.addWorksheet(PLAN_SHEETS.timeline),
    roles: workbook.addWorksheet(PLAN_SHEETS.roles),
    budget: workbook.addWorksheet(PLAN_SHEETS.budget),
    kpis: workbook.addWorksheet(PLAN_SHEETS.kpis),
    variance: workbook.addWorksheet(PLAN_SHEETS.variance),
    actuals: workbook.addWorksheet(PLAN_SHEETS.actuals),
  };
  const budget = writeBudget(sheets.budget, input, t);
  const basis = budget.ordered.map((line) => ({ id: line.id, category: line.category, item: line.item, income: line.income, amountFen: amountOf(line) }));
  const actualByLine = new Map<string, number>();
  for (const entry of input.actuals) actualByLine.set(entry.lineId, (actualByLine.get(entry.lineId) ?? 0) + entry.amountFen);
  writeOverview(sheets.overview, input, budget, t);
  writeTimeline(sheets.timeline, input, t);
  writeRoles(sheets.roles, input, t);
  writeKpis(sheets.kpis, input, t);
  writeVariance(sheets.variance, input, budget, computeVariance(basis, actualByLine));
  writeActuals(sheets.actuals, input, budget);
  return workbook;
}

export async function planWorkbookBytes(input: PlanWorkbookInput): Promise<Uint8Array<ArrayBuffer>> {
  const buffer = await buildPlanWorkbook(input).xlsx.writeBuffer();
  return new Uint8Array(buffer);
}
