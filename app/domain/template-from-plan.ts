import * as Y from "yjs";
import { daysBetween, festivalDate, fixedDate, MAX_YEAR, MIN_YEAR } from "./calendar";
import { fen, fenToDecimalString, parseDigits } from "./money";
import { readPlanDoc, sectionFragment, type PlanMeta, type SectionKind } from "./plan-document";
import { formatQuantityHundredths, readBlock, type Assignment, type BudgetLine, type Kpi, type TimelineItem } from "./plan-document";
import {
  formatPath,
  MAX_OFFSET_DAYS,
  PHASES,
  resolveAnchor,
  TemplateSchema,
  type Phase,
  type Template,
  type TemplateAnchor,
  type TemplateBudgetLine,
  type TemplateKpi,
  type TemplateRole,
  type TemplateSection,
  type TemplateTask,
  type TemplateTaskAnchor,
} from "./template";

/**
 * Save as template: a plan's document turned back into a template (the inverse of
 * instantiateTemplate + seeding). Task dates become offsets from the plan's 活动基准日;
 * people (members named on rows, contacts) stay with the plan, roles go into the template.
 *
 * A plan may hold what a template may not (a role without duties, a nameless task): those
 * come back as problems naming the section and row to fix, and nothing is saved. Rows
 * nobody has typed into are left out. Pure: reads a Y.Doc, no I/O.
 */

/** The anchor label of a plan that had no anchor of its own (a blank plan): its start date. */
export const DEFAULT_ANCHOR_LABEL = "活动基准日";

export interface PlanSourceSection {
  heading: string;
  kind: SectionKind;
  /** A rich-text section's text, one entry per paragraph, heading, list item or table row. */
  lines: string[];
}

/** The parts of a plan document a template is made from. */
export interface PlanSource {
  meta: PlanMeta;
  sections: PlanSourceSection[];
  timeline: TimelineItem[];
  roles: Assignment[];
  budget: BudgetLine[];
  kpis: Kpi[];
}

export function readPlanSource(doc: Y.Doc): PlanSource {
  const { meta, sections } = readPlanDoc(doc);
  return {
    meta,
    sections: sections.map((section) => ({
      heading: section.heading,
      kind: section.kind,
      lines: section.kind === "richText" ? fragmentLines(sectionFragment(doc, section.id)) : [],
    })),
    timeline: readBlock(doc, "timeline").rows,
    roles: readBlock(doc, "roles").rows,
    budget: readBlock(doc, "budget").rows,
    kpis: readBlock(doc, "kpis").rows,
  };
}

// ---------------------------------------------------------------------------------------
// Rich text as plain lines

type XmlNode = Y.XmlElement | Y.XmlText | Y.XmlHook;

function textOf(node: Y.XmlText): string {
  return (node.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
}

/** The lines of a textblock (paragraph, heading, code): a hard break starts a new line, marks are dropped. */
function inlineLines(element: Y.XmlElement): string[] {
  const lines: string[] = [];
  let current = "";
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) current += textOf(child);
    else if (child instanceof Y.XmlElement && child.nodeName === "hardBreak") {
      lines.push(current);
      current = "";
    } else if (child instanceof Y.XmlElement) current += inlineLines(child).join(" ");
  }
  lines.push(current);
  return lines.flatMap((line) => line.split("\n"));
}

function collectLines(node: XmlNode, lines: string[]): void {
  if (node instanceof Y.XmlText) {
    lines.push(...textOf(node).split("\n"));
    return;
  }
  if (!(node instanceof Y.XmlElement)) return;
  if (node.nodeName === "tableRow") {
    const cells = node.toArray().map((cell) => {
      const cellLines: string[] = [];
      collectLines(cell, cellLines);
      return cellLines.map((line) => line.trim()).filter((line) => line !== "").join(" ");
    });
    lines.push(cells.join(" | "));
    return;
  }
  const children = node.toArray();
  if (children.some((child) => child instanceof Y.XmlText)) {
    lines.push(...inlineLines(node));
    return;
  }
  for (const child of children) collectLines(child, lines);
}

