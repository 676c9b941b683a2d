// Stays whole (over 400 lines): the schema, loading and placing of a template share its types and anchor rules; most of the length is the zod schema.
import { z } from "zod";
import { addDays, FESTIVAL_KEYS, festivalDate, fixedDate, isIsoDate, isMonthDay, MAX_YEAR, MIN_YEAR } from "./calendar";
import { CAMPAIGN_TYPES, type CampaignType } from "./plan";
import { PHASES, SECTION_KINDS, type Phase, type SectionSeed } from "./plan-document";

/**
 * Plan templates: the data a new plan starts from (sections with starter text, a
 * timeline relative to an anchor date, roles, budget lines, KPIs). Templates are plain
 * data (templates/*.json), validated here; instantiating one for a year or a picked date
 * turns offsets into calendar dates. Pure: no I/O, no clock.
 *
 * Money stays text here ("50", "0.15", null = 待定): the money module turns it into fen,
 * with the one rounding rule, when a plan is seeded.
 */

/** The timeline's phases belong to the plan document; templates use the same ones. */
export { PHASES, type Phase };

/** Offsets are days from the anchor; a year either way covers every plan in the seeds. */
export const MAX_OFFSET_DAYS = 366;

// ---------------------------------------------------------------------------------------
// Field helpers: every message names its field, so a template author knows what to fix.

function describeInput(input: unknown): string {
  if (input === undefined) return "missing";
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  return `a ${typeof input}`;
}

function text(field: string, max = 200) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text, got ${describeInput(issue.input)}`) })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` });
}

function optionalText(field: string, max = 500) {
  return z
    .string({ error: (issue) => `${field} must be text, got ${describeInput(issue.input)}` })
    .trim()
    .max(max, { error: `${field} must be at most ${max} characters` })
    .optional();
}

/**
 * A unit ("张", "人"): may be empty, because a plan saved as a template may have a line
 * without one, and an approved plan's budget cannot be changed just to fill it in.
 */
function unitText(field: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text, got ${describeInput(issue.input)}`) })
    .trim()
    .max(10, { error: `${field} must be at most 10 characters` });
}

function list<T extends z.ZodType>(field: string, item: T) {
  return z.array(item, { error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a list, got ${describeInput(issue.input)}`) });
}

function object<S extends z.core.$ZodLooseShape>(field: string, shape: S) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return `${field} has unknown field(s): ${issue.keys.join(", ")}`;
      return issue.input === undefined ? `${field} is required` : `${field} must be an object, got ${describeInput(issue.input)}`;
    },
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be one of ${values.join(", ")}, got ${JSON.stringify(issue.input)}`),
  });
}

function integer(field: string, min: number, max: number) {
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a whole number, got ${describeInput(issue.input)}`) })
    .int({ error: `${field} must be a whole number` })
    .min(min, { error: `${field} must be at least ${min}` })
    .max(max, { error: `${field} must be at most ${max}` });
}

/**
 * Canonical non-negative decimal text with at most 2 decimals and below 1,000,000,000:
 * "50", "0.15", "2.5" (no grouping, no full-width digits, no floats, no "1e3"), so that
 * the budget parser takes every template value as it is.
 */
const DECIMAL_2 = /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/;
/** Decimal text for KPI targets, up to 4 decimals: "95", "0.5", "12.3456". */
const DECIMAL_4 = /^-?(0|[1-9]\d{0,14})(\.\d{1,4})?$/;

