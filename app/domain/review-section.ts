import * as Y from "yjs";
import { addSection, metaMap, readBlock, readPlanDoc, REVIEW_META, sectionFragment, sectionIndex, type Kpi } from "./plan-document";
import { can, type Actor, type PlanTarget } from "./policy";
import { formatPercent } from "~/i18n/format";
import { basisPoints, type BasisPoints } from "./money";
import { kpiCompletion, type Variance } from "./variance";

/**
 * 总结复盘 (post-campaign review) written into the plan document from the KPI results and
 * the variance. Two rich-text sections:
 * - 总结复盘（数据）: the generated part — a date stamp and the KPI and budget tables.
 *   Regenerating clears and refills it in one transaction; nothing else is touched.
 * - 总结复盘: the narrative scaffold (达成情况, 超支/节约分析, 经验与改进) with starter
 *   facts. Created only when missing and never written again: the team edits it.
 * Which section is which is kept in `meta` (section ids), not on the section entries:
 * moving a section rebuilds its entry from id, heading and kind, so a marker there would
 * be lost. The document content is Chinese, like the templates the plan came from.
 */

/** The meta keys naming the two sections (declared with the document's other meta keys). */
export { REVIEW_META };
export const REVIEW_HEADINGS = { data: "总结复盘（数据）", notes: "总结复盘" } as const;
const NOTES_HEADINGS = { achievement: "达成情况", spending: "超支/节约分析", lessons: "经验与改进" } as const;

/**
 * Who may (re)generate a plan's review: its editors, and finance, who record the actuals
 * the review is built from on every plan. Nobody changes an archived plan.
 */
export function canGenerateReview(actor: Actor | null, plan: PlanTarget): boolean {
  if (can(actor, "plan:edit", plan)) return true;
  return plan.status !== "archived" && can(actor, "actuals:record") && can(actor, "plan:read", plan);
}

export interface ReviewKpi {
  id: string;
  name: string;
  unit: string;
  /** Decimal text; null: 待定. */
  target: string | null;
  direction: "up" | "down";
  /** The recorded result; null: not recorded yet. */
  actual: string | null;
  /** Basis points of the target (10000 = 100%); null when either value is missing. */
  completion: BasisPoints | null;
}

export type ReviewBasis = { kind: "approved"; revisionNumber: number } | { kind: "draft" };

export interface ReviewFacts {
  kpis: readonly ReviewKpi[];
  variance: Variance;
  basis: ReviewBasis;
  generatedAt: number;
}

export interface ReviewFormat {
  /** ¥1,234.56 */
  money: (fen: number) => string;
}

/** The plan's KPIs with their recorded results and completion. */
export function reviewKpis(kpis: readonly Kpi[], actuals: ReadonlyMap<string, string>): ReviewKpi[] {
  return kpis.map((kpi) => {
    const actual = actuals.get(kpi.id) ?? null;
    return { id: kpi.id, name: kpi.name, unit: kpi.unit, target: kpi.target, direction: kpi.direction, actual, completion: kpiCompletion(kpi.target, actual, kpi.direction) };
  });
}

// ---------------------------------------------------------------------------------------
// Node builders: TipTap's node names (app/editor/extensions.ts) as y-tiptap stores them.

function paragraph(value: string): Y.XmlElement {
  const node = new Y.XmlElement("paragraph");
  if (value !== "") node.insert(0, [new Y.XmlText(value)]);
  return node;
}

function heading(value: string): Y.XmlElement {
  const node = new Y.XmlElement("heading");
  // ProseMirror's heading level is a number, as the editor stores it; Yjs types attributes as strings by default.
  (node as unknown as Y.XmlElement<{ level: number }>).setAttribute("level", 3);
  node.insert(0, [new Y.XmlText(value)]);
  return node;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): Y.XmlElement {
  const row = (cells: readonly string[], kind: "tableHeader" | "tableCell") => {
    const node = new Y.XmlElement("tableRow");
    node.insert(
      0,
      cells.map((value) => {
        const cell = new Y.XmlElement(kind);
        cell.insert(0, [paragraph(value)]);
        return cell;
      }),
    );
    return node;
  };
  const node = new Y.XmlElement("table");
  node.insert(0, [row(header, "tableHeader"), ...rows.map((cells) => row(cells, "tableCell"))]);
  return node;
}

// ---------------------------------------------------------------------------------------
// Text

