import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import {
  countCommentsSince,
  diffLineExists,
  existingBlockIds,
  findComment,
  findThread,
  insertComment,
  insertThread,
  listPlanComments,
  listPlanThreads,
  listThreadParticipants,
  markCommentDeleted,
  memberNames,
  setThreadStatus,
  setViewersMayComment as writeViewersMayComment,
  updateCommentBody,
} from "../../db/queries/comments";
import type { DbOrTx } from "../../db/queries/users";
import type { Plan } from "../../db/schema";
import type { Auth, CollabControl } from "./context";
import { publish } from "./live-bus.server";
import { notify, publishNotifications } from "./notifications.server";
import { AnchorSchema, COMMENT_FLOOD, commentExcerpt, mentionedIds, textAnchorFits, type Anchor, type CommentErrorCode, type CommentView, type ThreadView } from "~/domain/comments";
import { readDocument, readPlanDoc, sectionFragment } from "~/domain/plan-document";

export type CommentFailure = { ok: false; status: 400 | 403 | 404 | 409 | 429; code: CommentErrorCode };
export type CommentOutcome = { ok: true; threadId?: string; commentId?: string } | CommentFailure;

const fail = (status: CommentFailure["status"], code: CommentErrorCode): CommentFailure => ({ ok: false, status, code });

/** What the comment use cases need of the server: the database, and the live document for text anchors. */
export interface CommentContext {
  db: Db;
  collab: Pick<CollabControl, "documentState" | "projectionCurrent">;
}

export function commentsTopic(planId: string): string {
  return `plan:${planId}:comments`;
}

/** After a commit: wake the plan's open comment panels and the notified members' bells. */
function announce(planId: string, notified: readonly number[]): void {
  publishNotifications(notified);
  publish(commentsTopic(planId), {});
}

interface WrittenComment {
  id: string;
  threadId: string;
  body: string;
  /** The anchor's section, when it is on text: a mention's link can fall back to it. */
  sectionId: string | null;
}

/**
 * Notifies, inside the comment's transaction, the members it mentions (once per comment:
 * the dedupe key is the comment's id, so an edit notifies only members newly mentioned) and,
 * for a reply, the thread's earlier participants who were not mentioned (the mention says
 * more). notify() drops whoever may not read the plan, so a mention never leaks it.
 */
async function notifyComment(trx: DbOrTx, auth: Auth, plan: Plan, comment: WrittenComment, participants: readonly number[] | null, at: number): Promise<number[]> {
  const mentioned = mentionedIds(comment.body).filter((id) => id !== auth.user.id);
  const names = await memberNames(trx, mentioned);
  const excerpt = commentExcerpt(comment.body, (id) => names.get(id));
  const base = { planTitle: plan.title, actorName: auth.user.name, excerpt };
  const notified = await notify(trx, {
    event: { kind: "mentioned", ...base, threadId: comment.threadId, sectionId: comment.sectionId },
    planId: plan.id,
    actorId: auth.user.id,
    recipients: mentioned.filter((id) => names.has(id)),
    dedupeKey: `mention:${comment.id}`,
    at,
  });
  if (participants) {
    const skip = new Set([auth.user.id, ...mentioned]);
    notified.push(
      ...(await notify(trx, {
        event: { kind: "replied", ...base, threadId: comment.threadId },
        planId: plan.id,
        actorId: auth.user.id,
        recipients: participants.filter((id) => !skip.has(id)),
        dedupeKey: `reply:${comment.id}`,
        at,
      })),
    );
  }
  return notified;
}

function sectionOf(anchorJson: string): string | null {
  const anchor = AnchorSchema.safeParse(JSON.parse(anchorJson));
  return anchor.success && anchor.data.kind === "text" ? anchor.data.sectionId : null;
}

/**
 * Every thread of the plan with its comments, oldest first. A deleted comment stays as a
 * placeholder without its text; a thread whose every comment was deleted is left out.
 */
export async function listThreads(db: Db, planId: string): Promise<ThreadView[]> {
  const [threads, comments, blocks] = await Promise.all([listPlanThreads(db, planId), listPlanComments(db, planId), existingBlockIds(db, planId)]);
  const byThread = new Map<string, CommentView[]>();
  for (const c of comments) {
    const list = byThread.get(c.thread_id) ?? [];
    list.push({
      id: c.id,
      author: { id: c.author_id, name: c.author_name },
      body: c.deleted_at === null ? c.body : "",
      createdAt: c.created_at,
      editedAt: c.edited_at,
      deleted: c.deleted_at !== null,
    });
    byThread.set(c.thread_id, list);
  }
  const views: ThreadView[] = [];
  for (const t of threads) {
    const list = byThread.get(t.id) ?? [];
    if (!list.some((c) => !c.deleted)) continue;
    const anchor = AnchorSchema.safeParse(JSON.parse(t.anchor));
    if (!anchor.success) continue;
    views.push({
      id: t.id,
      anchor: anchor.data,
      quote: t.quote,
      status: t.status,
      createdBy: { id: t.created_by, name: t.created_by_name },
      createdAt: t.created_at,
      resolvedBy: t.resolved_by !== null && t.resolved_by_name !== null ? { id: t.resolved_by, name: t.resolved_by_name } : null,
      resolvedAt: t.resolved_at,
      comments: list,
      orphaned: await isOrphaned(db, planId, anchor.data, blocks),
    });
  }
  return views;
}