function decimalText(field: string, pattern: RegExp, rule: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${field} is required`
          : typeof issue.input === "number"
            ? `${field} must be decimal text such as "${issue.input}" (a string), not a number`
            : `${field} must be ${rule}, got ${describeInput(issue.input)}`,
    })
    .regex(pattern, { error: (issue) => `${field} must be ${rule}, got ${JSON.stringify(issue.input)}` });
}

// ---------------------------------------------------------------------------------------
// Schema

const TEMPLATE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const FixedAnchorSchema = object("anchor", {
  kind: z.literal("fixed"),
  monthDay: text("anchor.monthDay", 5).refine(isMonthDay, { error: (issue) => `anchor.monthDay must be MM-DD of a day every year has (not 02-29), got ${JSON.stringify(issue.input)}` }),
});
const LunarAnchorSchema = object("anchor", { kind: z.literal("lunar"), festival: oneOf("anchor.festival", FESTIVAL_KEYS) });

export const AnchorSchema = z.discriminatedUnion(
  "kind",
  [
    FixedAnchorSchema,
    LunarAnchorSchema,
    /** A date the planner picks when creating the plan (开业日). */
    object("anchor", { kind: z.literal("pick"), label: text("anchor.label", 20) }),
  ],
  { error: (issue) => (issue.input === undefined ? "anchor is required" : `anchor.kind must be one of fixed, lunar, pick`) },
);
export type TemplateAnchor = z.infer<typeof AnchorSchema>;

/**
 * A task's own anchor, for templates that span a year of festivals (a bank's 端午, 中秋,
 * 重阳 … move on the Gregorian calendar independently of each other). It falls in the
 * plan's year; a second picked date would be a second question to the planner, so no pick.
 */
const TaskAnchorSchema = z.discriminatedUnion("kind", [FixedAnchorSchema, LunarAnchorSchema], {
  error: (issue) => {
    if (typeof issue.input !== "object" || issue.input === null || Array.isArray(issue.input)) return `anchor must be an object such as {"kind":"lunar","festival":"zhongqiu"}, got ${describeInput(issue.input)}`;
    return "anchor.kind must be one of fixed, lunar (a task cannot anchor on a picked date)";
  },
});
export type TemplateTaskAnchor = z.infer<typeof TaskAnchorSchema>;

const TaskSchema = object("task", {
  task: text("task", 200),
  /** Where the offsets count from instead of the template's anchor. */
  anchor: TaskAnchorSchema.optional(),
  /** Days from the anchor date (the task's own, when it has one); negative is before it. */
  offsetStart: integer("offsetStart", -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS),
  offsetEnd: integer("offsetEnd", -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS),
  /**
   * When given, must name a role of the template. A task may have none: a plan saved as a
   * template keeps roles, not the people its tasks were given to.
   */
  ownerRole: text("ownerRole", 40).optional(),
}).refine((task) => task.offsetEnd >= task.offsetStart, {
  path: ["offsetEnd"],
  error: "offsetEnd must not be before offsetStart",
});
export type TemplateTask = z.infer<typeof TaskSchema>;

const PhaseSchema = object("phase", {
  phase: oneOf("phase", PHASES),
  /** A heading of the source's own, shown instead of the standard phase name (e.g. 第一阶段：年终回馈). */
  label: optionalText("label", 40),
  tasks: list("tasks", TaskSchema).min(1, { error: "tasks must list at least one task" }),
});
export type TemplatePhase = z.infer<typeof PhaseSchema>;

const STRUCTURED_KINDS = SECTION_KINDS.filter((kind) => kind !== "richText") as ["timeline", "roles", "budget", "kpis"];

const SectionSchema = z.discriminatedUnion(
  "kind",
  [
    object("section", {
      heading: text("heading", 40),
      kind: z.literal("richText"),
      /** Starter text; none leaves a heading for the planner to fill in, as a blank plan's sections are. */
      paragraphs: list("paragraphs", text("paragraph", 2000)),
    }),
    /** A structured block: the plan shows its timeline / roles / budget / kpis root here. */
    object("section", { heading: text("heading", 40), kind: z.enum(STRUCTURED_KINDS) }),
  ],
  { error: (issue) => (issue.input === undefined ? "section is required" : `kind must be one of ${SECTION_KINDS.join(", ")}`) },
);
export type TemplateSection = z.infer<typeof SectionSchema>;

const RoleSchema = object("role", {
  role: text("role", 40),
  duties: text("duties", 500),
  /** How many people, when the source says. */
  count: integer("count", 1, 10_000).optional(),
});
export type TemplateRole = z.infer<typeof RoleSchema>;

const BudgetLineSchema = object("budget line", {
  category: text("category", 40),
  item: text("item", 100),
  quantity: decimalText("quantity", DECIMAL_2, "decimal text with at most 2 decimals, such as \"50\" or \"2.5\"").refine((value) => !/^0(\.0+)?$/.test(value), {
    error: "quantity must be more than 0",
  }),
  unit: unitText("unit"),
  /** Yuan per unit as text ("0.15"); null = 待定 (to be decided). */
  unitPrice: decimalText("unitPrice", DECIMAL_2, "yuan as decimal text with at most 2 decimals, such as \"60\" or \"0.15\", or null for 待定").nullable(),
  /** Income (e.g. supplier fees) rather than spend. */
  income: z.boolean({ error: (issue) => (issue.input === undefined ? "income is required" : `income must be true or false, got ${describeInput(issue.input)}`) }),
  ownerRole: text("ownerRole", 40).optional(),
  note: optionalText("note", 500),
});
export type TemplateBudgetLine = z.infer<typeof BudgetLineSchema>;

const KpiSchema = object("kpi", {
  name: text("name", 60),
  unit: unitText("unit"),
  /** Decimal text; null = 待定, for the planner to set (the sources rarely give numbers). */
  target: decimalText("target", DECIMAL_4, "decimal text with at most 4 decimals, such as \"150\" or \"99.5\", or null for 待定").nullable(),
  direction: oneOf("direction", ["up", "down"]),
  notes: optionalText("notes", 500),
});
export type TemplateKpi = z.infer<typeof KpiSchema>;

export const TemplateSchema = object("template", {
  id: text("id", 64).regex(TEMPLATE_ID, { error: (issue) => `id must be kebab-case (a-z, 0-9, single dashes), got ${JSON.stringify(issue.input)}` }),
  name: text("name", 80),
  /**
   * What the template is for, in one line: the template card shows it. Optional so custom
   * templates saved before it existed still load; every built-in one has it (template.test.ts).
   */
  purpose: optionalText("purpose", 60),
  campaignType: oneOf("campaignType", CAMPAIGN_TYPES),
  description: text("description", 1000),
  /** Where the template comes from: seed file and piece, e.g. "000 篇13". */
  source: text("source", 120),
  anchor: AnchorSchema,
  phases: list("phases", PhaseSchema).min(1, { error: "phases must list at least one phase" }),
  sections: list("sections", SectionSchema).min(1, { error: "sections must list at least one section" }),
  roles: list("roles", RoleSchema),
  budget: list("budget", BudgetLineSchema),
  kpis: list("kpis", KpiSchema),
}).superRefine((template, ctx) => {
  let previous = -1;
  template.phases.forEach((phase, index) => {
    const order = PHASES.indexOf(phase.phase);
    if (order <= previous) {
      ctx.addIssue({
        code: "custom",
        path: ["phases", index, "phase"],
        message: `phases must run in the order ${PHASES.join(" → ")}, each at most once; "${phase.phase}" is out of order`,
      });
    }
    previous = Math.max(previous, order);
  });

  const roles = new Set<string>();
  template.roles.forEach((role, index) => {
    if (roles.has(role.role)) ctx.addIssue({ code: "custom", path: ["roles", index, "role"], message: `role "${role.role}" is listed twice` });
    roles.add(role.role);
  });
  const knownRole = (owner: string, path: (string | number)[]) => {
    if (!roles.has(owner)) ctx.addIssue({ code: "custom", path, message: `ownerRole "${owner}" is not one of the template's roles` });
  };
  template.phases.forEach((phase, p) =>
    phase.tasks.forEach((task, t) => {
      if (task.ownerRole !== undefined) knownRole(task.ownerRole, ["phases", p, "tasks", t, "ownerRole"]);
    }),
  );
  template.budget.forEach((line, index) => {
    if (line.ownerRole !== undefined) knownRole(line.ownerRole, ["budget", index, "ownerRole"]);
  });

  const headings = new Set<string>();
  template.sections.forEach((section, index) => {
    if (headings.has(section.heading)) ctx.addIssue({ code: "custom", path: ["sections", index, "heading"], message: `heading "${section.heading}" is used twice` });
    headings.add(section.heading);
  });
});
export type Template = z.infer<typeof TemplateSchema>;

