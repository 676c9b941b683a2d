import { can, type Actor, type PlanTarget } from "./policy";
import type { TaskStatus } from "./plan-document";

/**
 * 今日任务: the timeline tasks a member should act on today — started and not finished —
 * across the plans they may edit, their own first. Pure: the caller passes today's date
 * in China and the projected rows.
 */

/** A projected timeline row with what the policy needs to know about its plan. */
export interface TaskCandidate {
  planId: string;
  planTitle: string;
  plan: PlanTarget;
  itemId: string;
  task: string;
  startDate: string;
  endDate: string;
  owner: string;
  ownerUserId: number | null;
  ownerName: string | null;
  status: TaskStatus;
}

/** overdue: its end date has passed; dueToday: it ends today; ongoing: it started and ends later. */
export type TaskUrgency = "overdue" | "dueToday" | "ongoing";

export interface TodayTask {
  itemId: string;
  task: string;
  startDate: string;
  endDate: string;
  /** The member's name when the owner is a member, else the free-text owner (a role, a name). */
  owner: string;
  mine: boolean;
  status: TaskStatus;
  urgency: TaskUrgency;
}

export interface TodayPlanGroup {
  planId: string;
  planTitle: string;
  /** The group holds at least one of the member's own tasks: such plans come first. */
  hasMine: boolean;
  tasks: TodayTask[];
}

const OPEN: ReadonlySet<TaskStatus> = new Set(["notStarted", "inProgress"]);
const URGENCY_ORDER: Record<TaskUrgency, number> = { overdue: 0, dueToday: 1, ongoing: 2 };

export function urgencyOf(task: { endDate: string }, today: string): TaskUrgency {
  if (task.endDate < today) return "overdue";
  return task.endDate === today ? "dueToday" : "ongoing";
}

/**
 * Open tasks that have started by `today`, on plans the actor may edit, grouped by plan.
 * Inside a plan: the actor's own tasks first, then the most urgent, then the earliest end.
 * Plans holding the actor's own tasks come first, then by their most urgent task.
 */
export function selectTodayTasks(candidates: readonly TaskCandidate[], input: { actor: Actor; today: string }): TodayPlanGroup[] {
  const { actor, today } = input;
  const groups = new Map<string, TodayPlanGroup>();
  for (const candidate of candidates) {
    if (!OPEN.has(candidate.status) || candidate.startDate > today) continue;
    if (!can(actor, "plan:edit", candidate.plan)) continue;
    let group = groups.get(candidate.planId);
    if (!group) {
      group = { planId: candidate.planId, planTitle: candidate.planTitle, hasMine: false, tasks: [] };
      groups.set(candidate.planId, group);
    }
    const mine = candidate.ownerUserId === actor.id;
    group.hasMine ||= mine;
    group.tasks.push({
      itemId: candidate.itemId,
      task: candidate.task,
      startDate: candidate.startDate,
      endDate: candidate.endDate,
      owner: candidate.ownerName ?? candidate.owner,
      mine,
      status: candidate.status,
      urgency: urgencyOf(candidate, today),
    });
  }
  const byTask = (a: TodayTask, b: TodayTask) =>
    Number(b.mine) - Number(a.mine) || URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] || a.endDate.localeCompare(b.endDate) || a.task.localeCompare(b.task);
  const list = [...groups.values()];
  for (const group of list) group.tasks.sort(byTask);
  const firstEnd = (group: TodayPlanGroup) => group.tasks.reduce((min, task) => (task.endDate < min ? task.endDate : min), "9999-12-31");
  return list.sort((a, b) => Number(b.hasMine) - Number(a.hasMine) || firstEnd(a).localeCompare(firstEnd(b)) || a.planTitle.localeCompare(b.planTitle));
}

export type TaskMark = { kind: "done" } | { kind: "undo"; previous: "notStarted" | "inProgress" };

/**
 * What 标记完成 / 标记未完成 does to a task whose live status is `current`: the new status;
 * "already" when it holds that status (a repeated tap changes nothing); "conflict" when
 * someone else moved it meanwhile (cancelled it, or reopened it before an undo) — they win.
 */
export function nextStatus(current: TaskStatus, mark: TaskMark): { status: TaskStatus } | "already" | "conflict" {
  if (mark.kind === "done") {
    if (current === "done") return "already";
    return current === "cancelled" ? "conflict" : { status: "done" };
  }
  if (current === mark.previous) return "already";
  return current === "done" ? { status: mark.previous } : "conflict";
}
