import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import type { PlanSession } from "~/collab/plan-session";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let planner: MadeMember;
let other: MadeMember;
let finance: MadeMember;
let viewer: MadeMember;
const sessions: PlanSession[] = [];

const as = signedInClients(() => server.url);

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = openPlan(await as(member), planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, "synced");
  return session;
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100, maxDocumentBytes: 256 * 1024 } });
  planner = await makeMember(server.db, { role: "planner", name: "李娜" });
  other = await makeMember(server.db, { role: "planner", name: "陈晨" });
  finance = await makeMember(server.db, { role: "finance", name: "赵敏" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});
afterAll(() => server.close());

describe("creating plans", () => {
  it("creates a plan whose document the server seeded with the standard sections", async () => {
    const client = await as(planner);
    const response = await client.post("/plans/new", {
      title: "2027 超市开业",
      campaignType: "opening",
      startDate: "2027-03-01",
      endDate: "2027-03-15",
      store: "浦东店",
    });
    expect(response.status).toBe(302);
    const planId = response.headers.get("location")!.split("/").pop()!;
    expect(await findPlanById(server.db, planId)).toMatchObject({ title: "2027 超市开业", campaign_type: "opening", status: "draft", owner_id: planner.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await server.collab.documentState(planId));
    const { meta, sections } = readPlanDoc(doc);
    expect(meta).toMatchObject({ title: "2027 超市开业", campaignType: "opening", startDate: "2027-03-01", store: "浦东店", currency: "CNY" });
    expect(sections.map((s) => s.heading)).toEqual(["活动背景", "活动目的", "活动主题", "时间地点", "活动内容", "宣传推广", "执行时间表", "人员分工", "经费预算", "效果预估", "应急预案"]);
    const page = await client.get(`/plans/${planId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("活动背景");
  });

  it("explains bad input in Chinese and creates nothing", async () => {
    const client = await as(planner);
    const response = await client.post("/plans/new", { title: "", campaignType: "party", startDate: "2027-02-30", endDate: "2027-01-01" });
    expect(response.status).toBe(400);
    const html = await response.text();
    for (const message of ["方案标题为 1–80 个字符。", "请选择活动类型。", "请输入有效日期（年-月-日）。"]) expect(html).toContain(message);
    const reversed = await client.post("/plans/new", { title: "倒序", campaignType: "holiday", startDate: "2027-05-02", endDate: "2027-05-01" });
    expect(await reversed.text()).toContain("结束日期不能早于开始日期。");
  });

  it("refuses a title made only of invisible characters and strips them from a real one", async () => {
    const client = await as(planner);
    const plansOf = () => server.db.selectFrom("plans").select("title").where("owner_id", "=", planner.id).execute();
    const before = await plansOf();
    const invisible = "\u200B\u200D\u202E\u2060\uFEFF\u0007";
    const refused = await client.post("/plans/new", { title: invisible, campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-15" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("方案标题不能只包含不可见字符。");
    expect(await plansOf()).toEqual(before);

    const created = await client.post("/plans/new", { title: "2027\u200B 中秋\u202E晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-15" });
    expect(created.status).toBe(302);
    const planId = created.headers.get("location")!.split("/").pop()!;
    expect(await findPlanById(server.db, planId)).toMatchObject({ title: "2027 中秋晚会" });
  });

  it("does not let a viewer create plans", async () => {
    expect((await (await as(viewer)).post("/plans/new", { title: "x", campaignType: "holiday", startDate: "2027-01-01", endDate: "2027-01-02" })).status).toBe(403);
  });
});

describe("who sees which plans", () => {
  it("lists own and shared plans to planners, every plan to finance, and filters by title, type and status", async () => {
    const mine = await makePlan(server.db, other.id, "陈晨的中秋晚会");
    const shared = await makePlan(server.db, planner.id, "李娜的双十一大促");
    await addToPlan(server.db, shared, other.id, "view", planner.id);
    const hidden = await makePlan(server.db, planner.id, "李娜的内部方案");
    const list = async (member: MadeMember, query = "") => (await (await as(member)).get(`/plans${query}`)).text();

    const otherSees = await list(other);
    expect(otherSees).toContain("陈晨的中秋晚会");
    expect(otherSees).toContain("李娜的双十一大促");
    expect(otherSees).not.toContain("李娜的内部方案");
    expect(await list(other, "?scope=shared")).not.toContain("陈晨的中秋晚会");
    expect(await list(other, "?scope=mine")).not.toContain("李娜的双十一大促");
    expect(await list(finance)).toContain("李娜的内部方案");
    expect(await list(finance, `?q=${encodeURIComponent("双十一")}`)).not.toContain("李娜的内部方案");
    expect(await list(finance, "?status=archived")).not.toContain("李娜的内部方案");

    expect((await (await as(other)).get(`/plans/${hidden}`)).status).toBe(404);
    expect((await (await as(finance)).get(`/plans/${hidden}`)).status).toBe(200);
    expect((await (await as(other)).get(`/plans/${mine}`)).status).toBe(200);
  });
});

describe("managing a plan", () => {
  it("lets only the owner or an admin manage members, and never gives a viewer edit access", async () => {
    const planId = await makePlan(server.db, planner.id);
    await addToPlan(server.db, planId, other.id, "edit", planner.id);
    const byEditor = await (await as(other)).post(`/plans/${planId}`, { intent: "setMember", userId: String(finance.id), access: "edit" });
    expect(byEditor.status).toBe(403);
    const viewerEdit = await (await as(planner)).post(`/plans/${planId}`, { intent: "setMember", userId: String(viewer.id), access: "edit" });
    expect(viewerEdit.status).toBe(400);
    expect(await viewerEdit.text()).toContain("只读角色的成员只能设为只读。");
    expect((await (await as(planner)).post(`/plans/${planId}`, { intent: "setMember", userId: String(viewer.id), access: "view" })).status).toBe(200);
  });

  it("archives a plan: live editors become read-only and their further edits are refused", async () => {
    const planId = await makePlan(server.db, planner.id);
    await addToPlan(server.db, planId, other.id, "edit", planner.id);
    const editor = await open(other, planId);
    const response = await (await as(planner)).post(`/plans/${planId}`, { intent: "archive" });
    expect(response.status).toBe(302);
    expect((await findPlanById(server.db, planId))?.status).toBe("archived");
    await waitUntil(() => editor.state.accessChanges > 0 && editor.state.synced, "editor reconnected after the archive");
    const doc = editor.state.doc;
    doc.getMap("meta").set("title", "归档后改标题");
    await waitUntil(() => editor.state.doc !== doc && editor.state.synced, "refused edit resynced");
    expect(editor.state.doc.getMap("meta").get("title")).toBe("2027 端午节酒店促销");
    expect((await (await as(planner)).post(`/plans/${planId}`, { intent: "archive" })).status).toBe(403);
  });
});

describe("presence and limits", () => {
  it("shows every client under the name from its session, whatever it claims", async () => {
    const planId = await makePlan(server.db, planner.id);
    await addToPlan(server.db, planId, other.id, "edit", planner.id);
    const a = await open(planner, planId);
    const b = await open(other, planId);
    a.state.provider.awareness.setLocalStateField("user", { name: "董事长", color: "#000000" });
    await waitUntil(() => [...b.state.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === "李娜"), "b sees a");
    const names = [...b.state.provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name);
    expect(names).not.toContain("董事长");
  });

  it("closes the socket of an update that would push the document over its size limit", async () => {
    const planId = await makePlan(server.db, planner.id);
    await addToPlan(server.db, planId, other.id, "edit", planner.id);
    const a = await open(planner, planId);
    const b = await open(other, planId);
    const doc = a.state.doc;
    const fragment = sectionFragment(doc, readPlanDoc(doc).sections[0]!.id);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("很长的内容".repeat(60_000))]);
    fragment.insert(0, [paragraph]);
    await waitUntil(() => a.state.status === "closed", "oversized writer closed");
    expect(a.state.closedCode).toBe(4413);
    const bDoc = b.state.doc;
    bDoc.getMap("meta").set("store", "外滩店（新）");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.state.status).toBe("connected");
    expect(sectionFragment(bDoc, readPlanDoc(bDoc).sections[0]!.id).length).toBe(0);
  });
});
