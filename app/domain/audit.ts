import { z } from "zod";
import { daysBetween, isIsoDate } from "./calendar";

/** Entries per page of the admin audit log. */
export const AUDIT_PAGE_SIZE = 50;

const DAY_MS = 24 * 60 * 60 * 1000;
/** China has kept UTC+8 all year since 1991, so a day there starts at 16:00 UTC the day before. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The instant a calendar day (YYYY-MM-DD, checked by the caller) begins in China. */
export function chinaDayStartMs(iso: string): number {
  return daysBetween("1970-01-01", iso) * DAY_MS - CHINA_OFFSET_MS;
}

/** "plan." selects every plan action; anything else is one action exactly. */
export type AuditActionFilter = { kind: "exact"; action: string } | { kind: "prefix"; prefix: string };

export interface AuditFilter {
  actorId?: number;
  action?: AuditActionFilter;
  targetType?: string;
  targetId?: string;
  /** Inclusive: the start of the `from` day in China. */
  fromMs?: number;
  /** Exclusive: the start of the day after the `to` day in China. */
  toMs?: number;
}

/** A position in the newest-first order: entries sort by time, then by id. */
export interface AuditCursor {
  at: number;
  id: number;
}

/** Where a page starts: the newest entries, those older than a cursor, or those newer than one. */
export type AuditPosition = { kind: "newest" } | { kind: "before"; cursor: AuditCursor } | { kind: "after"; cursor: AuditCursor };

export const AUDIT_FILTER_FIELDS = ["actor", "action", "targetType", "targetId", "from", "to"] as const;
export type AuditFilterField = (typeof AUDIT_FILTER_FIELDS)[number];
export type AuditFilterError = "invalidActor" | "invalidAction" | "invalidTargetType" | "targetIdLength" | "invalidDate" | "rangeOrder";

export interface AuditQuery {
  /** The submitted values, trimmed, for the form to show back. */
  values: Record<AuditFilterField, string>;
  errors: Partial<Record<AuditFilterField, AuditFilterError>>;
  /** null when any value is bad: the page then lists nothing rather than a misleading subset. */
  filter: AuditFilter | null;
  position: AuditPosition;
}

const ActorSchema = z.string().regex(/^[1-9]\d{0,9}$/, { error: "invalidActor" }).transform(Number);
// Action strings are dotted camelCase words ("plan.member.set"); a trailing dot asks for the whole group.
const ActionSchema = z
  .string()
  .max(64, { error: "invalidAction" })
  .regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*\.?$/, { error: "invalidAction" })
  .transform((value): AuditActionFilter => (value.endsWith(".") ? { kind: "prefix", prefix: value } : { kind: "exact", action: value }));
const TargetTypeSchema = z.string().max(32, { error: "invalidTargetType" }).regex(/^[a-z][A-Za-z0-9]*$/, { error: "invalidTargetType" });
const TargetIdSchema = z.string().max(64, { error: "targetIdLength" });
const DaySchema = z.string().refine(isIsoDate, { error: "invalidDate" });

const CURSOR = /^(\d{1,15})-(\d{1,15})$/;

export function formatAuditCursor(cursor: AuditCursor): string {
  return `${cursor.at}-${cursor.id}`;
}

/** A cursor from a pager link; a mangled one is dropped and the page starts at the newest. */
export function parseAuditCursor(value: string | null): AuditCursor | null {
  const match = value === null ? null : CURSOR.exec(value);
  return match ? { at: Number(match[1]), id: Number(match[2]) } : null;
}

