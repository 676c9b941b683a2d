// Every notification kind the approval workflow and sharing produce, the readers-only rule, the list and the live stream, against one started server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "~/domain/approval";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine } from "~/domain/plan-document";
import { notificationLink, type LinkFields } from "~/domain/notifications";
import { openStreamCount } from "~/services/live-bus.server";
import { notifyApprovalTurn, notifyDecision, notifyReopened } from "~/services/notification-producers.server";
import { notify } from "~/services/notifications.server";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { updateUser } from "../../db/queries/users";
import type { Notification } from "../../db/schema";
import { HttpClient, signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

type Line = Omit<BudgetLine, "id">;

function typed(category: string, item: string, quantity: string, unit: string, price: string): Line {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value };
}

/** ¥120,000 of spend: 财务部 审核 → 总经理 核准 → 董事长 审批. */
const BUDGET: Line[] = [typed("活动物料", "舞台搭建", "1", "项", "80,000"), typed("宣传推广", "宣传单页", "40,000", "张", "1")];

let server: TestServer;
const as = signedInClients(() => server.url);
let owner: MadeMember;
let editor: MadeMember;
let finance: MadeMember;
let retiredFinance: MadeMember;
let gm: MadeMember;
let chairman: MadeMember;
let viewerOnPlan: MadeMember;
let viewerOffPlan: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  retiredFinance = await makeMember(server.db, { role: "finance", title: "finance", name: "离职财务" });
  await updateUser(server.db, retiredFinance.id, { active: false }, Date.now());
  await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
  viewerOnPlan = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  viewerOffPlan = await makeMember(server.db, { role: "viewer", name: "局外人" });
});
afterAll(async () => {
  as.clear();
  await server.close();
});

async function planWithBudget(title: string): Promise<string> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title, campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...BUDGET] } },
  );
  await addToPlan(server.db, planId, editor.id, "edit", owner.id);
  return planId;
}

async function submit(planId: string): Promise<number> {
  expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  const revision = await server.db.selectFrom("budget_revisions").select("id").where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
  return revision.id;
}

async function decide(member: MadeMember, revisionId: number, stepIndex: number, decision: Decision = "approve", comment = ""): Promise<void> {
  const response = await (await as(member)).post(`/approvals/${revisionId}`, { stepIndex: String(stepIndex), decision, comment });
  expect(response.status).toBe(302);
}

function rowsOf(planId: string): Promise<Notification[]> {
  return server.db.selectFrom("notifications").selectAll().where("plan_id", "=", planId).orderBy("id").execute();
}

/** Who got what, as [kind, recipient] pairs in insertion order. */
async function deliveries(planId: string): Promise<Array<[string, number]>> {
  return (await rowsOf(planId)).map((r) => [r.kind, r.user_id]);
}

