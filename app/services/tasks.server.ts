import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import { listOpenTasks } from "../../db/queries/tasks";
import { readBlock, ROOT, updateRow } from "~/domain/plan-document";
import { can } from "~/domain/policy";
import { nextStatus, selectTodayTasks, type TaskMark, type TodayPlanGroup } from "~/domain/tasks-today";
import type { Auth, CollabControl } from "./context";
import { findPlanForActor } from "./plans.server";
import { chinaToday } from "~/domain/calendar";

/** 今日任务: what a member should finish today, and marking it done through the live document. */

export async function todayTasks(db: Db, auth: Auth, now = Date.now()): Promise<{ today: string; groups: TodayPlanGroup[] }> {
  const today = chinaToday(now);
  // Admins edit every live plan; everyone else only the plans they own or were given edit access to.
  const everyPlan = can(auth.actor, "plan:edit", { kind: "plan", ownerId: 0, status: "draft", access: null });
  const rows = await listOpenTasks(db, { userId: auth.user.id, today, everyPlan });
  const candidates = rows.map((row) => ({
    planId: row.plan_id,
    planTitle: row.plan_title,
    plan: { kind: "plan" as const, ownerId: row.owner_id, status: row.plan_status, access: row.my_access, viewersMayComment: row.viewers_may_comment === 1 },
    itemId: row.item_id,
    task: row.task,
    startDate: row.start_date,
    endDate: row.end_date,
    owner: row.owner,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    status: row.status,
  }));
  return { today, groups: selectTodayTasks(candidates, { actor: auth.actor, today }) };
}

export type TaskMarkResult =
  | { ok: true; changed: boolean; task: string; previous: "notStarted" | "inProgress" | null }
  | { ok: false; status: 403 | 404 | 409 | 503; code: "notFound" | "forbidden" | "taskGone" | "taskChanged" | "documentUnavailable" };

/**
 * Marks a timeline task done (or undoes that) in the plan's live document, so every open
 * editor sees it at once; the projection, which 今日任务 lists from, is current before this
 * returns. Repeated marks change the document once: the change is judged against the live
 * row inside the document's own transaction.
 */
export async function markTask(
  db: Db,
  collab: CollabControl,
  auth: Auth,
  input: { planId: string; itemId: string; mark: TaskMark },
  now = Date.now(),
): Promise<TaskMarkResult> {
  const found = await findPlanForActor(db, auth, input.planId, "plan:edit");
  if (!found.ok) return { ok: false, status: found.status, code: found.code === "forbidden" ? "forbidden" : "notFound" };
  const planId = found.plan.id;
  type Applied = { kind: "gone" } | { kind: "conflict" } | { kind: "done"; changed: boolean; task: string; previous: "notStarted" | "inProgress" | null };
  const applied = await collab
    .applyServerChange(planId, auth.user.id, (doc): Applied => {
      const row = readBlock(doc, ROOT.timeline).rows.find((candidate) => candidate.id === input.itemId);
      if (!row) return { kind: "gone" };
      const next = nextStatus(row.status, input.mark);
      if (next === "conflict") return { kind: "conflict" };
      const previous = row.status === "notStarted" || row.status === "inProgress" ? row.status : null;
      if (next === "already") return { kind: "done", changed: false, task: row.task, previous };
      updateRow(doc, ROOT.timeline, row.id, { status: next.status });
      return { kind: "done", changed: true, task: row.task, previous };
    })
    // The collaboration server logged why.
    .catch(() => null);
  if (!applied) return { ok: false, status: 503, code: "documentUnavailable" };
  if (applied.kind === "gone") return { ok: false, status: 409, code: "taskGone" };
  if (applied.kind === "conflict") return { ok: false, status: 409, code: "taskChanged" };
  if (applied.changed) {
    await recordAudit(db, {
      actorId: auth.user.id,
      action: input.mark.kind === "done" ? "plan.task.done" : "plan.task.reopen",
      targetType: "plan",
      targetId: planId,
      detail: { task: applied.task },
      at: now,
    });
  }
  await collab.projectionCurrent(planId);
  return { ok: true, changed: applied.changed, task: applied.task, previous: applied.previous };
}