async function isOrphaned(db: DbOrTx, planId: string, anchor: Anchor, blocks: Awaited<ReturnType<typeof existingBlockIds>>): Promise<boolean> {
  switch (anchor.kind) {
    case "text":
      return false;
    case "budgetLine":
      return !blocks.budgetLine.has(anchor.lineId);
    case "timelineItem":
      return !blocks.timelineItem.has(anchor.itemId);
    case "kpi":
      return !blocks.kpi.has(anchor.kpiId);
    case "diffLine":
      return !(await diffLineExists(db, planId, anchor.revisionId, anchor.lineId));
  }
}

/** Whether the anchor points at something the plan has now (text: a rich-text section and positions inside it). */
async function anchorFits(ctx: CommentContext, planId: string, anchor: Anchor): Promise<boolean> {
  if (anchor.kind === "text") {
    const state = await ctx.collab.documentState(planId);
    return readDocument(state, (doc) => {
      const section = readPlanDoc(doc).sections.find((s) => s.id === anchor.sectionId);
      return section?.kind === "richText" && textAnchorFits(doc, sectionFragment(doc, section.id), anchor);
    });
  }
  if (anchor.kind === "diffLine") return diffLineExists(ctx.db, planId, anchor.revisionId, anchor.lineId);
  // A row added a moment ago may still be on its way into the projection.
  await ctx.collab.projectionCurrent(planId);
  const blocks = await existingBlockIds(ctx.db, planId);
  if (anchor.kind === "budgetLine") return blocks.budgetLine.has(anchor.lineId);
  if (anchor.kind === "timelineItem") return blocks.timelineItem.has(anchor.itemId);
  return blocks.kpi.has(anchor.kpiId);
}

/**
 * Inserts a comment unless the member hit the flood limit. The count and the insert share
 * one write transaction (BEGIN IMMEDIATE on the serialized connection), so parallel posts
 * see each other's rows and cannot together pass the limit.
 */
async function insertWithinLimit(trx: DbOrTx, comment: { id: string; threadId: string; authorId: number; body: string; createdAt: number }): Promise<boolean> {
  const recent = await countCommentsSince(trx, comment.authorId, comment.createdAt - COMMENT_FLOOD.windowMs);
  if (recent >= COMMENT_FLOOD.max) return false;
  await insertComment(trx, comment);
  return true;
}

class FloodLimit extends Error {}

/** Opens a thread with its first comment. The caller has checked `plan:comment`. */
export async function createThread(
  ctx: CommentContext,
  auth: Auth,
  plan: Plan,
  input: { anchor: Anchor; quote: string; body: string },
  now = Date.now(),
): Promise<CommentOutcome> {
  // Only a shortcut that spares a flood the document reads; the transaction below decides.
  if ((await countCommentsSince(ctx.db, auth.user.id, now - COMMENT_FLOOD.windowMs)) >= COMMENT_FLOOD.max) return fail(429, "tooMany");
  if (!(await anchorFits(ctx, plan.id, input.anchor))) return fail(400, "badAnchor");
  const threadId = randomUUID();
  const commentId = randomUUID();
  let notified: number[];
  try {
    notified = await ctx.db.transaction().execute(async (trx) => {
      await insertThread(trx, { id: threadId, planId: plan.id, anchorKind: input.anchor.kind, anchor: JSON.stringify(input.anchor), quote: input.quote, createdBy: auth.user.id, createdAt: now });
      // Thrown, not returned: the thread row inserted above must roll back with the refused comment.
      if (!(await insertWithinLimit(trx, { id: commentId, threadId, authorId: auth.user.id, body: input.body, createdAt: now }))) throw new FloodLimit();
      const sectionId = input.anchor.kind === "text" ? input.anchor.sectionId : null;
      return notifyComment(trx, auth, plan, { id: commentId, threadId, body: input.body, sectionId }, null, now);
    });
  } catch (error) {
    if (error instanceof FloodLimit) return fail(429, "tooMany");
    throw error;
  }
  announce(plan.id, notified);
  return { ok: true, threadId, commentId };
}

