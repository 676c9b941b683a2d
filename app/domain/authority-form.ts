import {
  AuthorityMatrixSchema,
  DEFAULT_SLA_HOURS,
  MAX_SLA_HOURS,
  STEP_KINDS,
  slaHoursOf,
  type AuthorityMatrix,
  type StepKind,
  type Band,
  type MatrixProblem,
  type MatrixProblemCode,
} from "./approval";
import { cleanDisplayName } from "./display-name";
import { MoneyParseError, fenToDecimalString, parseYuan, type Fen, type MoneyErrorCode } from "./money";
import { ApproverTitleSchema, type ApproverTitle } from "./roles";

/**
 * The authority matrix (审批权限表) as the admin form holds it: every value as typed, so a
 * form sent back with problems shows exactly what was entered. Plain indexed input names
 * (`workItems[0].bands[1].upToYuan`) let the page work without JavaScript. Pure.
 */

export const MAX_WORK_ITEMS = 20;
export const MAX_BANDS = 10;
export const MAX_MAPPINGS = 40;
const MAX_NAME_LENGTH = 40;

export interface BandDraft {
  overYuan: string;
  upToYuan: string;
  steps: [string, string, string];
}

export interface WorkItemDraft {
  /** Empty for a work item added since the last save: the server names it when it is saved. */
  key: string;
  name: string;
  bands: BandDraft[];
}

export interface MappingDraft {
  category: string;
  workItem: string;
}

export interface MatrixDraft {
  workItems: WorkItemDraft[];
  categoryMap: MappingDraft[];
  changeLimitPercent: string;
  /** Hours per step kind before a step is overdue (审批时限). */
  slaHours: Record<StepKind, string>;
}

export const fieldName = {
  itemKey: (i: number) => `workItems[${i}].key`,
  itemName: (i: number) => `workItems[${i}].name`,
  bandOver: (i: number, b: number) => `workItems[${i}].bands[${b}].overYuan`,
  bandUpTo: (i: number, b: number) => `workItems[${i}].bands[${b}].upToYuan`,
  bandStep: (i: number, b: number, s: number) => `workItems[${i}].bands[${b}].steps[${s}]`,
  mappingCategory: (j: number) => `categoryMap[${j}].category`,
  mappingWorkItem: (j: number) => `categoryMap[${j}].workItem`,
  changeLimit: "changeLimitPercent",
  sla: (kind: StepKind) => `slaHours.${kind}`,
  /** Problems that belong to no single field. */
  form: "form",
} as const;