// ---------------------------------------------------------------------------------------
// Loading

export interface TemplateIssue {
  /** Where in the template: "budget[3].quantity". */
  path: string;
  message: string;
}

export interface TemplateProblem {
  file: string;
  /** The template's id when it has a readable one. */
  id: string | null;
  issues: TemplateIssue[];
}

export class TemplateLoadError extends Error {
  override name = "TemplateLoadError";
  constructor(readonly problems: readonly TemplateProblem[]) {
    super(
      problems
        .map((problem) => {
          const who = problem.id === null ? `Template in ${problem.file}` : `Template "${problem.id}" (${problem.file})`;
          return `${who} is invalid:\n${problem.issues.map((issue) => `  - ${issue.path || "(template)"}: ${issue.message}`).join("\n")}`;
        })
        .join("\n"),
    );
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function readableId(data: unknown): string | null {
  if (typeof data !== "object" || data === null || !("id" in data)) return null;
  const id = data.id;
  return typeof id === "string" && id.trim() !== "" ? id : null;
}

/** Validates one template; `problem` is null when it is valid. */
export function checkTemplate(data: unknown, file: string): { template: Template; problem: null } | { template: null; problem: TemplateProblem } {
  const parsed = TemplateSchema.safeParse(data);
  if (parsed.success) return { template: parsed.data, problem: null };
  return {
    template: null,
    problem: { file, id: readableId(data), issues: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })) },
  };
}

