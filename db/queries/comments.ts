import { sql } from "kysely";
import type { AnchorKind } from "~/domain/comments";
import type { DbOrTx } from "./users";

export interface NewThread {
  id: string;
  planId: string;
  anchorKind: AnchorKind;
  anchor: string;
  quote: string;
  createdBy: number;
  createdAt: number;
}

export async function insertThread(db: DbOrTx, thread: NewThread): Promise<void> {
  await db
    .insertInto("comment_threads")
    .values({
      id: thread.id,
      plan_id: thread.planId,
      anchor_kind: thread.anchorKind,
      anchor: thread.anchor,
      quote: thread.quote,
      status: "open",
      created_by: thread.createdBy,
      created_at: thread.createdAt,
      resolved_by: null,
      resolved_at: null,
    })
    .execute();
}

export async function insertComment(db: DbOrTx, comment: { id: string; threadId: string; authorId: number; body: string; createdAt: number }): Promise<void> {
  await db
    .insertInto("comments")
    .values({ id: comment.id, thread_id: comment.threadId, author_id: comment.authorId, body: comment.body, created_at: comment.createdAt, edited_at: null, deleted_at: null })
    .execute();
}

/** Comments the member wrote since `since`, on any plan; deleted ones count too, or deleting would reopen the flood gate. */
export async function countCommentsSince(db: DbOrTx, authorId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("author_id", "=", authorId)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findThread(db: DbOrTx, planId: string, threadId: string) {
  return db.selectFrom("comment_threads").selectAll().where("id", "=", threadId).where("plan_id", "=", planId).executeTakeFirst();
}

/** A comment with its thread's plan and status, only when the thread belongs to `planId`. */
export function findComment(db: DbOrTx, planId: string, commentId: string) {
  return db
    .selectFrom("comments")
    .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
    .select(["comments.id", "comments.thread_id", "comments.author_id", "comments.body", "comments.deleted_at", "comment_threads.status as thread_status", "comment_threads.anchor"])
    .where("comments.id", "=", commentId)
    .where("comment_threads.plan_id", "=", planId)
    .executeTakeFirst();
}

export async function updateCommentBody(db: DbOrTx, commentId: string, body: string, at: number): Promise<boolean> {
  const result = await db.updateTable("comments").set({ body, edited_at: at }).where("id", "=", commentId).where("deleted_at", "is", null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markCommentDeleted(db: DbOrTx, commentId: string, at: number): Promise<boolean> {
  const result = await db.updateTable("comments").set({ body: "", deleted_at: at }).where("id", "=", commentId).where("deleted_at", "is", null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Moves a thread between open and resolved; false when it was in `to` already (someone else was quicker). */
export async function setThreadStatus(db: DbOrTx, threadId: string, to: { status: "resolved"; by: number; at: number } | { status: "open" }): Promise<boolean> {
  const result = await db
    .updateTable("comment_threads")
    .set(to.status === "resolved" ? { status: "resolved", resolved_by: to.by, resolved_at: to.at } : { status: "open", resolved_by: null, resolved_at: null })
    .where("id", "=", threadId)
    .where("status", "<>", to.status)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Members who wrote a live comment in the thread, in order of their first comment. */
export async function listThreadParticipants(db: DbOrTx, threadId: string): Promise<number[]> {
  const rows = await db
    .selectFrom("comments")
    .select("author_id")
    .where("thread_id", "=", threadId)
    .where("deleted_at", "is", null)
    .groupBy("author_id")
    .orderBy(sql`min(created_at)`)
    .execute();
  return rows.map((r) => r.author_id);
}

export function listPlanThreads(db: DbOrTx, planId: string) {
  return db
    .selectFrom("comment_threads as t")
    .innerJoin("users as c", "c.id", "t.created_by")
    .leftJoin("users as r", "r.id", "t.resolved_by")
    .select(["t.id", "t.anchor", "t.quote", "t.status", "t.created_by", "c.name as created_by_name", "t.created_at", "t.resolved_by", "r.name as resolved_by_name", "t.resolved_at"])
    .where("t.plan_id", "=", planId)
    .orderBy("t.created_at")
    .orderBy("t.id")
    .execute();
}

export function listPlanComments(db: DbOrTx, planId: string) {
  return db
    .selectFrom("comments as m")
    .innerJoin("comment_threads as t", "t.id", "m.thread_id")
    .innerJoin("users as a", "a.id", "m.author_id")
    .select(["m.id", "m.thread_id", "m.author_id", "a.name as author_name", "m.body", "m.created_at", "m.edited_at", "m.deleted_at"])
    .where("t.plan_id", "=", planId)
    .orderBy("m.created_at")
    .orderBy(sql`m.rowid`)
    .execute();
}

export async function setViewersMayComment(db: DbOrTx, planId: string, value: boolean, at: number): Promise<boolean> {
  const result = await db
    .updateTable("plans")
    .set({ viewers_may_comment: value ? 1 : 0, updated_at: at })
    .where("id", "=", planId)
    .where("viewers_may_comment", "<>", value ? 1 : 0)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Which of the given row ids the plan's projection still holds, per block. */
export async function existingBlockIds(db: DbOrTx, planId: string): Promise<{ budgetLine: Set<string>; timelineItem: Set<string>; kpi: Set<string> }> {
  const [lines, items, kpis] = await Promise.all([
    db.selectFrom("budget_lines").select("line_id as id").where("plan_id", "=", planId).execute(),
    db.selectFrom("timeline_items").select("item_id as id").where("plan_id", "=", planId).execute(),
    db.selectFrom("kpis").select("kpi_id as id").where("plan_id", "=", planId).execute(),
  ]);
  const ids = (rows: { id: string }[]) => new Set(rows.map((r) => r.id));
  return { budgetLine: ids(lines), timelineItem: ids(items), kpi: ids(kpis) };
}

/** Whether revision `revisionId` of the plan, or the approved revision before it, holds the line. */
export async function diffLineExists(db: DbOrTx, planId: string, revisionId: number, lineId: string): Promise<boolean> {
  const revision = await db.selectFrom("budget_revisions").select(["id", "number"]).where("id", "=", revisionId).where("plan_id", "=", planId).executeTakeFirst();
  if (!revision) return false;
  const previous = await db
    .selectFrom("budget_revisions")
    .select("id")
    .where("plan_id", "=", planId)
    .where("status", "=", "approved")
    .where("number", "<", revision.number)
    .orderBy("number", "desc")
    .limit(1)
    .executeTakeFirst();
  const ids = previous ? [revision.id, previous.id] : [revision.id];
  const line = await db.selectFrom("revision_lines").select("line_id").where("revision_id", "in", ids).where("line_id", "=", lineId).limit(1).executeTakeFirst();
  return line !== undefined;
}

/** Names of the given members, for "@名字" in notification excerpts. */
export async function memberNames(db: DbOrTx, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "name"]).where("id", "in", [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