/** Reads the viewer's query string: each bad value gets its own error code, and then nothing is listed. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const values = Object.fromEntries(AUDIT_FILTER_FIELDS.map((field) => [field, (params.get(field) ?? "").trim()])) as Record<AuditFilterField, string>;
  const errors: AuditQuery["errors"] = {};
  const filter: AuditFilter = {};

  function check<T>(field: AuditFilterField, schema: z.ZodType<T, string>): T | undefined {
    if (values[field] === "") return undefined;
    const parsed = schema.safeParse(values[field]);
    if (parsed.success) return parsed.data;
    errors[field] = parsed.error.issues[0]?.message as AuditFilterError;
    return undefined;
  }

  filter.actorId = check("actor", ActorSchema);
  filter.action = check("action", ActionSchema);
  filter.targetType = check("targetType", TargetTypeSchema);
  filter.targetId = check("targetId", TargetIdSchema);
  const from = check("from", DaySchema);
  const to = check("to", DaySchema);
  if (from !== undefined && to !== undefined && to < from) errors.to = "rangeOrder";
  if (from !== undefined) filter.fromMs = chinaDayStartMs(from);
  if (to !== undefined) filter.toMs = chinaDayStartMs(to) + DAY_MS;

  const before = parseAuditCursor(params.get("before"));
  const after = parseAuditCursor(params.get("after"));
  const position: AuditPosition = before ? { kind: "before", cursor: before } : after ? { kind: "after", cursor: after } : { kind: "newest" };

  const clean = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as AuditFilter;
  return { values, errors, filter: Object.keys(errors).length > 0 ? null : clean, position };
}

/** The group part of an action ("plan.member.set" → "plan."), as the action filter takes it. */
export function actionGroupOf(action: string): string {
  const dot = action.indexOf(".");
  return dot === -1 ? `${action}.` : action.slice(0, dot + 1);
}

export type DetailScalar = string | number | boolean | null;
/** A list of plain values stays a list, so each item can be shown by its kind (an approval chain's titles). */
export type DetailValue = DetailScalar | DetailScalar[];
/** One readable fact of an entry's detail: a value, or a change from one value to another. */
export type AuditDetailEntry = { key: string; value: DetailValue } | { key: string; from: DetailValue; to: DetailValue };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is DetailScalar {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function valueOf(value: unknown): DetailValue {
  if (value === undefined) return null;
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  return JSON.stringify(value);
}

function flatten(value: unknown, key: string, out: AuditDetailEntry[]): void {
  if (!isRecord(value)) {
    out.push({ key, value: valueOf(value) });
    return;
  }
  for (const [name, inner] of Object.entries(value)) flatten(inner, key === "" ? name : `${key}.${name}`, out);
}

/**
 * An entry's JSON detail as flat key/value facts, nested keys joined with dots. A `from`/`to`
 * pair of objects (an edit) becomes one change per key that differs, so the reader sees what
 * changed instead of two full copies. Text that is not JSON is shown as it is.
 */
export function auditDetailEntries(detail: string): AuditDetailEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail.trim() === "" ? [] : [{ key: "", value: detail }];
  }
  if (!isRecord(parsed)) return [{ key: "", value: valueOf(parsed) }];

  const { from, to } = parsed;
  const isEdit = isRecord(from) && isRecord(to);
  const out: AuditDetailEntry[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (isEdit && key === "to") continue;
    if (isEdit && key === "from") {
      const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
      for (const name of keys) {
        if (JSON.stringify(from[name] ?? null) !== JSON.stringify(to[name] ?? null)) out.push({ key: name, from: valueOf(from[name]), to: valueOf(to[name]) });
      }
      continue;
    }
    flatten(value, key, out);
  }
  return out;
}

/**
 * Every action the app records: its target type and the detail keys it writes, as
 * auditDetailEntries yields them (nested keys dotted, an edit's from/to as the keys inside).
 * The viewer labels each action, target and key in both languages; app/i18n/audit-labels.test.ts
 * fails when the code records an action missing here or a label is missing, and
 * tests/integration/audit-labels.test.ts when a recorded entry has a key missing here.
 * `workItems`: the authority matrix's rows, keyed by each work item's own key.
 */
