import { describe, expect, it } from "vitest";
import type { Actor, PlanTarget } from "./policy";
import { nextStatus, selectTodayTasks, urgencyOf, type TaskCandidate } from "./tasks-today";

const me: Actor = { id: 7, role: "planner", title: null, active: true };
const ownPlan: PlanTarget = { kind: "plan", ownerId: 7, status: "draft", access: null };
const sharedEdit: PlanTarget = { kind: "plan", ownerId: 9, status: "draft", access: "edit" };
const sharedView: PlanTarget = { kind: "plan", ownerId: 9, status: "draft", access: "view" };
const archived: PlanTarget = { kind: "plan", ownerId: 7, status: "archived", access: null };

let next = 0;
function task(overrides: Partial<TaskCandidate>): TaskCandidate {
  next += 1;
  return {
    planId: "plan-a",
    planTitle: "端午促销",
    plan: ownPlan,
    itemId: `item-${next}`,
    task: `任务 ${next}`,
    startDate: "2027-06-01",
    endDate: "2027-06-10",
    owner: "市场部",
    ownerUserId: null,
    ownerName: null,
    status: "notStarted",
    ...overrides,
  };
}

const TODAY = "2027-06-05";

describe("selectTodayTasks", () => {
  it("keeps open tasks that have started, on plans the member may edit", () => {
    const groups = selectTodayTasks(
      [
        task({ task: "started" }),
        task({ task: "in progress", status: "inProgress" }),
        task({ task: "future", startDate: "2027-06-06" }),
        task({ task: "done", status: "done" }),
        task({ task: "cancelled", status: "cancelled" }),
        task({ task: "read only", planId: "plan-v", plan: sharedView }),
        task({ task: "archived", planId: "plan-x", plan: archived }),
        task({ task: "shared edit", planId: "plan-e", planTitle: "中秋", plan: sharedEdit }),
      ],
      { actor: me, today: TODAY },
    );
    expect(groups.map((g) => [g.planId, g.tasks.map((t) => t.task).sort()]).sort()).toEqual([
      ["plan-a", ["in progress", "started"]],
      ["plan-e", ["shared edit"]],
    ]);
  });

  it("a viewer gets nothing, even on a plan shared with them", () => {
    const viewer: Actor = { id: 7, role: "viewer", title: null, active: true };
    expect(selectTodayTasks([task({ plan: sharedEdit })], { actor: viewer, today: TODAY })).toEqual([]);
  });

  it("puts the member's own tasks first, then overdue, then due today", () => {
    const groups = selectTodayTasks(
      [
        task({ task: "ongoing", endDate: "2027-06-20" }),
        task({ task: "due today", endDate: TODAY }),
        task({ task: "overdue", endDate: "2027-06-02" }),
        task({ task: "mine, ongoing", endDate: "2027-06-30", ownerUserId: 7, ownerName: "李娜" }),
      ],
      { actor: me, today: TODAY },
    );
    const tasks = groups[0]!.tasks;
    expect(tasks.map((t) => t.task)).toEqual(["mine, ongoing", "overdue", "due today", "ongoing"]);
    expect(tasks.map((t) => t.urgency)).toEqual(["ongoing", "overdue", "dueToday", "ongoing"]);
    expect(tasks[0]).toMatchObject({ mine: true, owner: "李娜" });
    expect(tasks[1]).toMatchObject({ mine: false, owner: "市场部" });
  });

  it("lists plans holding the member's own tasks before the others", () => {
    const groups = selectTodayTasks(
      [
        task({ planId: "plan-b", planTitle: "B", endDate: "2027-06-01" }),
        task({ planId: "plan-c", planTitle: "C", endDate: "2027-06-30", ownerUserId: 7 }),
      ],
      { actor: me, today: TODAY },
    );
    expect(groups.map((g) => [g.planId, g.hasMine])).toEqual([
      ["plan-c", true],
      ["plan-b", false],
    ]);
  });
});

describe("urgencyOf", () => {
  it("is judged on the end date against today in China", () => {
    expect(urgencyOf({ endDate: "2027-06-04" }, TODAY)).toBe("overdue");
    expect(urgencyOf({ endDate: TODAY }, TODAY)).toBe("dueToday");
    expect(urgencyOf({ endDate: "2027-06-06" }, TODAY)).toBe("ongoing");
  });
});

describe("nextStatus", () => {
  it("marks an open task done once; a repeat changes nothing", () => {
    expect(nextStatus("notStarted", { kind: "done" })).toEqual({ status: "done" });
    expect(nextStatus("inProgress", { kind: "done" })).toEqual({ status: "done" });
    expect(nextStatus("done", { kind: "done" })).toBe("already");
  });

  it("does not overrule someone who cancelled the task meanwhile", () => {
    expect(nextStatus("cancelled", { kind: "done" })).toBe("conflict");
  });

  it("undo restores the earlier status only while the task is still done", () => {
    expect(nextStatus("done", { kind: "undo", previous: "inProgress" })).toEqual({ status: "inProgress" });
    expect(nextStatus("inProgress", { kind: "undo", previous: "inProgress" })).toBe("already");
    expect(nextStatus("cancelled", { kind: "undo", previous: "notStarted" })).toBe("conflict");
  });
});
