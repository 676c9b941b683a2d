import type { CustomTemplate } from "../schema";
import type { DbOrTx } from "./users";

export async function insertCustomTemplate(db: DbOrTx, template: CustomTemplate): Promise<void> {
  await db.insertInto("custom_templates").values(template).execute();
}

export function findCustomTemplate(db: DbOrTx, id: string): Promise<CustomTemplate | undefined> {
  return db.selectFrom("custom_templates").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Newest first; hidden ones only when asked (the admin list). */
export function listCustomTemplates(db: DbOrTx, options: { includeHidden: boolean }): Promise<CustomTemplate[]> {
  let query = db.selectFrom("custom_templates").selectAll();
  if (!options.includeHidden) query = query.where("hidden", "=", 0);
  return query.orderBy("created_at", "desc").orderBy("id").execute();
}

export type CustomTemplateListRow = CustomTemplate & { author_name: string | null; source_plan_title: string | null };

/** Every custom template with its author and source plan, for the admin page. */
export function listCustomTemplatesForAdmin(db: DbOrTx): Promise<CustomTemplateListRow[]> {
  return db
    .selectFrom("custom_templates")
    .leftJoin("users as author", "author.id", "custom_templates.created_by")
    .leftJoin("plans as source", "source.id", "custom_templates.source_plan_id")
    .selectAll("custom_templates")
    .select(["author.name as author_name", "source.title as source_plan_title"])
    .orderBy("custom_templates.created_at", "desc")
    .orderBy("custom_templates.id")
    .execute();
}

/** Returns false when there is no such template. */
export async function setCustomTemplateHidden(db: DbOrTx, id: string, hidden: boolean): Promise<boolean> {
  const result = await db
    .updateTable("custom_templates")
    .set({ hidden: hidden ? 1 : 0 })
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Returns false when there is no such template. */
export async function deleteCustomTemplate(db: DbOrTx, id: string): Promise<boolean> {
  const result = await db.deleteFrom("custom_templates").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