export const AUDIT_ACTIONS = {
  "plan.create": { target: "plan", keys: ["title", "templateId", "anchor"] },
  "plan.archive": { target: "plan", keys: ["from"] },
  "plan.member.set": { target: "plan", keys: ["userId", "access"] },
  "plan.member.remove": { target: "plan", keys: ["userId"] },
  "plan.version.name": { target: "plan", keys: ["version", "name"] },
  "plan.version.restore": { target: "plan", keys: ["version", "restoredFrom", "budgetKept"] },
  "plan.export": { target: "plan", keys: ["revision", "revisionNumber"] },
  "plan.review.generate": { target: "plan", keys: ["dataSectionId", "notesSectionId", "notesCreated", "basis.kind", "basis.revisionNumber", "kpiResults"] },
  "plan.viewersMayComment": { target: "plan", keys: ["viewersMayComment"] },
  "plan.task.done": { target: "plan", keys: ["task"] },
  "plan.task.reopen": { target: "plan", keys: ["task"] },
  "template.create": { target: "template", keys: ["name", "sourcePlanId", "keepAmounts"] },
  "template.hide": { target: "template", keys: [] },
  "template.show": { target: "template", keys: [] },
  "template.delete": { target: "template", keys: ["name"] },
  "member.create": { target: "member", keys: ["username", "role", "title"] },
  "member.update": { target: "member", keys: ["name", "role", "title", "passwordReset"] },
  "member.deactivate": { target: "member", keys: [] },
  "member.reactivate": { target: "member", keys: [] },
  "approval.submit": { target: "plan", keys: ["revision", "spendFen", "netFen", "lines", "chain"] },
  "approval.withdraw": { target: "plan", keys: ["revision", "reason"] },
  "approval.decide": { target: "plan", keys: ["revision", "step", "steps", "decision", "comment", "outcome"] },
  "approval.reopen": { target: "plan", keys: ["revision", "reason"] },
  "approval.delegate": { target: "plan", keys: ["revision", "step", "fromUserId", "toUserId", "reason"] },
  "authority.update": { target: "authorityMatrix", keys: ["categoryMap", "changeLimitPercent", "slaHours"], workItems: true },
  "authority.reset": { target: "authorityMatrix", keys: ["categoryMap", "changeLimitPercent", "slaHours"], workItems: true },
  "actual.create": { target: "plan", keys: ["entryId", "item", "lineId", "spentOn", "amountFen", "vendor", "invoiceNo", "note"] },
  "actual.update": { target: "plan", keys: ["entryId", "item", "lineId", "spentOn", "amountFen", "vendor", "invoiceNo", "note"] },
  "actual.delete": { target: "plan", keys: ["entryId", "lineId", "spentOn", "amountFen", "vendor", "invoiceNo", "note", "source", "createdBy"] },
  "actual.attachment.add": { target: "plan", keys: ["entryId", "attachmentId", "fileName", "mediaType", "sizeBytes"] },
  "actual.attachment.delete": { target: "plan", keys: ["entryId", "attachmentId", "fileName", "mediaType", "sizeBytes"] },
  "actuals.import": { target: "plan", keys: ["rows", "totalFen", "created", "updated", "unchanged"] },
  "kpi.result": { target: "plan", keys: ["kpiId", "name", "actual", "note"] },
  "holidays.update": { target: "holidays", keys: ["holidays", "workdays"] },
  "comment.resolve": { target: "plan", keys: ["threadId", "quote"] },
  "comment.reopen": { target: "plan", keys: ["threadId", "quote"] },
  "comment.delete": { target: "plan", keys: ["threadId", "commentId", "authorId"] },
  "outbound.channel.create": { target: "notificationChannel", keys: ["name", "kind"] },
  "outbound.channel.update": { target: "notificationChannel", keys: ["name", "kind", "enabled"] },
  "outbound.channel.delete": { target: "notificationChannel", keys: [] },
  "outbound.smtp.update": { target: "smtp", keys: ["host", "port"] },
} as const satisfies Record<string, { target: string; keys: readonly string[]; workItems?: true }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, action);
}

