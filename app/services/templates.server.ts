import { randomBytes } from "node:crypto";
import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import {
  deleteCustomTemplate,
  findCustomTemplate,
  insertCustomTemplate,
  listCustomTemplates,
  listCustomTemplatesForAdmin,
  setCustomTemplateHidden,
  type CustomTemplateListRow,
} from "../../db/queries/templates";
import type { CustomTemplate } from "../../db/schema";
import { builtInTemplates, findBuiltInTemplate } from "../../templates/index";
import { checkTemplate, TemplateSchema, type Template } from "~/domain/template";

/**
 * The templates a member can start a plan from: the built-ins (templates/*.json) and the
 * workspace's own, saved from plans. A stored template is untrusted on the way out as on
 * the way in: one that no longer passes the schema is skipped and logged, never shown.
 */

export type TemplateOrigin = "builtIn" | "custom";

export interface PickableTemplate {
  template: Template;
  origin: TemplateOrigin;
}

/** Custom ids carry this prefix (the table enforces it), so they never collide with a built-in's. */
export const CUSTOM_TEMPLATE_PREFIX = "custom-";

export function newCustomTemplateId(): string {
  const bytes = randomBytes(12);
  return `${CUSTOM_TEMPLATE_PREFIX}${Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("")}`;
}

/** A stored row's template, or null (logged) when its data no longer passes the schema. */
export function parseStoredTemplate(row: CustomTemplate): Template | null {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    console.warn(`custom template ${row.id} is skipped: its data is not JSON`);
    return null;
  }
  const checked = checkTemplate(data, `custom_templates/${row.id}`);
  if (checked.problem) {
    console.warn(`custom template ${row.id} is skipped: ${checked.problem.issues.map((issue) => `${issue.path || "(template)"}: ${issue.message}`).join("; ")}`);
    return null;
  }
  if (checked.template.id !== row.id) {
    console.warn(`custom template ${row.id} is skipped: its data carries the id ${checked.template.id}`);
    return null;
  }
  return checked.template;
}

/** Built-ins first, in the order templates/index.ts lists them, then visible custom templates, newest first. */
export async function listPickableTemplates(db: Db): Promise<PickableTemplate[]> {
  const custom = (await listCustomTemplates(db, { includeHidden: false })).flatMap((row) => {
    const template = parseStoredTemplate(row);
    return template ? [{ template, origin: "custom" as const }] : [];
  });
  return [...builtInTemplates().map((template) => ({ template, origin: "builtIn" as const })), ...custom];
}

/** A template a member may start a plan from: a built-in, or a custom one that is not hidden. */
export async function findPickableTemplate(db: Db, id: string): Promise<PickableTemplate | undefined> {
  const builtIn = findBuiltInTemplate(id);
  if (builtIn) return { template: builtIn, origin: "builtIn" };
  if (!id.startsWith(CUSTOM_TEMPLATE_PREFIX)) return undefined;
  const row = await findCustomTemplate(db, id);
  const template = row && row.hidden === 0 ? parseStoredTemplate(row) : null;
  return template ? { template, origin: "custom" } : undefined;
}

/** The template a plan was made from, hidden or not: saving the plan as a template keeps its anchor. */
export async function findTemplateForPlan(db: Db, id: string | null): Promise<Template | null> {
  if (id === null) return null;
  const builtIn = findBuiltInTemplate(id);
  if (builtIn) return builtIn;
  const row = id.startsWith(CUSTOM_TEMPLATE_PREFIX) ? await findCustomTemplate(db, id) : undefined;
  return row ? parseStoredTemplate(row) : null;
}

export async function saveCustomTemplate(
  db: Db,
  actorId: number,
  input: { template: Template; sourcePlanId: string | null; keepAmounts: boolean },
  now = Date.now(),
): Promise<void> {
  // Checked again at the edge of the store, whoever built it.
  const template = TemplateSchema.parse(input.template);
  if (!template.id.startsWith(CUSTOM_TEMPLATE_PREFIX)) throw new Error(`custom template ids start with ${CUSTOM_TEMPLATE_PREFIX}, got ${template.id}`);
  await db.transaction().execute(async (trx) => {
    await insertCustomTemplate(trx, {
      id: template.id,
      data: JSON.stringify(template),
      name: template.name,
      campaign_type: template.campaignType,
      source_plan_id: input.sourcePlanId,
      created_by: actorId,
      created_at: now,
      hidden: 0,
    });
    await recordAudit(trx, {
      actorId,
      action: "template.create",
      targetType: "template",
      targetId: template.id,
      detail: { name: template.name, sourcePlanId: input.sourcePlanId, keepAmounts: input.keepAmounts },
      at: now,
    });
  });
}

/** Hides or shows a custom template; false when there is no such template. */
export async function setTemplateHidden(db: Db, actorId: number, id: string, hidden: boolean, now = Date.now()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await setCustomTemplateHidden(trx, id, hidden);
    if (changed) await recordAudit(trx, { actorId, action: hidden ? "template.hide" : "template.show", targetType: "template", targetId: id, at: now });
    return changed;
  });
}

/** Deletes a custom template; plans made from it keep their content. False when there is no such template. */
export async function removeCustomTemplate(db: Db, actorId: number, id: string, now = Date.now()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await findCustomTemplate(trx, id);
    if (!row) return false;
    await deleteCustomTemplate(trx, id);
    await recordAudit(trx, { actorId, action: "template.delete", targetType: "template", targetId: id, detail: { name: row.name }, at: now });
    return true;
  });
}

export interface AdminTemplateRow {
  row: CustomTemplateListRow;
  /** False for a stored template that no longer passes the schema: never offered, only deletable. */
  valid: boolean;
}

export async function listTemplatesForAdmin(db: Db): Promise<AdminTemplateRow[]> {
  return (await listCustomTemplatesForAdmin(db)).map((row) => ({ row, valid: parseStoredTemplate(row) !== null }));
}

