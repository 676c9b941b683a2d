import { AUDIT_PAGE_SIZE, type AuditCursor, type AuditFilter, type AuditPosition } from "~/domain/audit";
import type { DbOrTx } from "./users";

export async function recordAudit(
  db: DbOrTx,
  entry: { actorId: number | null; action: string; targetType: string; targetId: string | number; detail?: unknown; at: number },
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: String(entry.targetId),
      detail: JSON.stringify(entry.detail ?? {}),
      at: entry.at,
    })
    .execute();
}

export interface AuditListRow {
  id: number;
  at: number;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string;
  /** The plan's title, template's name or member's name the entry is about, while it still exists. */
  target_label: string | null;
  detail: string;
}

export interface AuditPage {
  /** Newest first. */
  rows: AuditListRow[];
  hasNewer: boolean;
  hasOlder: boolean;
}

function filteredAudit(db: DbOrTx, filter: AuditFilter) {
  let query = db.selectFrom("audit_log");
  if (filter.actorId !== undefined) query = query.where("audit_log.actor_id", "=", filter.actorId);
  const action = filter.action;
  if (action?.kind === "exact") query = query.where("audit_log.action", "=", action.action);
  // substr, not LIKE: an exact, case-sensitive prefix on SQLite and PostgreSQL alike.
  if (action?.kind === "prefix") query = query.where((eb) => eb(eb.fn("substr", ["audit_log.action", eb.lit(1), eb.val(action.prefix.length)]), "=", action.prefix));
  if (filter.targetType !== undefined) query = query.where("audit_log.target_type", "=", filter.targetType);
  if (filter.targetId !== undefined) query = query.where("audit_log.target_id", "=", filter.targetId);
  if (filter.fromMs !== undefined) query = query.where("audit_log.at", ">=", filter.fromMs);
  if (filter.toMs !== undefined) query = query.where("audit_log.at", "<", filter.toMs);
  return query;
}

type Side = "<" | "<=" | ">" | ">=";

function beyond(query: ReturnType<typeof filteredAudit>, side: Side, cursor: AuditCursor) {
  return query.where((eb) => eb(eb.refTuple("audit_log.at", "audit_log.id"), side, eb.tuple(cursor.at, cursor.id)));
}

async function anyBeyond(db: DbOrTx, filter: AuditFilter, side: Side, cursor: AuditCursor): Promise<boolean> {
  const row = await beyond(filteredAudit(db, filter), side, cursor).select("audit_log.id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * One page of the audit log, newest first, keyed on (at, id) rather than an offset: entries
 * keep arriving while an admin pages back, and a keyset page neither repeats nor skips them.
 */
export async function listAudit(db: DbOrTx, filter: AuditFilter, position: AuditPosition, limit = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const towardNewer = position.kind === "after";
  const direction = towardNewer ? "asc" : "desc";
  let query = filteredAudit(db, filter);
  if (position.kind !== "newest") query = beyond(query, towardNewer ? ">" : "<", position.cursor);
  const fetched = await query
    .leftJoin("users as actor", "actor.id", "audit_log.actor_id")
    .leftJoin("plans as target_plan", (join) => join.onRef("target_plan.id", "=", "audit_log.target_id").on("audit_log.target_type", "=", "plan"))
    .leftJoin("custom_templates as target_template", (join) =>
      join.onRef("target_template.id", "=", "audit_log.target_id").on("audit_log.target_type", "=", "template"),
    )
    .leftJoin("users as target_member", (join) =>
      join.on((eb) => eb.and([eb(eb.cast("target_member.id", "text"), "=", eb.ref("audit_log.target_id")), eb("audit_log.target_type", "=", "member")])),
    )
    .select((eb) => [
      "audit_log.id",
      "audit_log.at",
      "audit_log.actor_id",
      "actor.name as actor_name",
      "audit_log.action",
      "audit_log.target_type",
      "audit_log.target_id",
      eb.fn.coalesce("target_plan.title", "target_template.name", "target_member.name").as("target_label"),
      "audit_log.detail",
    ])
    .orderBy("audit_log.at", direction)
    .orderBy("audit_log.id", direction)
    .limit(limit + 1)
    .execute();
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (towardNewer) rows.reverse();
  switch (position.kind) {
    case "newest":
      return { rows, hasNewer: false, hasOlder: more };
    case "before":
      return { rows, hasNewer: await anyBeyond(db, filter, ">=", position.cursor), hasOlder: more };
    case "after":
      return { rows, hasNewer: more, hasOlder: await anyBeyond(db, filter, "<=", position.cursor) };
  }
}

export async function countAudit(db: DbOrTx, filter: AuditFilter): Promise<number> {
  const row = await filteredAudit(db, filter)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every action string in the log, for the viewer's action filter. */
export async function listAuditActions(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute();
  return rows.map((row) => row.action);
}

/** Every target type in the log, for the viewer's target filter. */
export async function listAuditTargetTypes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom("audit_log").select("target_type").distinct().orderBy("target_type").execute();
  return rows.map((row) => row.target_type);
}
