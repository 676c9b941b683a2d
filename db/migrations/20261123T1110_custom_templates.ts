import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The workspace's own templates (saved from plans). `data` is the template as JSON,
  // checked by app/domain/template.ts on write and again on read; name and campaign type
  // are copied out for the admin list. The id prefix keeps them apart from the built-ins.
  await sql`CREATE TABLE custom_templates (
    id TEXT PRIMARY KEY CHECK (id LIKE 'custom-%'),
    data TEXT NOT NULL,
    name TEXT NOT NULL,
    campaign_type TEXT NOT NULL CHECK (campaign_type IN ('holiday','double11','opening','membership','bankVip')),
    source_plan_id TEXT REFERENCES plans(id) ON DELETE SET NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0,1))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX custom_templates_created ON custom_templates(created_at)`.execute(db);
}
