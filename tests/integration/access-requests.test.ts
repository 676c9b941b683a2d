// 申请访问 (issue 18): a member on a link to a plan they may not read sees why and can ask its owner, once a day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { HttpClient, signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const as = signedInClients(() => server.url);
let owner: MadeMember;
let outsider: MadeMember;
let viewer: MadeMember;

const TITLE = "绝密：2027 中秋晚会";

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  outsider = await makeMember(server.db, { role: "planner", name: "陈晨" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
});
afterAll(async () => {
  as.clear();
  await server.close();
});

function newPlan(): Promise<string> {
  return createPlan(server.db, owner.id, { title: TITLE, campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" }, BLANK_PLAN);
}

function requestsTo(userId: number, planId: string) {
  return server.db.selectFrom("notifications").selectAll().where("user_id", "=", userId).where("plan_id", "=", planId).where("kind", "=", "accessRequested").execute();
}

describe("a plan the member may not read", () => {
  it("answers the page with the no-access code and the id from the link, never the title", async () => {
    const planId = await newPlan();
    const page = await (await as(outsider)).get(`/plans/${planId}`);
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain("你没有此方案的访问权限");
    expect(html).toContain("申请访问");
    expect(html).not.toContain(TITLE);
    expect(html).not.toContain("页面不存在");

    const data = await (await as(outsider)).get(`/plans/${planId}?_data=${encodeURIComponent("routes/_app.plans.$planId")}`);
    expect(data.status).toBe(404);
    expect(await data.json()).toEqual({ code: "noAccess", planId });
  });

  it("still answers 404 页面不存在 for a plan that does not exist", async () => {
    const page = await (await as(outsider)).get("/plans/no-such-plan-0000000000");
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain("页面不存在");
    expect(html).not.toContain("申请访问");
    const asked = await (await as(outsider)).post("/plans/no-such-plan-0000000000/request-access", {});
    expect(asked.status).toBe(404);
  });

  it("notifies the owner once for fifty raced requests, with a link to the member panel", async () => {
    const planId = await newPlan();
    const client = await as(viewer);
    const responses = await Promise.all(Array.from({ length: 50 }, () => client.post(`/plans/${planId}/request-access`, {})));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const states = await Promise.all(responses.map(async (r) => ((await r.json()) as { state: string }).state));
    expect(states.filter((s) => s === "sent")).toHaveLength(1);
    expect(states.filter((s) => s === "alreadySent")).toHaveLength(49);

    const rows = await requestsTo(owner.id, planId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_id).toBe(viewer.id);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ planTitle: TITLE, actorName: "郑洁", requesterId: viewer.id });

    const opened = await (await as(owner)).post(`/notifications/${rows[0]!.id}/open`, {});
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/plans/${planId}#members`);
    // Nobody else is told: the asker gets no copy.
    expect(await requestsTo(viewer.id, planId)).toHaveLength(0);
  });

  it("says so when the member can read the plan, and refuses a post without the CSRF token", async () => {
    const planId = await newPlan();
    await addToPlan(server.db, planId, outsider.id, "view", owner.id);
    const asked = await (await as(outsider)).post(`/plans/${planId}/request-access`, {});
    expect(await asked.json()).toEqual({ ok: true, state: "canRead" });
    expect(await requestsTo(owner.id, planId)).toHaveLength(0);

    const other = await newPlan();
    const forged = await (await as(viewer)).post(`/plans/${other}/request-access`, {}, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await requestsTo(owner.id, other)).toHaveLength(0);
  });

  it("lets the owner add the asker, who then reads the plan", async () => {
    const planId = await newPlan();
    const asker = await makeMember(server.db, { role: "planner", name: "王芳" });
    expect((await (await as(asker)).post(`/plans/${planId}/request-access`, {})).status).toBe(200);
    const added = await (await as(owner)).post(`/plans/${planId}`, { intent: "setMember", userId: String(asker.id), access: "view" });
    expect(added.status).toBeLessThan(400);
    const page = await (await as(asker)).get(`/plans/${planId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(TITLE);
  });

  it("requires a signed-in member", async () => {
    const planId = await newPlan();
    const anonymous = new HttpClient(server.url);
    expect((await anonymous.post(`/plans/${planId}/request-access`, {})).status).toBe(401);
  });
});
