import * as Y from "yjs";
import { z } from "zod";
import { budgetTotals, lineAmount, MAX_QUANTITY_HUNDREDTHS, quantityFromHundredths, type BudgetLineInput, type BudgetTotals } from "~/domain/budget";
import { fen, MAX_AMOUNT_FEN, type Fen } from "~/domain/money";
import { IsoDateSchema } from "~/domain/plan";
import { newRowId } from "./ids";
import { blockArray, indexOfId, ROOT, RowIdSchema, type BlockRoot } from "./roots";

/**
 * The structured blocks of a plan document: `timeline`, `roles`, `budget` and `kpis` are
 * each a Y.Array with one Y.Map per row, so two people editing different cells of one
 * row both keep their change. This module owns the row shapes: the mutators every
 * editor uses (each runs in one `doc.transact`) and the zod readers the UI, projection
 * and exports read through. Any client can write anything into a Y.Doc, so a row that
 * does not match its schema is skipped and reported, never trusted.
 */

// ---------------------------------------------------------------------------------------
// Row schemas: the stored shape of each block's rows.

const shortText = (max: number) => z.string().max(max);
/** A member of the workspace, or null when the cell holds free text. */
const UserIdSchema = z.number().int().positive().nullable();

export const TASK_STATUSES = ["notStarted", "inProgress", "done", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A timeline task's phase (筹备, 预热, 活动, 跟进, 复盘). */
export const PHASES = ["prep", "warmup", "live", "followup", "review"] as const;
export type Phase = (typeof PHASES)[number];
export const PhaseSchema = z.enum(PHASES);

export const TimelineRowSchema = z
  .object({
    id: RowIdSchema,
    phase: PhaseSchema,
    /** The source's own phase heading (e.g. 第一阶段：年终回馈), or "". */
    phaseLabel: shortText(40),
    task: shortText(200),
    start: IsoDateSchema,
    end: IsoDateSchema,
    /** Free text (a role or a name); ownerUserId wins when set. */
    owner: shortText(60),
    ownerUserId: UserIdSchema,
    status: z.enum(TASK_STATUSES),
    /** Id of the row this task waits for, or "". */
    dependsOn: z.union([RowIdSchema, z.literal("")]),
  })
  .refine((row) => row.end >= row.start, { path: ["end"], error: "endBeforeStart" });
export type TimelineItem = z.infer<typeof TimelineRowSchema>;

export const AssignmentRowSchema = z.object({
  id: RowIdSchema,
  person: shortText(60),
  personUserId: UserIdSchema,
  role: shortText(60),
  duties: shortText(1000),
  contact: shortText(60),
});
export type Assignment = z.infer<typeof AssignmentRowSchema>;

export const QUARTERS = ["", "Q1", "Q2", "Q3", "Q4"] as const;
export type Quarter = (typeof QUARTERS)[number];

export const BudgetRowSchema = z.object({
  id: RowIdSchema,
  category: shortText(40),
  item: shortText(100),
  /** Quantity × 100, exact (up to 2 decimals). */
  quantityHundredths: z.number().int().min(0).max(MAX_QUANTITY_HUNDREDTHS),
  unit: shortText(10),
  /** null: 待定 (TBD). */
  unitPriceFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).nullable(),
  income: z.boolean(),
  owner: shortText(60),
  quarter: z.enum(QUARTERS),
  note: shortText(500),
});
export type BudgetLine = z.infer<typeof BudgetRowSchema>;

export const KPI_DIRECTIONS = ["up", "down"] as const;
/** Decimal text with up to 4 decimals, or null for 待定. */
export const KpiTargetSchema = z.string().regex(/^-?(0|[1-9]\d{0,14})(\.\d{1,4})?$/).nullable();

export const KpiRowSchema = z.object({
  id: RowIdSchema,
  name: shortText(60),
  unit: shortText(10),
  target: KpiTargetSchema,
  direction: z.enum(KPI_DIRECTIONS),
  notes: shortText(500),
});
export type Kpi = z.infer<typeof KpiRowSchema>;

