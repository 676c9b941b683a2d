import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaToday } from "~/domain/calendar";
import { blankRow, readBlock, removeRow, ROOT, updateRow, type TimelineItem } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { loadDocument } from "../../server/collab/document-store";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

/** 今日任务: who sees which tasks, and 标记完成 through the live document. */

let server: TestServer;
let owner: MadeMember;
let editor: MadeMember;
let viewer: MadeMember;
let outsider: MadeMember;
const as = signedInClients(() => server.url);
const today = chinaToday();
const TASKS_DATA = "/tasks?_data=routes%2F_app.tasks";

function task(name: string, start: string, end: string, extra: Partial<TimelineItem> = {}): Omit<TimelineItem, "id"> {
  return { ...blankRow("timeline", today), task: name, start, end, owner: "市场部", ...extra };
}

async function makePlan(): Promise<string> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "门店周年庆", campaignType: "opening", startDate: addDays(today, -10), endDate: addDays(today, 10), store: "外滩店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        timeline: [
          task("确认场地", addDays(today, -5), addDays(today, -1)),
          task("发布预热海报", today, today, { ownerUserId: editor.id, status: "inProgress" }),
          task("彩排", addDays(today, -1), addDays(today, 3)),
          task("活动当天", addDays(today, 2), addDays(today, 2)),
          task("已完成的任务", addDays(today, -3), today, { status: "done" }),
        ],
      },
    },
  );
  await addToPlan(server.db, planId, editor.id, "edit", owner.id);
  await addToPlan(server.db, planId, viewer.id, "view", owner.id);
  return planId;
}

async function listed(member: MadeMember): Promise<{ planId: string; tasks: { itemId: string; task: string; mine: boolean; urgency: string }[] }[]> {
  const response = await (await as(member)).get(TASKS_DATA);
  expect(response.status).toBe(200);
  return ((await response.json()) as { groups: { planId: string; tasks: { itemId: string; task: string; mine: boolean; urgency: string }[] }[] }).groups;
}

async function itemId(planId: string, name: string): Promise<string> {
  const row = await server.db.selectFrom("timeline_items").select("item_id").where("plan_id", "=", planId).where("task", "=", name).executeTakeFirstOrThrow();
  return row.item_id;
}

async function liveStatus(planId: string, id: string): Promise<string | undefined> {
  const { doc } = await loadDocument(server.db, planId);
  return readBlock(doc, ROOT.timeline).rows.find((row) => row.id === id)?.status;
}

const mark = async (member: MadeMember, fields: Record<string, string>) => (await as(member)).post(TASKS_DATA, fields);

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  // A planner with read-only access to the plan: 今日任务 is open to them, this plan's tasks are not.
  viewer = await makeMember(server.db, { role: "planner", name: "郑洁" });
  outsider = await makeMember(server.db, { role: "planner", name: "王磊" });
});

afterAll(async () => {
  as.clear();
  await server.close();
});