/**
 * Validates every template in `modules` (file name → parsed JSON, in the order given) and
 * returns them; throws one TemplateLoadError naming each bad template, its file and the
 * path of every problem. Template ids must be unique.
 */
export function loadTemplates(modules: Readonly<Record<string, unknown>>): Template[] {
  const templates: Template[] = [];
  const problems: TemplateProblem[] = [];
  const files = new Map<string, string>();
  for (const [file, data] of Object.entries(modules)) {
    const checked = checkTemplate(data, file);
    if (checked.problem) {
      problems.push(checked.problem);
      continue;
    }
    const other = files.get(checked.template.id);
    if (other !== undefined) {
      problems.push({ file, id: checked.template.id, issues: [{ path: "id", message: `id "${checked.template.id}" is already used by ${other}` }] });
      continue;
    }
    files.set(checked.template.id, file);
    templates.push(checked.template);
  }
  if (problems.length > 0) throw new TemplateLoadError(problems);
  return templates;
}

// ---------------------------------------------------------------------------------------
// Instantiation

export interface TimelineRow {
  phase: Phase;
  /** The phase heading from the source, when it has one of its own. */
  phaseLabel: string | null;
  task: string;
  start: string;
  end: string;
  ownerRole: string;
}

export interface RoleRow {
  role: string;
  duties: string;
  count: number | null;
}

export interface BudgetRow {
  category: string;
  item: string;
  quantity: string;
  unit: string;
  /** Yuan text; null = 待定. */
  unitPrice: string | null;
  income: boolean;
  ownerRole: string | null;
  note: string;
}

export interface KpiRow {
  name: string;
  unit: string;
  /** Decimal text; null = 待定. */
  target: string | null;
  direction: "up" | "down";
  notes: string;
}

export interface TemplateInstance {
  templateId: string;
  name: string;
  campaignType: CampaignType;
  /** The resolved anchor date (活动基准日). */
  anchor: string;
  /** Earliest task start and latest task end. */
  startDate: string;
  endDate: string;
  sections: SectionSeed[];
  timeline: TimelineRow[];
  roles: RoleRow[];
  budget: BudgetRow[];
  kpis: KpiRow[];
}

export interface InstantiateInput {
  /** For fixed and lunar anchors: the (lunar) year of the campaign. */
  year?: number;
  /** For pick anchors: the date the planner picked, YYYY-MM-DD. */
  anchorDate?: string;
}

export type InstantiateErrorCode = "yearRequired" | "invalidYear" | "anchorDateRequired" | "invalidDate" | "anchorDateNotAllowed" | "yearNotAllowed";