export async function replyToThread(db: Db, auth: Auth, plan: Plan, threadId: string, body: string, now = Date.now()): Promise<CommentOutcome> {
  const commentId = randomUUID();
  const result = await db.transaction().execute(async (trx): Promise<{ outcome: CommentOutcome; notified: number[] }> => {
    const thread = await findThread(trx, plan.id, threadId);
    if (!thread) return { outcome: fail(404, "notFound"), notified: [] };
    const participants = await listThreadParticipants(trx, threadId);
    // Every comment deleted: the thread left the list, and a reply must not bring it back.
    if (participants.length === 0) return { outcome: fail(404, "notFound"), notified: [] };
    if (thread.status === "resolved") return { outcome: fail(409, "resolved"), notified: [] };
    if (!(await insertWithinLimit(trx, { id: commentId, threadId, authorId: auth.user.id, body, createdAt: now }))) return { outcome: fail(429, "tooMany"), notified: [] };
    const notified = await notifyComment(trx, auth, plan, { id: commentId, threadId, body, sectionId: sectionOf(thread.anchor) }, participants, now);
    return { outcome: { ok: true, threadId, commentId }, notified };
  });
  if (result.outcome.ok) announce(plan.id, result.notified);
  return result.outcome;
}

export async function editComment(db: Db, auth: Auth, plan: Plan, commentId: string, body: string, now = Date.now()): Promise<CommentOutcome> {
  const result = await db.transaction().execute(async (trx): Promise<{ outcome: CommentOutcome; notified: number[] }> => {
    const comment = await findComment(trx, plan.id, commentId);
    if (!comment || comment.deleted_at !== null) return { outcome: fail(404, "notFound"), notified: [] };
    if (comment.author_id !== auth.user.id) return { outcome: fail(403, "notAuthor"), notified: [] };
    const outcome: CommentOutcome = { ok: true, threadId: comment.thread_id, commentId };
    if (comment.body === body) return { outcome, notified: [] };
    await updateCommentBody(trx, commentId, body, now);
    // Same dedupe key as when it was written: only members the edit newly mentions hear of it.
    const notified = await notifyComment(trx, auth, plan, { id: commentId, threadId: comment.thread_id, body, sectionId: sectionOf(comment.anchor) }, null, now);
    return { outcome, notified };
  });
  if (result.outcome.ok) announce(plan.id, result.notified);
  return result.outcome;
}

/** The author deletes their own comment; an admin may delete anyone's (moderation), and that is audited. */
export async function deleteComment(db: Db, auth: Auth, plan: Plan, commentId: string, now = Date.now()): Promise<CommentOutcome> {
  const outcome = await db.transaction().execute(async (trx): Promise<CommentOutcome> => {
    const comment = await findComment(trx, plan.id, commentId);
    if (!comment || comment.deleted_at !== null) return fail(404, "notFound");
    const own = comment.author_id === auth.user.id;
    if (!own && auth.actor.role !== "admin") return fail(403, "notAuthor");
    if (!(await markCommentDeleted(trx, commentId, now))) return fail(404, "notFound");
    if (!own) {
      await recordAudit(trx, { actorId: auth.user.id, action: "comment.delete", targetType: "plan", targetId: plan.id, detail: { threadId: comment.thread_id, commentId, authorId: comment.author_id }, at: now });
    }
    return { ok: true, threadId: comment.thread_id, commentId };
  });
  if (outcome.ok) announce(plan.id, []);
  return outcome;
}

export async function setThreadResolved(db: Db, auth: Auth, plan: Plan, threadId: string, resolved: boolean, now = Date.now()): Promise<CommentOutcome> {
  const outcome = await db.transaction().execute(async (trx): Promise<CommentOutcome> => {
    const thread = await findThread(trx, plan.id, threadId);
    if (!thread || (await listThreadParticipants(trx, threadId)).length === 0) return fail(404, "notFound");
    const changed = await setThreadStatus(trx, threadId, resolved ? { status: "resolved", by: auth.user.id, at: now } : { status: "open" });
    // Resolving a resolved thread again is what the asker wanted already: success, nothing recorded.
    if (changed) {
      await recordAudit(trx, { actorId: auth.user.id, action: resolved ? "comment.resolve" : "comment.reopen", targetType: "plan", targetId: plan.id, detail: { threadId, quote: thread.quote }, at: now });
    }
    return { ok: true, threadId };
  });
  if (outcome.ok) announce(plan.id, []);
  return outcome;
}

/** Turns the per-plan "viewers may comment" setting on or off; the caller has checked `plan:manageMembers`. */
export async function changeViewersMayComment(db: Db, auth: Auth, plan: Plan, value: boolean, now = Date.now()): Promise<CommentOutcome> {
  const changed = await db.transaction().execute(async (trx) => {
    if (!(await writeViewersMayComment(trx, plan.id, value, now))) return false;
    await recordAudit(trx, { actorId: auth.user.id, action: "plan.viewersMayComment", targetType: "plan", targetId: plan.id, detail: { viewersMayComment: value }, at: now });
    return true;
  });
  // Open panels refetch: whether their members may still comment changed.
  if (changed) announce(plan.id, []);
  return { ok: true };
}