const ROW_SCHEMAS = {
  timeline: TimelineRowSchema,
  roles: AssignmentRowSchema,
  budget: BudgetRowSchema,
  kpis: KpiRowSchema,
} as const;

const maxLength = (schema: { maxLength: number | null }): number => schema.maxLength ?? Number.MAX_SAFE_INTEGER;

/** The longest text each block's text cells hold, read from the row schemas so editors and the document agree. */
export const TEXT_LIMITS = {
  timeline: {
    phaseLabel: maxLength(TimelineRowSchema.shape.phaseLabel),
    task: maxLength(TimelineRowSchema.shape.task),
    owner: maxLength(TimelineRowSchema.shape.owner),
  },
  roles: {
    person: maxLength(AssignmentRowSchema.shape.person),
    role: maxLength(AssignmentRowSchema.shape.role),
    duties: maxLength(AssignmentRowSchema.shape.duties),
    contact: maxLength(AssignmentRowSchema.shape.contact),
  },
  budget: {
    category: maxLength(BudgetRowSchema.shape.category),
    item: maxLength(BudgetRowSchema.shape.item),
    unit: maxLength(BudgetRowSchema.shape.unit),
    owner: maxLength(BudgetRowSchema.shape.owner),
    note: maxLength(BudgetRowSchema.shape.note),
  },
  kpis: {
    name: maxLength(KpiRowSchema.shape.name),
    unit: maxLength(KpiRowSchema.shape.unit),
    notes: maxLength(KpiRowSchema.shape.notes),
  },
} as const;

export interface RowOf {
  timeline: TimelineItem;
  roles: Assignment;
  budget: BudgetLine;
  kpis: Kpi;
}

/** What a new row holds before anyone types: every field present, so the schema always has its keys. */
export function blankRow<R extends BlockRoot>(root: R, today: string): Omit<RowOf[R], "id"> {
  const blanks: { [K in BlockRoot]: Omit<RowOf[K], "id"> } = {
    timeline: { phase: "prep", phaseLabel: "", task: "", start: today, end: today, owner: "", ownerUserId: null, status: "notStarted", dependsOn: "" },
    roles: { person: "", personUserId: null, role: "", duties: "", contact: "" },
    budget: { category: "", item: "", quantityHundredths: 100, unit: "", unitPriceFen: null, income: false, owner: "", quarter: "", note: "" },
    kpis: { name: "", unit: "", target: null, direction: "up", notes: "" },
  };
  return blanks[root];
}

// ---------------------------------------------------------------------------------------
// Reading

export interface InvalidRow {
  root: BlockRoot;
  index: number;
  /** The row's id when it has a readable one. */
  id: string | null;
  issues: string[];
}

export interface BlockRows<T> {
  rows: T[];
  invalid: InvalidRow[];
}