/** A rich-text section as text lines: paragraphs, headings, list and task items, table rows. */
export function fragmentLines(fragment: Y.XmlFragment): string[] {
  const lines: string[] = [];
  for (const child of fragment.toArray()) collectLines(child, lines);
  return lines.map((line) => line.trim()).filter((line) => line !== "");
}

// ---------------------------------------------------------------------------------------
// Problems

export type BlockName = "timeline" | "roles" | "budget" | "kpis";

export type RowProblemCode =
  | "taskMissing"
  | "taskTooFar"
  | "roleMissing"
  | "roleTooLong"
  | "dutiesMissing"
  | "dutiesTooLong"
  | "categoryMissing"
  | "itemMissing"
  | "quantityZero"
  | "amountTooLarge"
  | "kpiNameMissing";

export type TemplateFromPlanProblem =
  /** `section`: the heading of the plan's section that shows the block, or null when none does. */
  | { code: "noTasks"; section: string | null }
  | { code: "noSections" }
  /** `position`: 1-based place of the section in the plan. */
  | { code: "headingMissing"; position: number }
  | { code: "headingTooLong" | "headingTwice" | "paragraphTooLong"; heading: string }
  /** `row`: 1-based, as the block shows it; `label`: the row's task, item, role or name. */
  | { code: RowProblemCode; block: BlockName; section: string | null; row: number; label: string }
  /** A rule of the template schema the checks above did not foresee. */
  | { code: "invalid"; path: string; message: string };

export interface TemplateFromPlanOptions {
  /** The new template's id (custom-…), chosen by the caller. */
  id: string;
  name: string;
  description: string;
  /** false: every unit price becomes 待定, for a template shared without the plan's prices. */
  keepAmounts: boolean;
  /** The template the plan was created from (meta.templateId), when it still exists. */
  sourceTemplate: Template | null;
}

export type TemplateFromPlanResult = { ok: true; template: Template } | { ok: false; problems: TemplateFromPlanProblem[] };

// Template limits (app/domain/template.ts) that are tighter than the plan's.
const MAX_HEADING = 40;
const MAX_PARAGRAPH = 2000;
const MAX_ROLE = 40;
const MAX_DUTIES = 500;
/** Template decimals have at most 9 integer digits. */
const MAX_TEMPLATE_HUNDREDTHS = 99_999_999_999;

/** "蛋糕师傅（1人）" → 蛋糕师傅 and 1: how blocksFromInstance writes a role with a head count. */
const ROLE_WITH_COUNT = /^(.*?)\s*[（(]\s*(\d{1,5})\s*人\s*[）)]$/u;

function splitRole(text: string): { role: string; count: number | null } {
  const match = ROLE_WITH_COUNT.exec(text.trim());
  const count = match?.[2] === undefined ? null : parseDigits(match[2], 10_000);
  if (!match || count === null || count < 1) return { role: text.trim(), count: null };
  return { role: (match[1] ?? "").trim(), count };
}

/** Yuan text as templates write it: "800", "0.15", "2.5". */
function yuanText(amountFen: number): string {
  return fenToDecimalString(fen(amountFen))
    .replace(/\.00$/, "")
    .replace(/(\.\d)0$/, "$1");
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 20 ? `${trimmed.slice(0, 20)}…` : trimmed;
}

/**
 * The year a plan from `source` was placed in: 腊八 of lunar year Y falls in January of
 * Y+1, so the anchor's calendar year is not always the template's year.
 */
function planYear(source: Template | null, anchorDate: string): number {
  const year = Number(anchorDate.slice(0, 4));
  if (source && source.anchor.kind !== "pick") {
    for (const candidate of [year, year - 1]) {
      if (candidate >= MIN_YEAR && candidate <= MAX_YEAR && resolveAnchor(source, { year: candidate }) === anchorDate) return candidate;
    }
  }
  return year;
}

/** The date task offsets count from: the plan's 活动基准日, else its start date (a blank plan). */
export function planAnchorDate(source: PlanSource): string {
  const starts = source.timeline.map((row) => row.start).sort();
  return source.meta.anchor || source.meta.startDate || starts[0] || "";
}