describe("the approval workflow notifies each event once, to the right members", () => {
  it("approvalTurn → approved: each step's holders in turn, the outcome to the submitter, never the actor, never twice", async () => {
    const planId = await planWithBudget("2027 中秋客户答谢晚会");
    const revisionId = await submit(planId);
    // Only the active 财务部 holder: not the deactivated one, not the submitter, not the plan's editor.
    expect(await deliveries(planId)).toEqual([["approvalTurn", finance.id]]);
    const [turn] = await rowsOf(planId);
    expect(turn).toMatchObject({ dedupe_key: `approvalTurn:${revisionId}:0`, actor_id: owner.id, read_at: null });
    expect(JSON.parse(turn!.payload)).toMatchObject({ planTitle: "2027 中秋客户答谢晚会", revisionId, revisionNumber: 1, stepIndex: 0, stepKind: "review", totalFen: 12_000_000 });

    // A retried producer adds nothing.
    expect(await notifyApprovalTurn(server.db, revisionId, owner.id, Date.now())).toEqual([]);

    await decide(finance, revisionId, 0);
    await decide(gm, revisionId, 1);
    expect(await deliveries(planId)).toEqual([
      ["approvalTurn", finance.id],
      ["approvalTurn", gm.id],
      ["approvalTurn", chairman.id],
    ]);
    await decide(chairman, revisionId, 2);
    const rows = await rowsOf(planId);
    expect(rows.map((r) => [r.kind, r.user_id])).toEqual([
      ["approvalTurn", finance.id],
      ["approvalTurn", gm.id],
      ["approvalTurn", chairman.id],
      // Submitter and owner are the same member: one notification.
      ["approved", owner.id],
    ]);
    expect(rows[3]).toMatchObject({ dedupe_key: `decision:${revisionId}`, actor_id: chairman.id });
    expect(JSON.parse(rows[3]!.payload)).toMatchObject({ deciderName: "吴刚", revisionNumber: 1 });
    expect(await notifyDecision(server.db, { revisionId, status: "approved", actorId: chairman.id, comment: "", at: Date.now() })).toEqual([]);

    // Reopened: to the three deciders with the reason; the owner reopened it and is not told.
    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: "嘉宾人数增加到 300 人" })).status).toBe(200);
    const reopened = (await rowsOf(planId)).filter((r) => r.kind === "reopened");
    expect(reopened.map((r) => r.user_id).sort((a, b) => a - b)).toEqual([finance.id, gm.id, chairman.id].sort((a, b) => a - b));
    expect(new Set(reopened.map((r) => r.dedupe_key)).size).toBe(1);
    expect(reopened[0]!.dedupe_key).toMatch(/^reopened:\d+$/);
    expect(JSON.parse(reopened[0]!.payload)).toMatchObject({ reason: "嘉宾人数增加到 300 人", actorName: "李娜", revisionId });
    expect(await notifyReopened(server.db, { planId, revisionId, reason: "嘉宾人数增加到 300 人", actorId: owner.id, at: Date.now() })).toEqual([]);
    expect((await rowsOf(planId)).length).toBe(7);
  });

  it("returned and rejected carry the decider's comment, go to the submitter, and open the plan", async () => {
    const returnedPlan = await planWithBudget("2027 双十一会员日");
    const first = await submit(returnedPlan);
    await decide(finance, first, 0, "requestChanges", "请补充宣传单页的报价单");
    const returned = (await rowsOf(returnedPlan)).filter((r) => r.kind === "returned");
    expect(returned.map((r) => [r.user_id, r.dedupe_key])).toEqual([[owner.id, `decision:${first}`]]);
    expect(JSON.parse(returned[0]!.payload)).toMatchObject({ comment: "请补充宣传单页的报价单", deciderName: "赵敏" });
    expect(notificationLink("returned", returnedPlan, JSON.parse(returned[0]!.payload) as LinkFields)).toBe(`/plans/${returnedPlan}`);

    const rejectedPlan = await planWithBudget("2027 春节银行 VIP 答谢");
    const second = await submit(rejectedPlan);
    await decide(finance, second, 0);
    await decide(gm, second, 1, "reject", "与年度预算方向不符");
    const rejected = (await rowsOf(rejectedPlan)).filter((r) => r.kind === "rejected");
    expect(rejected.map((r) => r.user_id)).toEqual([owner.id]);
    expect(JSON.parse(rejected[0]!.payload)).toMatchObject({ comment: "与年度预算方向不符", deciderName: "周杰" });
    // A retry of the decision's producer, whatever outcome it claims, is the same event.
    expect(await notifyDecision(server.db, { revisionId: second, status: "rejected", actorId: gm.id, comment: "x", at: Date.now() })).toEqual([]);
    // The chairman's step never came up.
    expect((await rowsOf(rejectedPlan)).some((r) => r.user_id === chairman.id)).toBe(false);
  });

  it("fifty parallel retries of one event still notify each recipient once", async () => {
    const planId = await planWithBudget("2027 开业庆典");
    const revisionId = await submit(planId);
    const results = await Promise.all(Array.from({ length: 50 }, () => notifyApprovalTurn(server.db, revisionId, owner.id, Date.now())));
    expect(results.flat()).toEqual([]);
    expect(await deliveries(planId)).toEqual([["approvalTurn", finance.id]]);
  });
});

describe("notify() keeps to members who may read the plan", () => {
  it("drops the actor, inactive members and members who cannot read the plan", async () => {
    const planId = await planWithBudget("2027 端午节酒店促销");
    await addToPlan(server.db, planId, viewerOnPlan.id, "view", owner.id);
    const notified = await server.db.transaction().execute((trx) =>
      notify(trx, {
        event: { kind: "mentioned", planTitle: "2027 端午节酒店促销", actorName: "陈晨", excerpt: "请看一下这段", threadId: "t-1", sectionId: null },
        planId,
        actorId: editor.id,
        recipients: [editor.id, viewerOnPlan.id, viewerOffPlan.id, retiredFinance.id, finance.id, 999_999],
        dedupeKey: "mention:c-1",
        at: Date.now(),
      }),
    );
    // Finance reads every plan; the viewer on the plan reads it; the viewer off it does not.
    expect(notified.sort((a, b) => a - b)).toEqual([finance.id, viewerOnPlan.id].sort((a, b) => a - b));
    expect((await rowsOf(planId)).filter((r) => r.kind === "mentioned").map((r) => r.user_id).sort((a, b) => a - b)).toEqual(notified);
  });

  it("addedToPlan once when a member is added, not when their access changes", async () => {
    const planId = await planWithBudget("2027 七夕门店活动");
    const client = await as(owner);
    expect((await client.post(`/plans/${planId}`, { intent: "setMember", userId: String(gm.id), access: "view" })).status).toBe(200);
    expect((await client.post(`/plans/${planId}`, { intent: "setMember", userId: String(gm.id), access: "edit" })).status).toBe(200);
    const added = (await rowsOf(planId)).filter((r) => r.kind === "addedToPlan");
    expect(added.map((r) => r.user_id)).toEqual([gm.id]);
    const member = await server.db.selectFrom("plan_members").select("added_at").where("plan_id", "=", planId).where("user_id", "=", gm.id).executeTakeFirstOrThrow();
    expect(added[0]!.dedupe_key).toBe(`addedToPlan:${planId}:${member.added_at}`);
    expect(JSON.parse(added[0]!.payload)).toMatchObject({ access: "view", actorName: "李娜" });
  });
});