describe("今日任务", () => {
  it("lists started, open tasks of plans the member may edit, their own first", async () => {
    const planId = await makePlan();
    const mine = (await listed(editor)).find((group) => group.planId === planId);
    expect(mine?.tasks.map((t) => [t.task, t.mine, t.urgency])).toEqual([
      ["发布预热海报", true, "dueToday"],
      ["确认场地", false, "overdue"],
      ["彩排", false, "ongoing"],
    ]);
    expect((await listed(owner)).find((group) => group.planId === planId)?.tasks).toHaveLength(3);
    expect((await listed(viewer)).find((group) => group.planId === planId)).toBeUndefined();
    expect((await listed(outsider)).find((group) => group.planId === planId)).toBeUndefined();
  });

  it("标记完成 writes the live document, updates the list, and can be undone", async () => {
    const planId = await makePlan();
    const id = await itemId(planId, "发布预热海报");
    const done = await mark(editor, { intent: "done", planId, itemId: id });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ ok: true, changed: true, task: "发布预热海报", previous: "inProgress" });
    expect(await liveStatus(planId, id)).toBe("done");
    expect((await listed(editor)).find((group) => group.planId === planId)?.tasks.map((t) => t.task)).not.toContain("发布预热海报");

    const undone = await mark(editor, { intent: "undo", planId, itemId: id, previous: "inProgress" });
    expect(await undone.json()).toMatchObject({ ok: true, changed: true });
    expect(await liveStatus(planId, id)).toBe("inProgress");
    const audit = await server.db.selectFrom("audit_log").select("action").where("target_id", "=", planId).where("action", "like", "plan.task.%").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["plan.task.done", "plan.task.reopen"]);
  });

  it("refuses readers and outsiders, and bad input, changing nothing", async () => {
    const planId = await makePlan();
    const id = await itemId(planId, "彩排");
    const byViewer = await mark(viewer, { intent: "done", planId, itemId: id });
    expect(byViewer.status).toBe(403);
    expect(await byViewer.json()).toEqual({ ok: false, code: "forbidden" });
    expect((await mark(outsider, { intent: "done", planId, itemId: id })).status).toBe(404);
    expect((await mark(editor, { intent: "done", planId, itemId: "../x" })).status).toBe(400);
    expect((await mark(editor, { intent: "explode", planId, itemId: id })).status).toBe(400);
    const page = await (await as(viewer)).post("/tasks", { intent: "done", planId, itemId: id });
    expect(await page.text()).toContain("你没有编辑此方案的权限");
    expect(await liveStatus(planId, id)).toBe("notStarted");
    const readOnlyRole = await makeMember(server.db, { role: "viewer", name: "赵六" });
    expect((await (await as(readOnlyRole)).get(TASKS_DATA)).status).toBe(403);
    expect((await mark(readOnlyRole, { intent: "done", planId, itemId: id })).status).toBe(403);
  });

  it("a task deleted or cancelled meanwhile gets a clear message", async () => {
    const planId = await makePlan();
    const gone = await itemId(planId, "确认场地");
    const cancelled = await itemId(planId, "彩排");
    await server.collab.applyServerChange(planId, owner.id, (doc) => {
      removeRow(doc, ROOT.timeline, gone);
      updateRow(doc, ROOT.timeline, cancelled, { status: "cancelled" });
    });
    const first = await mark(editor, { intent: "done", planId, itemId: gone });
    expect(first.status).toBe(409);
    expect(await first.json()).toEqual({ ok: false, code: "taskGone" });
    const second = await mark(editor, { intent: "done", planId, itemId: cancelled });
    expect(await second.json()).toEqual({ ok: false, code: "taskChanged" });
    expect(await liveStatus(planId, cancelled)).toBe("cancelled");
    const page = await (await as(editor)).post("/tasks", { intent: "done", planId, itemId: gone });
    expect(await page.text()).toContain("该任务已被删除");
  });

  it("50 parallel marks of one task change the document once", async () => {
    const planId = await makePlan();
    const id = await itemId(planId, "彩排");
    await Promise.all([owner, editor].map((member) => as(member)));
    const updatesBefore = await server.db.selectFrom("doc_updates").select("id").where("plan_id", "=", planId).execute();
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const response = await mark(i % 2 ? owner : editor, { intent: "done", planId, itemId: id });
        expect(response.status).toBe(200);
        return (await response.json()) as { changed: boolean };
      }),
    );
    expect(results.filter((result) => result.changed)).toHaveLength(1);
    expect(await liveStatus(planId, id)).toBe("done");
    const updatesAfter = await server.db.selectFrom("doc_updates").select("id").where("plan_id", "=", planId).execute();
    expect(updatesAfter.length - updatesBefore.length).toBe(1);
    const audit = await server.db.selectFrom("audit_log").select("id").where("target_id", "=", planId).where("action", "=", "plan.task.done").execute();
    expect(audit).toHaveLength(1);
    expect(server.loggedErrors).toEqual([]);
  });
});