/** A detail key no label names: an action the registry does not know, or a key it does not list. */
export function unknownDetailKeys(action: string, keys: readonly string[]): string[] {
  if (!isAuditAction(action)) return [...keys];
  const known: { keys: readonly string[]; workItems?: true } = AUDIT_ACTIONS[action];
  return keys.filter((key) => !known.keys.includes(key) && !(known.workItems && isWorkItemKey(key)));
}

/** The authority matrix's work item keys (app/domain/approval.ts WorkItemSchema). */
function isWorkItemKey(key: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/.test(key);
}

/** How the viewer shows a detail value: as one of the app's named things, or as text. */
export type DetailValueKind =
  | "text"
  | "role"
  | "approverTitle"
  | "access"
  | "status"
  | "member"
  | "template"
  | "plan"
  | "money"
  | "approvalStep"
  | "decision"
  | "revisionStatus"
  | "date"
  | "budgetBasis"
  | "withdrawReason"
  | "actualSource"
  | "channelKind"
  | "workItem";

const VALUE_KINDS: Readonly<Record<string, DetailValueKind>> = {
  "member:role": "role",
  "member:title": "approverTitle",
  "plan:access": "access",
  "plan:userId": "member",
  "plan:from": "status",
  "plan:templateId": "template",
  "template:sourcePlanId": "plan",
  "plan:chain": "approverTitle",
  "plan:step": "approvalStep",
  "plan:steps": "approvalStep",
  "plan:decision": "decision",
  "plan:outcome": "revisionStatus",
  "plan:fromUserId": "member",
  "plan:toUserId": "member",
  "plan:authorId": "member",
  "plan:createdBy": "member",
  "plan:anchor": "date",
  "plan:spentOn": "date",
  "plan:source": "actualSource",
  "plan:basis.kind": "budgetBasis",
  "holidays:holidays": "date",
  "holidays:workdays": "date",
  "notificationChannel:kind": "channelKind",
};

/** Where one action's key means something else than the same key elsewhere on its target. */
const ACTION_VALUE_KINDS: Readonly<Record<string, DetailValueKind>> = {
  "approval.withdraw:reason": "withdrawReason",
  "plan.export:revision": "budgetBasis",
};

const FIXED_AUTHORITY_KEYS: readonly string[] = AUDIT_ACTIONS["authority.update"].keys;

/** The kind of a detail value, by the entry's action, target type and the value's key; amounts are the keys ending in Fen. */
export function detailValueKind(targetType: string, key: string, action = ""): DetailValueKind {
  const known = ACTION_VALUE_KINDS[`${action}:${key}`] ?? VALUE_KINDS[`${targetType}:${key}`];
  if (known) return known;
  if (targetType === "authorityMatrix" && !FIXED_AUTHORITY_KEYS.includes(key)) return "workItem";
  return /(^|\.)[a-z][A-Za-z]*Fen$/.test(key) ? "money" : "text";
}

/** One band of an authority matrix row as the audit log stores it: amounts in yuan, step titles by code. */
export interface WorkItemBand {
  overYuan: string;
  upToYuan: string | null;
  steps: string[];
}

/**
 * Reads the text the authority service records for a matrix row ("活动预算: 0–50000.00 finance>gm; 50000.00– finance>gm>chairman")
 * back into its parts, so the viewer can show amounts as money and titles in the member's language. Null when it is not that shape.
 */
export function parseWorkItemSummary(text: string): { name: string; bands: WorkItemBand[] } | null {
  const colon = text.indexOf(": ");
  if (colon <= 0) return null;
  const bands: WorkItemBand[] = [];
  for (const part of text.slice(colon + 2).split("; ")) {
    const match = /^(\d+(?:\.\d{1,2})?)–(\d+(?:\.\d{1,2})?)? ([A-Za-z>]+)$/.exec(part);
    if (!match) return null;
    bands.push({ overYuan: match[1]!, upToYuan: match[2] ?? null, steps: match[3]!.split(">") });
  }
  return { name: text.slice(0, colon), bands };
}