describe("opening and marking read", () => {
  it("a member opens only their own notification; the POST marks it read, a GET only redirects", async () => {
    const planId = await planWithBudget("2027 国庆快闪店");
    const revisionId = await submit(planId);
    const [turn] = await rowsOf(planId);
    const stranger = await as(gm);
    expect((await stranger.post(`/notifications/${turn!.id}/open`, {})).status).toBe(404);
    expect((await stranger.get(`/notifications/${turn!.id}/open`)).status).toBe(404);
    expect((await (await as(finance)).get("/notifications/abc/open")).status).toBe(404);

    const mine = await as(finance);
    const look = await mine.get(`/notifications/${turn!.id}/open`);
    expect(look.status).toBe(302);
    expect(look.headers.get("location")).toBe(`/approvals/${revisionId}`);
    expect((await rowsOf(planId))[0]!.read_at).toBeNull();

    const opened = await mine.post(`/notifications/${turn!.id}/open`, {});
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/approvals/${revisionId}`);
    expect((await rowsOf(planId))[0]!.read_at).not.toBeNull();
    // Without the CSRF token nothing is marked.
    expect((await mine.post(`/notifications/${turn!.id}/open`, {}, { csrf: false })).status).toBe(403);
  });

  it("全部标为已读 marks what the member saw, never newer ones, and never someone else's", async () => {
    const client = await as(finance);
    const before = await server.db.selectFrom("notifications").select("id").where("user_id", "=", finance.id).where("read_at", "is", null).execute();
    expect(before.length).toBeGreaterThan(0);
    const upToId = Math.max(...before.map((r) => r.id));
    const planId = await planWithBudget("2027 圣诞市集");
    await submit(planId);
    const newer = (await rowsOf(planId))[0]!;
    expect((await client.post("/notifications", { intent: "markAllRead", upToId: String(upToId) })).status).toBe(200);
    const unread = await server.db.selectFrom("notifications").select("id").where("user_id", "=", finance.id).where("read_at", "is", null).execute();
    expect(unread.map((r) => r.id)).toEqual([newer.id]);
    expect((await server.db.selectFrom("notifications").select("read_at").where("user_id", "=", gm.id).where("read_at", "is not", null).execute()).length).toBe(0);
    expect((await client.post("/notifications", { intent: "markAllRead", upToId: "-1" })).status).toBe(400);
    const page = await (await client.get("/notifications?tab=unread")).text();
    expect(page).toContain("轮到你审批");
    expect(page).toContain("2027 圣诞市集");
  });
});

describe("the list", () => {
  it("shows unread first, then newest first, 50 a page, every notification exactly once across pages", async () => {
    const member = await makeMember(server.db, { role: "planner", name: "翻页测试" });
    const planId = await planWithBudget("2027 会员日");
    await addToPlan(server.db, planId, member.id, "view", owner.id);
    for (let i = 0; i < 60; i++) {
      await notify(server.db, {
        event: { kind: "replied", planTitle: "2027 会员日", actorName: "李娜", excerpt: `第 ${i} 条`, threadId: `t-${i}` },
        planId,
        actorId: owner.id,
        recipients: [member.id],
        dedupeKey: `reply:page-${i}`,
        at: Date.now(),
      });
    }
    const ids = (await server.db.selectFrom("notifications").select("id").where("user_id", "=", member.id).orderBy("id").execute()).map((r) => r.id);
    // The ten oldest stay unread; the rest are read.
    const unreadIds = ids.slice(0, 10);
    await server.db.updateTable("notifications").set({ read_at: Date.now() }).where("user_id", "=", member.id).where("id", "not in", unreadIds).execute();

    const client = await as(member);
    const idsOn = async (path: string) => {
      const html = await (await client.get(path)).text();
      const next = /href="\/notifications\?after=([ur]\d+)"/.exec(html)?.[1] ?? null;
      return { ids: [...html.matchAll(/data-notification-id="(\d+)"/g)].map((m) => Number(m[1])), next };
    };
    const first = await idsOn("/notifications");
    expect(first.ids).toHaveLength(50);
    expect(first.ids.slice(0, 10)).toEqual([...unreadIds].reverse());
    expect(first.ids.slice(10)).toEqual([...ids.slice(10)].reverse().slice(0, 40));
    expect(first.next).toMatch(/^r\d+$/);
    const second = await idsOn(`/notifications?after=${first.next}`);
    expect(second.next).toBeNull();
    expect([...first.ids, ...second.ids].sort((a, b) => a - b)).toEqual(ids);
    // The bell's dropdown: the newest ten, read or not.
    const latest = (await (await client.get("/notifications?index&latest=1&_data=routes%2F_app.notifications._index")).json()) as { rows: { id: number }[] };
    expect(latest.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 10));
    // A cursor that is not one is ignored, never an error.
    expect((await client.get("/notifications?after=x1' OR 1")).status).toBe(200);
  });
});

/** A real server-sent-event stream read over HTTP, event by event. */
function openStream(client: HttpClient) {
  const abort = new AbortController();
  const events: Array<{ event: string; data: unknown }> = [];
  let ended = false;
  const response = fetch(new URL("/notifications/stream", server.url), { headers: { cookie: client.cookieHeader }, signal: abort.signal });
  const reading = (async () => {
    const res = await response;
    if (res.status !== 200 || !res.body) {
      ended = true;
      return res.status;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) events.push({ event: name, data: JSON.parse(data) });
        }
      }
    } catch {
      // Aborted by the test.
    }
    ended = true;
    return res.status;
  })();
  // fetch resolves once the headers arrive: the status says whether the stream was accepted.
  const opened = response.then((res) => res.status);
  return { events, opened, ended: () => ended, done: reading, close: () => abort.abort() };
}

const lastUnread = (events: Array<{ event: string; data: unknown }>) => {
  const unread = events.filter((e) => e.event === "unread");
  return (unread[unread.length - 1]?.data as { count: number } | undefined)?.count;
};

describe("the live stream", () => {
  it("sends `unread` on connect and again when a notification arrives", async () => {
    const client = await as(chairman);
    const stream = openStream(client);
    const initial = await server.db.selectFrom("notifications").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", chairman.id).where("read_at", "is", null).executeTakeFirstOrThrow();
    await waitUntil(() => lastUnread(stream.events) === Number(initial.n), "the unread count on connect");
    // Added to a plan over HTTP by its owner: the chairman's open stream hears of it.
    const planId = await planWithBudget("2027 元宵灯会");
    expect((await (await as(owner)).post(`/plans/${planId}`, { intent: "setMember", userId: String(chairman.id), access: "view" })).status).toBe(200);
    await waitUntil(() => lastUnread(stream.events) === Number(initial.n) + 1, "the unread count after a notification");
    stream.close();
    await waitUntil(() => stream.ended(), "the stream to end");
  });

  it("anonymous requests get 401; a member's 6th parallel stream gets 429 (50 parallel opens: 5 stay open)", async () => {
    expect((await fetch(new URL("/notifications/stream", server.url))).status).toBe(401);
    const client = await as(editor);
    const streams = Array.from({ length: 50 }, () => openStream(client));
    const statuses = await Promise.all(streams.map((s) => s.opened));
    expect(statuses.filter((s) => s === 200).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(45);
    expect(openStreamCount(server.db)).toBe(5);
    for (const s of streams) s.close();
    await waitUntil(() => openStreamCount(server.db) === 0, "every stream to close");
    // Slots are given back: a new stream opens.
    const again = openStream(client);
    await waitUntil(() => again.events.length > 0, "a stream after the others closed");
    again.close();
    await waitUntil(() => openStreamCount(server.db) === 0, "the stream to close");
  });

  it("signing out ends the session's streams", async () => {
    const client = new HttpClient(server.url);
    expect((await client.login(viewerOnPlan.username, viewerOnPlan.password)).status).toBe(302);
    const stream = openStream(client);
    await waitUntil(() => stream.events.length > 0, "the stream to open");
    expect((await client.post("/logout", {})).status).toBe(302);
    await waitUntil(() => stream.ended(), "the stream to end after logout");
    expect(openStreamCount(server.db)).toBe(0);
  });
});