/** The valid rows of one block in document order; duplicates of an id after its first are invalid. */
export function readBlock<R extends BlockRoot>(doc: Y.Doc, root: R): BlockRows<RowOf[R]> {
  const schema = ROW_SCHEMAS[root] as unknown as z.ZodType<RowOf[R]>;
  const rows: RowOf[R][] = [];
  const invalid: InvalidRow[] = [];
  const seen = new Set<string>();
  blockArray(doc, root).forEach((entry, index) => {
    const data: unknown = entry instanceof Y.Map ? entry.toJSON() : entry;
    const parsed = schema.safeParse(data);
    const rawId = typeof data === "object" && data !== null && "id" in data && typeof data.id === "string" ? data.id : null;
    if (!parsed.success) {
      invalid.push({ root, index, id: rawId, issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(row)"}: ${issue.message}`) });
    } else if (seen.has(parsed.data.id)) {
      invalid.push({ root, index, id: rawId, issues: ["id: duplicate"] });
    } else {
      seen.add(parsed.data.id);
      rows.push(parsed.data);
    }
  });
  return { rows, invalid };
}

/**
 * A line nobody has typed into: adding a category makes one, named only by its category.
 * It is no 待定 amount, and a submitted budget leaves it out, so it never blocks approval.
 */
export function isBlankBudgetLine(line: BudgetLine): boolean {
  return line.unitPriceFen === null && [line.item, line.unit, line.owner, line.note].every((text) => text.trim() === "");
}

export function toBudgetLineInput(line: BudgetLine): BudgetLineInput {
  return {
    id: line.id,
    category: line.category,
    quantity: quantityFromHundredths(line.quantityHundredths),
    unitPriceFen: line.unitPriceFen === null ? null : fen(line.unitPriceFen),
    income: line.income,
    blank: isBlankBudgetLine(line),
  };
}

export function budgetLineAmount(line: BudgetLine): Fen | null {
  return lineAmount(quantityFromHundredths(line.quantityHundredths), line.unitPriceFen === null ? null : fen(line.unitPriceFen));
}

export function totalsOf(lines: readonly BudgetLine[]): BudgetTotals {
  return budgetTotals(lines.map(toBudgetLineInput));
}

// ---------------------------------------------------------------------------------------
// Mutators: each runs in one transaction and writes only the keys that change.

function rowMap(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(values)) map.set(key, value);
  return map;
}

function indexOfRow(doc: Y.Doc, root: BlockRoot, id: string): number {
  return indexOfId(blockArray(doc, root), id);
}

/** Inserts rows (at `index`, default the end) and returns their ids. */
export function insertRows<R extends BlockRoot>(doc: Y.Doc, root: R, values: readonly Omit<RowOf[R], "id">[], index?: number): string[] {
  const ids = values.map(() => newRowId());
  doc.transact(() => {
    const array = blockArray(doc, root);
    const at = Math.max(0, Math.min(index ?? array.length, array.length));
    array.insert(
      at,
      values.map((value, i) => rowMap({ id: ids[i], ...value })),
    );
  });
  return ids;
}

export function insertRow<R extends BlockRoot>(doc: Y.Doc, root: R, value: Omit<RowOf[R], "id">, index?: number): string {
  return insertRows(doc, root, [value], index)[0] ?? "";
}

/**
 * Sets the given cells of one row. Unchanged values are not written, so a concurrent
 * edit of another cell of the same row survives. Returns false when the row is gone.
 */
export function updateRow<R extends BlockRoot>(doc: Y.Doc, root: R, id: string, patch: Partial<Omit<RowOf[R], "id">>): boolean {
  let found = false;
  doc.transact(() => {
    const entry = blockArray(doc, root).get(indexOfRow(doc, root, id));
    if (!(entry instanceof Y.Map)) return;
    found = true;
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined && entry.get(key) !== value) entry.set(key, value);
    }
  });
  return found;
}

export function removeRow(doc: Y.Doc, root: BlockRoot, id: string): void {
  doc.transact(() => {
    const index = indexOfRow(doc, root, id);
    if (index >= 0) blockArray(doc, root).delete(index, 1);
  });
}

/**
 * Moves a row to `to`. Yjs arrays cannot move an item, so the row is re-inserted as a
 * copy of its current cells; an edit someone makes to that row at the same instant is lost.
 */
export function moveRow(doc: Y.Doc, root: BlockRoot, id: string, to: number): void {
  doc.transact(() => {
    const array = blockArray(doc, root);
    const from = indexOfRow(doc, root, id);
    const entry = array.get(from);
    if (from < 0 || !(entry instanceof Y.Map)) return;
    const copy = rowMap(entry.toJSON());
    array.delete(from, 1);
    array.insert(Math.max(0, Math.min(to, array.length)), [copy]);
  });
}

/** Renames a budget category on every line that has it, in one change. */
export function renameCategory(doc: Y.Doc, from: string, to: string): void {
  doc.transact(() => {
    blockArray(doc, ROOT.budget).forEach((entry) => {
      if (entry instanceof Y.Map && entry.get("category") === from) entry.set("category", to);
    });
  });
}