/** "500,000.00": what a bound input shows, and parseYuan reads back exactly. */
export function yuanInputValue(amount: Fen): string {
  const [whole = "0", decimals = "00"] = fenToDecimalString(amount).split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${decimals}`;
}

export function draftFromMatrix(matrix: AuthorityMatrix): MatrixDraft {
  return {
    workItems: matrix.workItems.map((item) => ({
      key: item.key,
      name: item.name,
      bands: item.bands.map((band) => ({
        overYuan: band.overFen === null ? "" : yuanInputValue(band.overFen),
        upToYuan: band.upToFen === null ? "" : yuanInputValue(band.upToFen),
        steps: [...band.steps],
      })),
    })),
    categoryMap: Object.entries(matrix.categoryMap).map(([category, workItem]) => ({ category, workItem })),
    changeLimitPercent: String(matrix.changeLimitPercent),
    slaHours: slaDraft(slaHoursOf(matrix)),
  };
}

function slaDraft(hours: Record<StepKind, number>): Record<StepKind, string> {
  return { review: String(hours.review), endorse: String(hours.endorse), approve: String(hours.approve) };
}

const SLA_FIELD = /^slaHours\.(review|endorse|approve)$/;

const ITEM_FIELD = /^workItems\[(\d{1,2})\]\.(key|name)$/;
const BAND_FIELD = /^workItems\[(\d{1,2})\]\.bands\[(\d{1,2})\]\.(overYuan|upToYuan)$/;
const STEP_FIELD = /^workItems\[(\d{1,2})\]\.bands\[(\d{1,2})\]\.steps\[([0-2])\]$/;
const MAPPING_FIELD = /^categoryMap\[(\d{1,2})\]\.(category|workItem)$/;

/** Sparse indexes (a hand-made post) close up in their order. */
function compact<T>(byIndex: Map<number, T>): T[] {
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, value]) => value);
}

function getOrAdd<T>(map: Map<number, T>, index: number, make: () => T): T {
  let value = map.get(index);
  if (value === undefined) map.set(index, (value = make()));
  return value;
}

/** The submitted form as a draft; unknown names are ignored, the first value of a name wins. */
export function draftFromForm(entries: Iterable<[string, FormDataEntryValue]>): MatrixDraft {
  const items = new Map<number, { key: string | null; name: string | null; bands: Map<number, BandDraft> }>();
  const mappings = new Map<number, { category: string | null; workItem: string | null }>();
  let changeLimitPercent: string | null = null;
  // A post without the SLA inputs (a form from before they existed) keeps the default hours.
  const slaHours = slaDraft(DEFAULT_SLA_HOURS);
  const item = (i: string) => getOrAdd(items, Number(i), () => ({ key: null, name: null, bands: new Map<number, BandDraft>() }));
  const band = (i: string, b: string) => getOrAdd(item(i).bands, Number(b), (): BandDraft => ({ overYuan: "", upToYuan: "", steps: ["", "", ""] }));
  const seen = new Set<string>();

  for (const [name, raw] of entries) {
    if (typeof raw !== "string" || seen.has(name)) continue;
    seen.add(name);
    let match: RegExpExecArray | null;
    if ((match = ITEM_FIELD.exec(name))) {
      item(match[1]!)[match[2] as "key" | "name"] = raw;
    } else if ((match = BAND_FIELD.exec(name))) {
      band(match[1]!, match[2]!)[match[3] as "overYuan" | "upToYuan"] = raw;
    } else if ((match = STEP_FIELD.exec(name))) {
      band(match[1]!, match[2]!).steps[Number(match[3])] = raw;
    } else if ((match = MAPPING_FIELD.exec(name))) {
      getOrAdd(mappings, Number(match[1]), () => ({ category: null, workItem: null }))[match[2] as "category" | "workItem"] = raw;
    } else if (name === fieldName.changeLimit) {
      changeLimitPercent = raw;
    } else if ((match = SLA_FIELD.exec(name))) {
      slaHours[match[1] as StepKind] = raw;
    }
  }

  return {
    workItems: compact(items).map((w) => ({ key: w.key ?? "", name: w.name ?? "", bands: compact(w.bands) })),
    categoryMap: compact(mappings).map((m) => ({ category: m.category ?? "", workItem: m.workItem ?? "" })),
    changeLimitPercent: changeLimitPercent ?? "",
    slaHours,
  };
}

/** A change to the form's shape, asked for by one of its buttons; nothing is saved. */
export type DraftEdit =
  | { kind: "addBand"; item: number }
  | { kind: "removeBand"; item: number; band: number }
  | { kind: "addItem" }
  | { kind: "removeItem"; item: number }
  | { kind: "addMapping" }
  | { kind: "removeMapping"; mapping: number };

const EDIT_INTENT = /^(addBand|removeBand|addItem|removeItem|addMapping|removeMapping)(?::(\d{1,2}))?(?::(\d{1,2}))?$/;

export function editIntent(edit: DraftEdit): string {
  switch (edit.kind) {
    case "addBand":
      return `addBand:${edit.item}`;
    case "removeBand":
      return `removeBand:${edit.item}:${edit.band}`;
    case "removeItem":
      return `removeItem:${edit.item}`;
    case "removeMapping":
      return `removeMapping:${edit.mapping}`;
    default:
      return edit.kind;
  }
}

export function parseEditIntent(intent: string): DraftEdit | null {
  const match = EDIT_INTENT.exec(intent);
  if (!match) return null;
  const [, kind, first, second] = match;
  const a = first === undefined ? null : Number(first);
  const b = second === undefined ? null : Number(second);
  switch (kind) {
    case "addBand":
      return a !== null && b === null ? { kind, item: a } : null;
    case "removeBand":
      return a !== null && b !== null ? { kind, item: a, band: b } : null;
    case "removeItem":
      return a !== null && b === null ? { kind, item: a } : null;
    case "removeMapping":
      return a !== null && b === null ? { kind, mapping: a } : null;
    case "addItem":
    case "addMapping":
      return a === null ? { kind } : null;
    default:
      return null;
  }
}

const NEW_BAND_STEPS: BandDraft["steps"] = ["finance", "deputyGm", "gm"];

/**
 * Applies an add/remove button. A new band goes on top of the item's bands with the top
 * band's chain, for the admin to give it a lower bound (and the band below an upper one);
 * the first work item (the main row) and an item's only band are never removed. Edits past
 * the limits, or naming rows that do not exist, leave the draft as it was.
 */
export function applyDraftEdit(draft: MatrixDraft, edit: DraftEdit): MatrixDraft {
  const workItems = draft.workItems.map((w) => ({ ...w, bands: w.bands.map((b) => ({ ...b, steps: [...b.steps] as BandDraft["steps"] })) }));
  let categoryMap = draft.categoryMap.map((m) => ({ ...m }));
  switch (edit.kind) {
    case "addBand": {
      const item = workItems[edit.item];
      if (!item || item.bands.length >= MAX_BANDS) return draft;
      const top = item.bands[item.bands.length - 1];
      item.bands.push({ overYuan: "", upToYuan: "", steps: top ? [...top.steps] : [...NEW_BAND_STEPS] });
      break;
    }
    case "removeBand": {
      const item = workItems[edit.item];
      if (!item || item.bands.length <= 1 || !item.bands[edit.band]) return draft;
      item.bands.splice(edit.band, 1);
      break;
    }
    case "addItem":
      if (workItems.length >= MAX_WORK_ITEMS) return draft;
      workItems.push({ key: "", name: "", bands: [{ overYuan: "", upToYuan: "", steps: [...NEW_BAND_STEPS] }] });
      break;
    case "removeItem": {
      const item = workItems[edit.item];
      if (edit.item === 0 || !item) return draft;
      workItems.splice(edit.item, 1);
      // A mapping to a removed row would point nowhere; it goes with the row.
      if (item.key !== "") categoryMap = categoryMap.filter((m) => m.workItem !== item.key);
      break;
    }
    case "addMapping":
      if (categoryMap.length >= MAX_MAPPINGS) return draft;
      categoryMap.push({ category: "", workItem: workItems[1]?.key ?? "" });
      break;
    case "removeMapping":
      if (!categoryMap[edit.mapping]) return draft;
      categoryMap.splice(edit.mapping, 1);
      break;
  }
  return { ...draft, workItems, categoryMap };
}

/** `item3` for the third row, or the next free number when that is taken. */
function newKey(index: number, taken: ReadonlySet<string>): string {
  let n = index + 1;
  while (taken.has(`item${n}`)) n += 1;
  return `item${n}`;
}

/**
 * Names the work items added since the last save. Done on the server when a row is added,
 * so the category mapping can point at it before it is saved.
 */
export function assignNewKeys(draft: MatrixDraft): MatrixDraft {
  const taken = new Set(draft.workItems.map((w) => w.key).filter((k) => k !== ""));
  const workItems = draft.workItems.map((w, i) => {
    if (w.key !== "") return w;
    const key = newKey(i, taken);
    taken.add(key);
    return { ...w, key };
  });
  return { ...draft, workItems };
}

/** Why a value could not be read, before any rule of the matrix is checked. */
export type DraftErrorCode = MoneyErrorCode | "nameLength" | "nameInvisible" | "invalidTitle" | "categoryLength" | "duplicateCategory" | "percentRange" | "slaRange" | "invalidForm";

/** A message to show: an input problem or a matrix rule, with values for its text. */
export interface FieldProblem {
  code: DraftErrorCode | MatrixProblemCode;
  params: Record<string, string | number>;
}

export type FieldProblems = Record<string, FieldProblem[]>;

function add(problems: FieldProblems, field: string, problem: FieldProblem): void {
  (problems[field] ??= []).push(problem);
}

function readBound(text: string, field: string, problems: FieldProblems): Fen | null {
  if (text.trim() === "") return null;
  try {
    return parseYuan(text);
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    add(problems, field, { code: error.code, params: {} });
    return null;
  }
}

const PERCENT = /^(100|[1-9]\d?)$/;

/** Reads every value of the draft; each unreadable one is reported beside its field. */
export function matrixFromDraft(draft: MatrixDraft): { ok: true; matrix: AuthorityMatrix } | { ok: false; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const named = assignNewKeys(draft);
  const workItems = named.workItems.map((item, i) => {
    const name = cleanDisplayName(item.name);
    if (name.length === 0 && item.name.trim() !== "") add(problems, fieldName.itemName(i), { code: "nameInvisible", params: {} });
    else if (name.length === 0 || name.length > MAX_NAME_LENGTH) add(problems, fieldName.itemName(i), { code: "nameLength", params: {} });
    const bands: Band[] = item.bands.map((band, b) => ({
      overFen: readBound(band.overYuan, fieldName.bandOver(i, b), problems),
      upToFen: readBound(band.upToYuan, fieldName.bandUpTo(i, b), problems),
      steps: band.steps.map((step, s): ApproverTitle => {
        const title = ApproverTitleSchema.safeParse(step);
        if (title.success) return title.data;
        add(problems, fieldName.bandStep(i, b, s), { code: "invalidTitle", params: {} });
        return "finance";
      }) as Band["steps"],
    }));
    return { key: item.key, name, bands };
  });

  const categoryMap: Record<string, string> = {};
  named.categoryMap.forEach((mapping, j) => {
    const category = mapping.category.trim();
    if (category.length === 0 || category.length > MAX_NAME_LENGTH) add(problems, fieldName.mappingCategory(j), { code: "categoryLength", params: {} });
    else if (Object.hasOwn(categoryMap, category)) add(problems, fieldName.mappingCategory(j), { code: "duplicateCategory", params: { category } });
    else categoryMap[category] = mapping.workItem;
  });

  const percent = draft.changeLimitPercent.normalize("NFKC").trim();
  if (!PERCENT.test(percent)) add(problems, fieldName.changeLimit, { code: "percentRange", params: {} });

  const slaHours = { ...DEFAULT_SLA_HOURS };
  for (const kind of STEP_KINDS) {
    const text = (draft.slaHours[kind] ?? "").normalize("NFKC").trim();
    const hours = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
    if (hours >= 1 && hours <= MAX_SLA_HOURS) slaHours[kind] = hours;
    else add(problems, fieldName.sla(kind), { code: "slaRange", params: { max: MAX_SLA_HOURS } });
  }
  // The default hours are stored as no SLA at all, like every matrix saved before SLAs existed.
  const customSla = STEP_KINDS.some((kind) => slaHours[kind] !== DEFAULT_SLA_HOURS[kind]);

  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const parsed = AuthorityMatrixSchema.safeParse({ workItems, categoryMap, changeLimitPercent: Number(percent), ...(customSla && { slaHours }) });
  // Every field was checked above; what remains is a post no form of ours sends (bad keys, too many rows).
  if (!parsed.success) return { ok: false, problems: { [fieldName.form]: [{ code: "invalidForm", params: {} }] } };
  return { ok: true, matrix: parsed.data };
}

const BAND_PATH = /^workItems\[(\d+)\]\.bands\[(\d+)\]\.(overFen|upToFen|steps\[\d\])$/;
const KEY_PATH = /^workItems\[(\d+)\]\.key$/;

/**
 * Puts each rule problem beside the input it is about. `validateMatrix` names matrix
 * paths; the form's names differ for bounds (typed in yuan) and mappings (indexed rows).
 */
export function problemsByField(problems: readonly MatrixProblem[], draft: MatrixDraft): FieldProblems {
  const out: FieldProblems = {};
  for (const problem of problems) {
    const { code, params } = problem;
    let field: string = fieldName.form;
    let match: RegExpExecArray | null;
    if ((match = BAND_PATH.exec(problem.path))) {
      const [, i, b, part] = match;
      const suffix = part === "overFen" ? "overYuan" : part === "upToFen" ? "upToYuan" : part!;
      field = `workItems[${i}].bands[${b}].${suffix}`;
    } else if ((match = KEY_PATH.exec(problem.path))) {
      field = fieldName.itemName(Number(match[1]));
    } else if (problem.path.startsWith("categoryMap.")) {
      const category = problem.path.slice("categoryMap.".length);
      const j = draft.categoryMap.findIndex((m) => m.category.trim() === category);
      if (j !== -1) field = fieldName.mappingWorkItem(j);
    }
    add(out, field, { code, params });
  }
  return out;
}

/** Problems of a matrix not on the form (restoring the default): one line per distinct fact. */
export function formLevelProblems(problems: readonly MatrixProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const { code, params, path } of problems) {
    const fact = code === "titleNotHeld" ? `${code}:${params.title}` : `${code}:${path}`;
    if (seen.has(fact)) continue;
    seen.add(fact);
    out.push({ code, params });
  }
  return out;
}

export type BandRange =
  | { kind: "any" }
  | { kind: "upTo"; upToFen: Fen }
  | { kind: "over"; overFen: Fen }
  | { kind: "between"; overFen: Fen; upToFen: Fen };

/** How a band reads in the table: "¥50,000.00 以下（含）", "… 以上 – …（含）", "… 以上". */
export function bandRange(band: Pick<Band, "overFen" | "upToFen">): BandRange {
  if (band.overFen === null) return band.upToFen === null ? { kind: "any" } : { kind: "upTo", upToFen: band.upToFen };
  return band.upToFen === null ? { kind: "over", overFen: band.overFen } : { kind: "between", overFen: band.overFen, upToFen: band.upToFen };
}