export class TemplateInstantiationError extends Error {
  override name = "TemplateInstantiationError";
  constructor(
    readonly code: InstantiateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The anchor date of `template` for `input`; errors say which input is missing or wrong. */
export function resolveAnchor(template: Pick<Template, "id" | "anchor">, input: InstantiateInput): string {
  const { anchor } = template;
  if (anchor.kind === "pick") {
    if (input.year !== undefined) {
      throw new TemplateInstantiationError("yearNotAllowed", `template "${template.id}" is anchored on a picked date (${anchor.label}): give anchorDate, not year`);
    }
    if (input.anchorDate === undefined) {
      throw new TemplateInstantiationError("anchorDateRequired", `template "${template.id}" needs anchorDate: the ${anchor.label} as YYYY-MM-DD`);
    }
    if (!isIsoDate(input.anchorDate)) {
      throw new TemplateInstantiationError("invalidDate", `anchorDate must be a calendar date YYYY-MM-DD, got ${JSON.stringify(input.anchorDate)}`);
    }
    return input.anchorDate;
  }
  if (input.anchorDate !== undefined) {
    throw new TemplateInstantiationError("anchorDateNotAllowed", `template "${template.id}" is anchored on ${anchor.kind === "fixed" ? anchor.monthDay : anchor.festival}: give year, not anchorDate`);
  }
  if (input.year === undefined) {
    throw new TemplateInstantiationError("yearRequired", `template "${template.id}" needs year to place its ${anchor.kind === "fixed" ? anchor.monthDay : anchor.festival} anchor`);
  }
  if (!Number.isInteger(input.year) || input.year < MIN_YEAR || input.year > MAX_YEAR) {
    throw new TemplateInstantiationError("invalidYear", `year must be a whole number from ${MIN_YEAR} to ${MAX_YEAR}, got ${input.year}`);
  }
  return anchor.kind === "fixed" ? fixedDate(anchor.monthDay, input.year) : festivalDate(anchor.festival, input.year);
}

/** Places a validated template on the calendar: the starting content of a new plan. */
export function instantiateTemplate(template: Template, input: InstantiateInput): TemplateInstance {
  const anchor = resolveAnchor(template, input);
  // A task's own anchor falls in the plan's year: the year asked for, or the picked date's.
  const year = input.year ?? Number(anchor.slice(0, 4));
  const taskAnchor = (task: TemplateTask): string => {
    if (task.anchor === undefined) return anchor;
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new TemplateInstantiationError("invalidDate", `anchorDate must fall in the years ${MIN_YEAR} to ${MAX_YEAR} to place tasks on their festivals, got ${anchor}`);
    }
    return task.anchor.kind === "fixed" ? fixedDate(task.anchor.monthDay, year) : festivalDate(task.anchor.festival, year);
  };
  const timeline: TimelineRow[] = template.phases.flatMap((phase) =>
    phase.tasks.map((task) => {
      const from = taskAnchor(task);
      return {
        phase: phase.phase,
        phaseLabel: phase.label ?? null,
        task: task.task,
        start: addDays(from, task.offsetStart),
        end: addDays(from, task.offsetEnd),
        ownerRole: task.ownerRole ?? "",
      };
    }),
  );
  // ISO dates sort as text; the schema guarantees at least one task.
  const startDate = timeline.reduce((min, row) => (row.start < min ? row.start : min), timeline[0]?.start ?? anchor);
  const endDate = timeline.reduce((max, row) => (row.end > max ? row.end : max), timeline[0]?.end ?? anchor);
  return {
    templateId: template.id,
    name: template.name,
    campaignType: template.campaignType,
    anchor,
    startDate,
    endDate,
    sections: template.sections.map((section): SectionSeed =>
      section.kind === "richText" ? { heading: section.heading, kind: "richText", paragraphs: [...section.paragraphs] } : { heading: section.heading, kind: section.kind },
    ),
    timeline,
    roles: template.roles.map((role) => ({ role: role.role, duties: role.duties, count: role.count ?? null })),
    budget: template.budget.map((line) => ({
      category: line.category,
      item: line.item,
      quantity: line.quantity,
      unit: line.unit,
      unitPrice: line.unitPrice,
      income: line.income,
      ownerRole: line.ownerRole ?? null,
      note: line.note ?? "",
    })),
    kpis: template.kpis.map((kpi) => ({ name: kpi.name, unit: kpi.unit, target: kpi.target, direction: kpi.direction, notes: kpi.notes ?? "" })),
  };
}
