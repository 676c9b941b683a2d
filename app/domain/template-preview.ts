import { addDays, daysBetween, FESTIVALS, MAX_YEAR, MIN_YEAR, type Festival } from "./calendar";
import { fen, type Fen } from "./money";
import type { SectionKind } from "./plan-document";
import { blocksFromInstance, budgetLineAmount, formatQuantityHundredths, totalsOf, type BudgetLine } from "./plan-document";
import { instantiateTemplate, PHASES, resolveAnchor, type Phase, type Template, type TemplateAnchor, type TemplateInstance } from "./template";

/**
 * What the create-plan form shows before a plan exists: the template placed on the
 * calendar, summed with the same budget functions the plan uses, so the preview's totals
 * are the plan's totals to the fen. Pure: the caller passes today's date.
 */

export interface PreviewPhase {
  phase: Phase;
  /** The source's own phase heading, when the template has one. */
  label: string | null;
  taskCount: number;
  start: string;
  end: string;
}

export interface PreviewBudgetLine {
  category: string;
  item: string;
  /** Shortest exact decimal: "150", "2.5". */
  quantity: string;
  unit: string;
  /** null: 待定. */
  unitPriceFen: Fen | null;
  amountFen: Fen | null;
  income: boolean;
}

export interface TemplatePreview {
  anchor: {
    date: string;
    /** 0 = Sunday … 6 = Saturday. */
    weekday: number;
    /** The festival (中秋节) or the picked day's label (开业日); null for a fixed date. */
    name: string | null;
  };
  startDate: string;
  endDate: string;
  taskCount: number;
  phases: PreviewPhase[];
  sections: { heading: string; kind: SectionKind }[];
  budget: {
    lines: PreviewBudgetLine[];
    spendFen: Fen;
    incomeFen: Fen;
    netFen: Fen;
    tbdCount: number;
  };
  roleCount: number;
  kpiCount: number;
}

/** How a template's anchor reads in a list: a month and day, a festival (its key: the page names it in the member's language), or the picked day's label. */
export type AnchorSummary = { kind: "fixed"; month: number; day: number } | { kind: "lunar"; festival: Festival } | { kind: "pick"; label: string };

export function anchorSummary(anchor: TemplateAnchor): AnchorSummary {
  if (anchor.kind === "fixed") {
    const [month = "", day = ""] = anchor.monthDay.split("-");
    return { kind: "fixed", month: Number(month), day: Number(day) };
  }
  return anchor.kind === "lunar" ? { kind: "lunar", festival: anchor.festival } : { kind: "pick", label: anchor.label };
}

/** Day of the week of a calendar date; 1970-01-01 was a Thursday. */
export function weekdayOf(iso: string): number {
  return (((daysBetween("1970-01-01", iso) + 4) % 7) + 7) % 7;
}

export function templatePreview(template: Pick<Template, "anchor">, instance: TemplateInstance): TemplatePreview {
  const { anchor } = template;
  const phases: PreviewPhase[] = [];
  for (const phase of PHASES) {
    const rows = instance.timeline.filter((row) => row.phase === phase);
    const first = rows[0];
    if (!first) continue;
    phases.push({
      phase,
      label: rows.find((row) => row.phaseLabel)?.phaseLabel ?? null,
      taskCount: rows.length,
      // ISO dates sort as text.
      start: rows.reduce((min, row) => (row.start < min ? row.start : min), first.start),
      end: rows.reduce((max, row) => (row.end > max ? row.end : max), first.end),
    });
  }
  // The rows exactly as the plan will be seeded, so amounts and totals come from the plan's own functions.
  const lines: BudgetLine[] = blocksFromInstance(instance).budget.map((line, index) => ({ id: `preview-${index}`, ...line }));
  const totals = totalsOf(lines);
  return {
    anchor: {
      date: instance.anchor,
      weekday: weekdayOf(instance.anchor),
      name: anchor.kind === "lunar" ? FESTIVALS[anchor.festival].name : anchor.kind === "pick" ? anchor.label : null,
    },
    startDate: instance.startDate,
    endDate: instance.endDate,
    taskCount: instance.timeline.length,
    phases,
    sections: instance.sections.map((section) => ({ heading: section.heading, kind: section.kind })),
    budget: {
      lines: lines.map((line) => ({
        category: line.category,
        item: line.item,
        quantity: formatQuantityHundredths(line.quantityHundredths),
        unit: line.unit,
        unitPriceFen: line.unitPriceFen === null ? null : fen(line.unitPriceFen),
        amountFen: budgetLineAmount(line),
        income: line.income,
      })),
      spendFen: totals.spendFen,
      incomeFen: totals.incomeFen,
      netFen: totals.netFen,
      tbdCount: totals.tbdCount,
    },
    roleCount: instance.roles.length,
    kpiCount: instance.kpis.length,
  };
}

/**
 * The year a fixed or lunar template is offered for: the first whose anchor is still
 * ahead of today. 腊八 of lunar year Y falls in January of Y+1, so the search starts a
 * year back.
 */
export function defaultYear(template: Pick<Template, "id" | "anchor">, today: string): number {
  const thisYear = parseYear(today);
  for (let year = Math.max(MIN_YEAR, thisYear - 1); year <= Math.min(MAX_YEAR, thisYear + 2); year += 1) {
    if (resolveAnchor(template, { year }) > today) return year;
  }
  return Math.min(MAX_YEAR, thisYear + 1);
}

/**
 * The date a picked-anchor template is offered for: the first on which the whole
 * timeline still lies ahead (its earliest task starts tomorrow at the soonest).
 */
export function defaultAnchorDate(template: Template, today: string): string {
  const lead = daysBetween(instantiateTemplate(template, { anchorDate: today }).startDate, today);
  return addDays(today, Math.max(1, lead + 1));
}

function parseYear(iso: string): number {
  const year = /^(\d{4})-\d{2}-\d{2}$/.exec(iso)?.[1];
  if (year === undefined) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${iso}`);
  return Number(year);
}
