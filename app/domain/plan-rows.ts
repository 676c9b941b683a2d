import * as Y from "yjs";
import { z } from "zod";
import { budgetTotals, formatQuantity, lineAmount, MAX_QUANTITY_HUNDREDTHS, parseQuantity, quantityFromHundredths, type BudgetLineInput, type BudgetTotals } from "./budget";
import { fen, MAX_AMOUNT_FEN, parseYuan, type Fen } from "./money";
import { IsoDateSchema } from "./plan";
import { ROOT } from "./plan-doc";
import { PHASES, type TemplateInstance } from "./template";

/**
 * The structured blocks of a plan document: `timeline`, `roles`, `budget` and `kpis` are
 * each a Y.Array with one Y.Map per row, so two people editing different cells of one
 * row both keep their change. This module owns the row shapes: the mutators every
 * editor uses (each runs in one `doc.transact`) and the zod readers the UI, projection
 * and exports read through. Any client can write anything into a Y.Doc, so a row that
 * does not match its schema is skipped and reported, never trusted.
 */

export type BlockRoot = typeof ROOT.timeline | typeof ROOT.roles | typeof ROOT.budget | typeof ROOT.kpis;
export const BLOCK_ROOTS: readonly BlockRoot[] = [ROOT.timeline, ROOT.roles, ROOT.budget, ROOT.kpis];

export const RowIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/);

/** Random row ids: two people adding rows at once never collide. */
export function newRowId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
}

// ---------------------------------------------------------------------------------------
// Row schemas: the stored shape of each block's rows.

const shortText = (max: number) => z.string().max(max);
/** A member of the workspace, or null when the cell holds free text. */
const UserIdSchema = z.number().int().positive().nullable();

export const TASK_STATUSES = ["notStarted", "inProgress", "done", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

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

export function blockArray(doc: Y.Doc, root: BlockRoot): Y.Array<unknown> {
  return doc.getArray<unknown>(root);
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

export function toBudgetLineInput(line: BudgetLine): BudgetLineInput {
  return {
    id: line.id,
    category: line.category,
    quantity: quantityFromHundredths(line.quantityHundredths),
    unitPriceFen: line.unitPriceFen === null ? null : fen(line.unitPriceFen),
    income: line.income,
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
  return blockArray(doc, root)
    .toArray()
    .findIndex((entry) => entry instanceof Y.Map && entry.get("id") === id);
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

// ---------------------------------------------------------------------------------------
// Cell input: what a person types, checked before anything is written.

export type CellErrorCode =
  | "notANumber"
  | "negativeQuantity"
  | "tooManyDecimals"
  | "tooLarge"
  | "notAnAmount"
  | "negativeAmount"
  | "amountTooLarge"
  | "invalidDate"
  | "endBeforeStart"
  | "tooLong"
  | "invalidTarget";

export type CellParse<T> = { ok: true; value: T } | { ok: false; code: CellErrorCode };

/** A quantity cell: up to 2 decimals, not negative. */
export function parseQuantityCell(text: string): CellParse<number> {
  try {
    return { ok: true, value: parseQuantity(text).hundredths };
  } catch (error) {
    return { ok: false, code: (error as { code: CellErrorCode }).code };
  }
}

/** A unit-price cell: yuan straight to fen; blank, 待定 or TBD means to be decided. */
export function parsePriceCell(text: string): CellParse<number | null> {
  const trimmed = text.normalize("NFKC").trim();
  if (trimmed === "" || trimmed === "待定" || trimmed.toUpperCase() === "TBD") return { ok: true, value: null };
  try {
    return { ok: true, value: parseYuan(trimmed) };
  } catch (error) {
    return { ok: false, code: (error as { code: CellErrorCode }).code };
  }
}

/** A KPI target: decimal text, or blank / 待定 for not yet set. */
export function parseTargetCell(text: string): CellParse<string | null> {
  const trimmed = text.normalize("NFKC").trim().replace(/,/g, "");
  if (trimmed === "" || trimmed === "待定" || trimmed.toUpperCase() === "TBD") return { ok: true, value: null };
  const canonical = trimmed.replace(/^(-?)0+(?=\d)/, "$1").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return KpiTargetSchema.safeParse(canonical).success ? { ok: true, value: canonical } : { ok: false, code: "invalidTarget" };
}

export function parseDateCell(text: string): CellParse<string> {
  const trimmed = text.normalize("NFKC").trim().replace(/[/.]/g, "-");
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const iso = match ? `${match[1]}-${match[2]?.padStart(2, "0")}-${match[3]?.padStart(2, "0")}` : trimmed;
  return IsoDateSchema.safeParse(iso).success ? { ok: true, value: iso } : { ok: false, code: "invalidDate" };
}

export function parseTextCell(text: string, max: number): CellParse<string> {
  const trimmed = text.trim();
  return trimmed.length > max ? { ok: false, code: "tooLong" } : { ok: true, value: trimmed };
}

export function formatQuantityHundredths(hundredths: number): string {
  return formatQuantity(quantityFromHundredths(hundredths));
}

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