/** 12345 → "123.45%", exactly: the review is written in Chinese, with two decimals. */
export function percentText(bp: BasisPoints): string {
  return formatPercent(bp, "zh-CN", { fixed: true });
}

const signedPercent = (bp: BasisPoints | null) => (bp === null ? "—" : formatPercent(bp, "zh-CN", { fixed: true, signed: true }));

function signedMoney(fen: number, format: ReviewFormat): string {
  return fen > 0 ? `+${format.money(fen)}` : format.money(fen);
}

function withUnit(value: string, unit: string): string {
  return unit === "" ? value : `${value} ${unit}`;
}

const STAMP_TIME = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** 2026-11-23 20:05, Beijing time, whatever the server's zone. */
function stampTime(epochMs: number): string {
  const parts = Object.fromEntries(STAMP_TIME.formatToParts(epochMs).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function basisText(basis: ReviewBasis): string {
  return basis.kind === "approved" ? `第 ${basis.revisionNumber} 版已批准预算` : "当前预算草稿（尚无已批准预算）";
}


// ---------------------------------------------------------------------------------------
// Content

/** The generated part: stamp, KPI table, budget table and the facts the tables leave out. */
export function reviewDataNodes(facts: ReviewFacts, format: ReviewFormat): Y.XmlElement[] {
  const { variance, kpis } = facts;
  const { totals } = variance;
  const nodes: Y.XmlElement[] = [
    paragraph(`生成于 ${stampTime(facts.generatedAt)}（北京时间），预算基准：${basisText(facts.basis)}。本节由系统生成，重新生成时整节替换；分析请写在「${REVIEW_HEADINGS.notes}」章节。`),
    heading("KPI 达成"),
  ];
  if (kpis.length === 0) nodes.push(paragraph("方案中没有考核指标。"));
  else
    nodes.push(
      table(
        ["KPI", "目标", "实际", "完成率"],
        kpis.map((kpi) => [
          kpi.direction === "down" ? `${kpi.name}（越低越好）` : kpi.name,
          kpi.target === null ? "待定" : withUnit(kpi.target, kpi.unit),
          kpi.actual === null ? "未录入" : withUnit(kpi.actual, kpi.unit),
          kpi.completion === null ? "—" : percentText(kpi.completion),
        ]),
      ),
    );

  nodes.push(heading("预算执行"));
  const rows = variance.categories.map((c) => [c.category, format.money(c.budgetFen), format.money(c.actualFen), signedMoney(c.varianceFen, format), signedPercent(c.varianceBasisPoints)]);
  const spendVariance = totals.actualSpendFen - totals.budgetSpendFen;
  rows.push(["支出合计", format.money(totals.budgetSpendFen), format.money(totals.actualSpendFen), signedMoney(spendVariance, format), signedPercent(basisPoints(spendVariance, totals.budgetSpendFen))]);
  if (totals.budgetIncomeFen !== 0 || totals.actualIncomeFen !== 0) {
    const incomeVariance = totals.actualIncomeFen - totals.budgetIncomeFen;
    rows.push(["收入合计", format.money(totals.budgetIncomeFen), format.money(totals.actualIncomeFen), signedMoney(incomeVariance, format), signedPercent(basisPoints(incomeVariance, totals.budgetIncomeFen))]);
    rows.push(["净支出", format.money(totals.budgetNetFen), format.money(totals.actualNetFen), signedMoney(totals.varianceFen, format), signedPercent(totals.varianceBasisPoints)]);
  }
  nodes.push(table(["类别", "预算", "实际", "差异", "差异率"], rows));

  const tbd = variance.lines.filter((line) => line.tbd).length;
  if (tbd > 0) nodes.push(paragraph(`预算中有 ${tbd} 条待定明细，按 ¥0 计入预算。`));
  if (variance.unbudgeted.length > 0) {
    const sum = variance.unbudgeted.reduce((total, entry) => total + entry.actualFen, 0);
    nodes.push(paragraph(`另有 ${variance.unbudgeted.length} 条预算明细不在预算基准中，其实际支出共 ${format.money(sum)}，未计入上表。`));
  }
  return nodes;
}

/** The narrative scaffold with starter facts; the team writes the analysis. */
export function reviewNotesNodes(facts: ReviewFacts, format: ReviewFormat): Y.XmlElement[] {
  const { kpis, variance } = facts;
  const nodes: Y.XmlElement[] = [heading(NOTES_HEADINGS.achievement)];
  if (kpis.length === 0) nodes.push(paragraph("方案中没有考核指标。"));
  else {
    const short = kpis.flatMap((kpi) => (kpi.completion !== null && kpi.completion < 10_000 ? [{ name: kpi.name, completion: kpi.completion }] : []));
    const reached = kpis.filter((kpi) => kpi.completion !== null && kpi.completion >= 10_000).length;
    const open = kpis.length - short.length - reached;
    nodes.push(paragraph(`共 ${kpis.length} 项考核指标：${reached} 项达成，${short.length} 项未达成，${open} 项未录入实际值或目标待定。`));
    if (short.length > 0) nodes.push(paragraph(`未达成：${short.map((kpi) => `${kpi.name}（完成率 ${percentText(kpi.completion)}）`).join("、")}。`));
  }

  nodes.push(heading(NOTES_HEADINGS.spending));
  const { totals } = variance;
  const spendVariance = totals.actualSpendFen - totals.budgetSpendFen;
  const rate = basisPoints(spendVariance, totals.budgetSpendFen);
  const outcome =
    spendVariance === 0
      ? "与预算持平"
      : `${spendVariance > 0 ? "超支" : "节约"} ${format.money(Math.abs(spendVariance))}${rate === null ? "" : `（${signedPercent(rate)}）`}`;
  nodes.push(paragraph(`实际支出 ${format.money(totals.actualSpendFen)}，预算 ${format.money(totals.budgetSpendFen)}，${outcome}。`));
  const describe = (categories: Variance["categories"], word: string) =>
    categories.map((c) => `${c.category} ${word} ${format.money(Math.abs(c.varianceFen))}${c.varianceBasisPoints === null ? "" : `（${signedPercent(c.varianceBasisPoints)}）`}`).join("、");
  const over = variance.categories.filter((c) => c.varianceFen > 0);
  const under = variance.categories.filter((c) => c.varianceFen < 0);
  if (over.length > 0) nodes.push(paragraph(`超支类别：${describe(over, "超支")}。`));
  if (under.length > 0) nodes.push(paragraph(`节约类别：${describe(under, "节约")}。`));

  nodes.push(heading(NOTES_HEADINGS.lessons));
  nodes.push(paragraph("（请团队填写：做得好的地方、存在的问题、下次的改进措施。）"));
  return nodes;
}

// ---------------------------------------------------------------------------------------
// Writing into the document

function liveSectionId(doc: Y.Doc, key: (typeof REVIEW_META)[keyof typeof REVIEW_META]): string | null {
  const { meta, sections } = readPlanDoc(doc);
  const id = meta[key];
  return id !== undefined && sections.some((s) => s.id === id && s.kind === "richText") ? id : null;
}

export interface ReviewWrite {
  dataSectionId: string;
  notesSectionId: string;
  /** The scaffold was missing and has been written. */
  notesCreated: boolean;
}

/**
 * Writes the review in one transaction, reading the KPIs from the document itself so the
 * table matches what everyone sees. Replaces the generated section's content, creates the
 * sections that are missing (the generated one just before the scaffold), and leaves an
 * existing scaffold exactly as the team left it.
 */
export function writeReview(doc: Y.Doc, input: Omit<ReviewFacts, "kpis"> & { kpiActuals: ReadonlyMap<string, string> }, format: ReviewFormat): ReviewWrite {
  return doc.transact(() => {
    const facts: ReviewFacts = { ...input, kpis: reviewKpis(readBlock(doc, "kpis").rows, input.kpiActuals) };
    const meta = metaMap(doc);
    let notesId = liveSectionId(doc, REVIEW_META.notes);
    let dataId = liveSectionId(doc, REVIEW_META.data);
    if (dataId === null) {
      dataId = addSection(doc, REVIEW_HEADINGS.data, "richText", notesId === null ? undefined : sectionIndex(doc, notesId));
      meta.set(REVIEW_META.data, dataId);
    }
    const data = sectionFragment(doc, dataId);
    data.delete(0, data.length);
    data.insert(0, reviewDataNodes(facts, format));
    const notesCreated = notesId === null;
    if (notesId === null) {
      notesId = addSection(doc, REVIEW_HEADINGS.notes, "richText", sectionIndex(doc, dataId) + 1);
      meta.set(REVIEW_META.notes, notesId);
      sectionFragment(doc, notesId).insert(0, reviewNotesNodes(facts, format));
    }
    return { dataSectionId: dataId, notesSectionId: notesId, notesCreated };
  });
}
