import * as Y from "yjs";
import { parseQuantity } from "~/domain/budget";
import { parseYuan } from "~/domain/money";
import type { TemplateInstance } from "~/domain/template";
import { ROOT } from "./roots";
import { insertRows, type Assignment, type BudgetLine, type Kpi, type TimelineItem } from "./rows";

// ---------------------------------------------------------------------------------------
// Seeding a new plan from a template instance (server side, in the plan's creating transaction).

export interface BlockSeed {
  timeline: Omit<TimelineItem, "id">[];
  roles: Omit<Assignment, "id">[];
  budget: Omit<BudgetLine, "id">[];
  kpis: Omit<Kpi, "id">[];
}

export const EMPTY_BLOCKS: BlockSeed = { timeline: [], roles: [], budget: [], kpis: [] };

/** The rows a template instance starts a plan with; template text is already validated, so parsing cannot fail. */
export function blocksFromInstance(instance: TemplateInstance): BlockSeed {
  return {
    timeline: instance.timeline.map((row) => ({
      phase: row.phase,
      phaseLabel: row.phaseLabel ?? "",
      task: row.task,
      start: row.start,
      end: row.end,
      owner: row.ownerRole,
      ownerUserId: null,
      status: "notStarted",
      dependsOn: "",
    })),
    roles: instance.roles.map((role) => ({
      person: "",
      personUserId: null,
      role: role.count === null ? role.role : `${role.role}（${role.count}人）`,
      duties: role.duties,
      contact: "",
    })),
    budget: instance.budget.map((line) => ({
      category: line.category,
      item: line.item,
      quantityHundredths: parseQuantity(line.quantity).hundredths,
      unit: line.unit,
      unitPriceFen: line.unitPrice === null ? null : parseYuan(line.unitPrice),
      income: line.income,
      owner: line.ownerRole ?? "",
      quarter: "",
      note: line.note,
    })),
    kpis: instance.kpis.map((kpi) => ({ name: kpi.name, unit: kpi.unit, target: kpi.target, direction: kpi.direction, notes: kpi.notes })),
  };
}

/** Writes every block's rows into a document (inside the caller's transaction, if any). */
export function seedBlocks(doc: Y.Doc, blocks: BlockSeed): void {
  doc.transact(() => {
    insertRows(doc, ROOT.timeline, blocks.timeline);
    insertRows(doc, ROOT.roles, blocks.roles);
    insertRows(doc, ROOT.budget, blocks.budget);
    insertRows(doc, ROOT.kpis, blocks.kpis);
  });
}