function taskKey(phase: Phase, task: string): string {
  return `${phase}\u0000${task}`;
}

// ---------------------------------------------------------------------------------------

export function templateFromPlan(source: PlanSource, options: TemplateFromPlanOptions): TemplateFromPlanResult {
  const problems: TemplateFromPlanProblem[] = [];
  const sectionOf = (block: BlockName) => source.sections.find((section) => section.kind === block)?.heading.trim() || null;
  const rowProblem = (code: RowProblemCode, block: BlockName, index: number, label: string): void => {
    problems.push({ code, block, section: sectionOf(block), row: index + 1, label: excerpt(label) });
  };

  // Sections
  const headings = new Set<string>();
  const sections: TemplateSection[] = source.sections.map((section, index) => {
    const heading = section.heading.trim();
    if (heading === "") problems.push({ code: "headingMissing", position: index + 1 });
    else if (heading.length > MAX_HEADING) problems.push({ code: "headingTooLong", heading: excerpt(heading) });
    else if (headings.has(heading)) problems.push({ code: "headingTwice", heading });
    headings.add(heading);
    if (section.kind !== "richText") return { heading, kind: section.kind };
    if (section.lines.some((line) => line.length > MAX_PARAGRAPH)) problems.push({ code: "paragraphTooLong", heading: excerpt(heading) });
    return { heading, kind: "richText", paragraphs: [...section.lines] };
  });

  if (sections.length === 0) problems.push({ code: "noSections" });

  // Roles: one template role per role name; rows naming the same role (one per person) merge.
  const merged = new Map<string, { duties: string[]; people: number; counted: boolean; rows: number; firstRow: number }>();
  source.roles.forEach((row, index) => {
    if ([row.person, row.role, row.duties, row.contact].every((cell) => cell.trim() === "") && row.personUserId === null) return;
    const { role, count } = splitRole(row.role);
    const duties = row.duties.trim();
    if (role === "") return rowProblem("roleMissing", "roles", index, row.person || row.duties);
    if (role.length > MAX_ROLE) return rowProblem("roleTooLong", "roles", index, role);
    if (duties === "") return rowProblem("dutiesMissing", "roles", index, role);
    const entry = merged.get(role) ?? { duties: [], people: 0, counted: false, rows: 0, firstRow: index };
    if (!entry.duties.includes(duties)) entry.duties.push(duties);
    entry.people += count ?? 1;
    entry.counted ||= count !== null;
    entry.rows += 1;
    merged.set(role, entry);
  });
  const roles: TemplateRole[] = [];
  for (const [role, entry] of merged) {
    const duties = entry.duties.join("；");
    if (duties.length > MAX_DUTIES) {
      rowProblem("dutiesTooLong", "roles", entry.firstRow, role);
      continue;
    }
    const count = entry.counted || entry.rows > 1 ? entry.people : undefined;
    roles.push(count === undefined ? { role, duties } : { role, duties, count });
  }
  const roleOf = (owner: string): string | undefined => {
    const { role } = splitRole(owner);
    return merged.has(role) ? role : undefined;
  };

  // Timeline: offsets from the plan's anchor (or from a task's own festival, as in its template).
  const fromTemplate = source.meta.anchor !== "" ? options.sourceTemplate : null;
  const anchor: TemplateAnchor = fromTemplate ? fromTemplate.anchor : { kind: "pick", label: DEFAULT_ANCHOR_LABEL };
  const anchorDate = planAnchorDate(source);
  const taskAnchors = new Map<string, TemplateTaskAnchor>();
  for (const phase of fromTemplate?.phases ?? []) {
    for (const task of phase.tasks) if (task.anchor) taskAnchors.set(taskKey(phase.phase, task.task), task.anchor);
  }
  const year = anchorDate === "" ? 0 : planYear(fromTemplate, anchorDate);
  const tasksByPhase = new Map<Phase, TemplateTask[]>();
  const labels = new Map<Phase, string>();
  source.timeline.forEach((row, index) => {
    const task = row.task.trim();
    if (task === "" && row.owner.trim() === "" && row.ownerUserId === null) return;
    if (task === "") return rowProblem("taskMissing", "timeline", index, row.owner);
    const found = taskAnchors.get(taskKey(row.phase, task));
    const own = found && year >= MIN_YEAR && year <= MAX_YEAR ? found : undefined;
    const from = own ? (own.kind === "fixed" ? fixedDate(own.monthDay, year) : festivalDate(own.festival, year)) : anchorDate;
    const offsetStart = daysBetween(from, row.start);
    const offsetEnd = daysBetween(from, row.end);
    if (Math.abs(offsetStart) > MAX_OFFSET_DAYS || Math.abs(offsetEnd) > MAX_OFFSET_DAYS) return rowProblem("taskTooFar", "timeline", index, task);
    const ownerRole = roleOf(row.owner);
    const tasks = tasksByPhase.get(row.phase) ?? [];
    tasks.push({
      task,
      ...(own ? { anchor: own } : {}),
      offsetStart,
      offsetEnd,
      ...(ownerRole === undefined ? {} : { ownerRole }),
    });
    tasksByPhase.set(row.phase, tasks);
    const label = row.phaseLabel.trim();
    if (label !== "" && !labels.has(row.phase)) labels.set(row.phase, label);
  });
  const phases = PHASES.flatMap((phase) => {
    const tasks = tasksByPhase.get(phase);
    if (!tasks) return [];
    const label = labels.get(phase);
    return [label === undefined ? { phase, tasks } : { phase, label, tasks }];
  });
  if (phases.length === 0 && !problems.some((problem) => "block" in problem && problem.block === "timeline")) {
    problems.push({ code: "noTasks", section: sectionOf("timeline") });
  }

  // Budget
  const budget: TemplateBudgetLine[] = [];
  source.budget.forEach((row, index) => {
    const [category, item, unit, note] = [row.category.trim(), row.item.trim(), row.unit.trim(), row.note.trim()];
    if ([category, item, unit, note, row.owner.trim()].every((cell) => cell === "") && row.unitPriceFen === null) return;
    const label = item || category;
    if (category === "") return rowProblem("categoryMissing", "budget", index, label);
    if (item === "") return rowProblem("itemMissing", "budget", index, label);
    if (row.quantityHundredths === 0) return rowProblem("quantityZero", "budget", index, label);
    if (row.quantityHundredths > MAX_TEMPLATE_HUNDREDTHS || (row.unitPriceFen ?? 0) > MAX_TEMPLATE_HUNDREDTHS) return rowProblem("amountTooLarge", "budget", index, label);
    const ownerRole = roleOf(row.owner);
    budget.push({
      category,
      item,
      quantity: formatQuantityHundredths(row.quantityHundredths),
      unit,
      unitPrice: options.keepAmounts && row.unitPriceFen !== null ? yuanText(row.unitPriceFen) : null,
      income: row.income,
      ...(ownerRole === undefined ? {} : { ownerRole }),
      ...(note === "" ? {} : { note }),
    });
  });

  // KPIs
  const kpis: TemplateKpi[] = [];
  source.kpis.forEach((row, index) => {
    const [name, unit, notes] = [row.name.trim(), row.unit.trim(), row.notes.trim()];
    if (name === "" && unit === "" && notes === "" && row.target === null) return;
    if (name === "") return rowProblem("kpiNameMissing", "kpis", index, notes);
    kpis.push({ name, unit, target: row.target, direction: row.direction, ...(notes === "" ? {} : { notes }) });
  });

  if (problems.length > 0) return { ok: false, problems };

  const title = source.meta.title.trim() || options.name;
  const parsed = TemplateSchema.safeParse({
    id: options.id,
    name: options.name.trim(),
    campaignType: source.meta.campaignType,
    description: options.description.trim(),
    source: `方案「${title.length > 100 ? `${title.slice(0, 100)}…` : title}」`,
    anchor,
    phases,
    sections,
    roles,
    budget,
    kpis,
  });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ code: "invalid", path: formatPath(issue.path), message: issue.message })) };
  }
  return { ok: true, template: parsed.data };
}
