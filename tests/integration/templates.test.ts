import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { builtInTemplates, findBuiltInTemplate } from "../../templates/index";
import type { PlanSession } from "~/collab/plan-session";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { blankRow, blocksFromInstance, insertRow, readBlock, totalsOf, updateRow, type BlockRoot } from "~/domain/plan-document";
import { instantiateTemplate, type Template } from "~/domain/template";
import { fragmentLines } from "~/domain/template-from-plan";
import { createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let planner: MadeMember;
let otherPlanner: MadeMember;
let viewer: MadeMember;
let admin: MadeMember;
const sessions: PlanSession[] = [];

const as = signedInClients(() => server.url);

function gala(): Template {
  const template = findBuiltInTemplate("mid-autumn-client-gala");
  if (!template) throw new Error("the mid-autumn template is missing");
  return template;
}

async function serverDoc(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  return doc;
}

async function planCount(): Promise<number> {
  const row = await server.db.selectFrom("plans").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

function planIdFrom(response: Response): string {
  expect(response.status).toBe(302);
  const location = response.headers.get("location") ?? "";
  expect(location).toMatch(/^\/plans\/[A-Za-z0-9_-]{10,32}$/);
  return location.split("/").pop() ?? "";
}

/** What the create form posts: to the URL the page was opened at, as a browser does. */
async function createFromTemplate(member: MadeMember, fields: Record<string, string>): Promise<Response> {
  const query = new URLSearchParams({ template: fields.templateId ?? "", ...(fields.year ? { year: fields.year } : {}), ...(fields.anchorDate ? { anchorDate: fields.anchorDate } : {}) });
  return (await as(member)).post(`/plans/new?${query.toString()}`, fields);
}

/** A plan made from the gala template the way the create form makes one. */
async function galaPlan(ownerId: number, year: number): Promise<string> {
  const instance = instantiateTemplate(gala(), { year });
  return createPlan(
    server.db,
    ownerId,
    { title: `${year} 中秋客户答谢晚会`, campaignType: "holiday", startDate: instance.startDate, endDate: instance.endDate, store: "南京西路店" },
    { templateId: instance.templateId, anchor: instance.anchor, sections: instance.sections, blocks: blocksFromInstance(instance) },
  );
}

async function saveAsTemplate(member: MadeMember, planId: string, fields: Record<string, string>): Promise<string> {
  const response = await (await as(member)).post(`/plans/${planId}/save-template`, fields);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "", server.url);
  expect(location.pathname).toBe("/plans/new");
  expect(location.searchParams.get("saved")).toBe("1");
  const id = location.searchParams.get("template") ?? "";
  expect(id).toMatch(/^custom-[a-z0-9]+$/);
  return id;
}

/** Everything a plan's content holds, without row ids (which are new in every plan). */
function contentOf(doc: Y.Doc) {
  const { meta, sections } = readPlanDoc(doc);
  const rows = (root: BlockRoot) => readBlock(doc, root).rows.map(({ id: _id, ...row }) => row);
  return {
    anchor: meta.anchor,
    sections: sections.map((s) => ({ heading: s.heading, kind: s.kind, lines: s.kind === "richText" ? fragmentLines(sectionFragment(doc, s.id)) : [] })),
    timeline: rows("timeline"),
    roles: rows("roles"),
    budget: rows("budget"),
    kpis: rows("kpis"),
    totals: totalsOf(readBlock(doc, "budget").rows),
  };
}

async function auditOf(targetId: string) {
  const rows = await server.db.selectFrom("audit_log").selectAll().where("target_id", "=", targetId).orderBy("id").execute();
  return rows.map((row) => ({ action: row.action, actorId: row.actor_id, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  planner = await makeMember(server.db, { role: "planner", name: "李娜" });
  otherPlanner = await makeMember(server.db, { role: "planner", name: "陈晨" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  admin = await makeMember(server.db, { role: "admin", name: "王强" });
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});
afterAll(() => server.close());

describe("creating a plan from a template", () => {
  it("previews 中秋客户答谢晚会 for 2027 on the server, without JavaScript", async () => {
    const page = await (await as(planner)).get("/plans/new?template=mid-autumn-client-gala&year=2027");
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of ["空白方案", "中秋客户答谢晚会", "2027-09-15", "星期三", "中秋节", "2027-08-25 – 2027-09-18", "¥6,800.00", "待定 7 项", "活动物料及费用预估", "筹备期"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('value="2027 中秋客户答谢晚会"');
  });

  it("creates the plan from the form: 2027 anchors on 2027-09-15, with the template's sections and rows", async () => {
    const response = await createFromTemplate(planner, { templateId: "mid-autumn-client-gala", year: "2027", title: "2027 中秋客户答谢晚会", store: "南京西路店" });
    const planId = planIdFrom(response);
    expect(await findPlanById(server.db, planId)).toMatchObject({
      title: "2027 中秋客户答谢晚会",
      campaign_type: "holiday",
      start_date: "2027-08-25",
      end_date: "2027-09-18",
      template_id: "mid-autumn-client-gala",
      owner_id: planner.id,
    });
    const doc = await serverDoc(planId);
    const { meta, sections } = readPlanDoc(doc);
    expect(meta).toMatchObject({ anchor: "2027-09-15", templateId: "mid-autumn-client-gala", store: "南京西路店" });
    expect(sections.map((s) => [s.heading, s.kind])).toEqual(gala().sections.map((s) => [s.heading, s.kind]));
    const timeline = readBlock(doc, "timeline").rows;
    expect(timeline).toHaveLength(14);
    expect(timeline.find((row) => row.task.startsWith("答谢晚会"))).toMatchObject({ phase: "live", start: "2027-09-11", end: "2027-09-11", owner: "主持人" });
    expect(readBlock(doc, "roles").rows.map((r) => r.role)).toContain("蛋糕师傅（1人）");
    expect(totalsOf(readBlock(doc, "budget").rows)).toMatchObject({ spendFen: 680000, incomeFen: 0, tbdCount: 7 });
    expect(readBlock(doc, "kpis").rows.map((k) => k.name)).toEqual(["到访客户", "老客户回馈礼品发放", "现场新客户登记"]);
    expect(await auditOf(planId)).toEqual([
      { action: "plan.create", actorId: planner.id, detail: { title: "2027 中秋客户答谢晚会", templateId: "mid-autumn-client-gala", anchor: "2027-09-15" } },
    ]);
    doc.destroy();
  });

  it("anchors the same template on 2028-10-03 for 2028", async () => {
    const planId = planIdFrom(await createFromTemplate(planner, { templateId: "mid-autumn-client-gala", year: "2028", title: "2028 中秋客户答谢晚会" }));
    const doc = await serverDoc(planId);
    expect(readPlanDoc(doc).meta.anchor).toBe("2028-10-03");
    expect(readBlock(doc, "timeline").rows.find((row) => row.task.startsWith("答谢晚会"))).toMatchObject({ start: "2028-09-29" });
    expect(await findPlanById(server.db, planId)).toMatchObject({ start_date: "2028-09-12", end_date: "2028-10-06" });
    doc.destroy();
  });

  it("places a picked-date template on the 开业日 given", async () => {
    const planId = planIdFrom(await createFromTemplate(planner, { templateId: "supermarket-grand-opening", anchorDate: "2027-04-28", title: "浦东店开业" }));
    const doc = await serverDoc(planId);
    expect(readPlanDoc(doc).meta).toMatchObject({ anchor: "2027-04-28", campaignType: "opening" });
    expect(totalsOf(readBlock(doc, "budget").rows)).toMatchObject({ spendFen: 2070000, incomeFen: 1150000, netFen: 920000 });
    doc.destroy();
  });

  it("explains a bad year, date, title or template in Chinese beside the field and creates nothing", async () => {
    const before = await planCount();
    const cases: [Record<string, string>, string][] = [
      [{ templateId: "mid-autumn-client-gala", year: "1800", title: "太早" }, "请输入 1900–2100 之间的年份。"],
      [{ templateId: "mid-autumn-client-gala", year: "二〇二七", title: "中文年份" }, "请输入 1900–2100 之间的年份。"],
      [{ templateId: "mid-autumn-client-gala", year: "2027", title: "" }, "方案标题为 1–80 个字符。"],
      [{ templateId: "supermarket-grand-opening", title: "没有开业日" }, "请选择活动基准日。"],
      [{ templateId: "supermarket-grand-opening", anchorDate: "2027-02-30", title: "不存在的日期" }, "请输入有效日期（年-月-日）。"],
      [{ templateId: "no-such-template", year: "2027", title: "未知模板" }, "请选择一个可用的模板。"],
    ];
    for (const [fields, message] of cases) {
      const response = await createFromTemplate(planner, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect(await planCount()).toBe(before);
  });

  it("still creates a blank plan when no template is chosen", async () => {
    const planId = planIdFrom(
      await (await as(planner)).post("/plans/new", { title: "2027 会员日", campaignType: "membership", startDate: "2027-05-01", endDate: "2027-05-03", store: "" }),
    );
    const doc = await serverDoc(planId);
    expect(readPlanDoc(doc).meta).toMatchObject({ anchor: "", templateId: null });
    expect(readBlock(doc, "timeline").rows).toEqual([]);
    doc.destroy();
  });
});

describe("saving a plan as a template", () => {
  it("acceptance 7: a plan saved as a template and created again has the same sections, rows and totals", async () => {
    const planId = await galaPlan(planner.id, 2027);
    // Edit the live plan first, as planners do: a new budget line, a changed price, new text.
    const client = await as(planner);
    const session = openPlan(client, planId);
    sessions.push(session);
    await waitUntil(() => session.state.synced, "synced");
    const doc = session.state.doc;
    insertRow(doc, "budget", { ...blankRow("budget", "2027-08-01"), category: "活动物料", item: "月饼礼盒", quantityHundredths: 2000, unit: "盒", unitPriceFen: 12850, owner: "置业顾问" });
    const backdrop = readBlock(doc, "budget").rows.find((row) => row.item === "背景板");
    updateRow(doc, "budget", backdrop?.id ?? "", { unitPriceFen: 45000 });
    const { sections } = readPlanDoc(doc);
    const theme = sections.find((s) => s.heading === "活动主题");
    doc.transact(() => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("今年加入月饼礼盒。")]);
      sectionFragment(doc, theme?.id ?? "").push([paragraph]);
    });
    await waitUntil(async () => readBlock(await serverDoc(planId), "budget").rows.length === 13, "the edits reach the server");
    session.destroy();

    const templateId = await saveAsTemplate(planner, planId, { name: "我们的中秋晚会", description: "2027 年的中秋晚会，含月饼礼盒。", keepAmounts: "on" });
    const stored = await server.db.selectFrom("custom_templates").selectAll().where("id", "=", templateId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: "我们的中秋晚会", campaign_type: "holiday", source_plan_id: planId, created_by: planner.id, hidden: 0 });
    expect(await auditOf(templateId)).toEqual([
      { action: "template.create", actorId: planner.id, detail: { name: "我们的中秋晚会", sourcePlanId: planId, keepAmounts: true } },
    ]);

    const page = await client.get(`/plans/new?template=${templateId}&year=2027`);
    const html = await page.text();
    expect(html).toContain("我们的中秋晚会");
    expect(html).toContain("2027-09-15");
    // ¥6,800 + ¥450 backdrop + 20 × ¥128.50 gift boxes
    expect(html).toContain("¥9,820.00");

    const copyId = planIdFrom(await createFromTemplate(planner, { templateId, year: "2027", title: "2027 我们的中秋晚会" }));
    const [original, copy] = [await serverDoc(planId), await serverDoc(copyId)];
    expect(contentOf(copy)).toEqual(contentOf(original));
    expect(contentOf(copy).totals).toMatchObject({ spendFen: 982000, tbdCount: 6 });
    expect(readPlanDoc(copy).meta.templateId).toBe(templateId);

    // The saved template keeps the lunar anchor: in 2028 it lands on 中秋 2028-10-03.
    const nextYear = planIdFrom(await createFromTemplate(planner, { templateId, year: "2028", title: "2028 我们的中秋晚会" }));
    expect(readPlanDoc(await serverDoc(nextYear)).meta.anchor).toBe("2028-10-03");
  });

  it("saves every price as 待定 when 保留金额 is not ticked", async () => {
    const planId = await galaPlan(planner.id, 2027);
    const templateId = await saveAsTemplate(planner, planId, { name: "中秋晚会（无金额）", description: "不含金额" });
    const copyId = planIdFrom(await createFromTemplate(planner, { templateId, year: "2027", title: "2027 中秋（待定）" }));
    const budget = readBlock(await serverDoc(copyId), "budget").rows;
    expect(budget.map((row) => row.unitPriceFen)).toEqual(budget.map(() => null));
    expect(totalsOf(budget)).toMatchObject({ spendFen: 0, incomeFen: 0, tbdCount: 12 });
  });

  it("names what to fix in the plan and saves nothing when the plan cannot be a template", async () => {
    const planId = await galaPlan(planner.id, 2027);
    const session = openPlan(await as(planner), planId);
    sessions.push(session);
    await waitUntil(() => session.state.synced, "synced");
    insertRow(session.state.doc, "roles", { ...blankRow("roles", "2027-08-01"), person: "周杰", role: "摄影师" });
    await waitUntil(async () => readBlock(await serverDoc(planId), "roles").rows.length === 7, "the new role reaches the server");
    const before = await server.db.selectFrom("custom_templates").select("id").execute();
    const response = await (await as(planner)).post(`/plans/${planId}/save-template`, { name: "有问题的模板", description: "缺职责", keepAmounts: "on" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("「活动分工」第 7 行（摄影师）没有填写职责。");
    expect(await server.db.selectFrom("custom_templates").select("id").execute()).toEqual(before);
  });

  it("refuses viewers (403) and members who cannot read the plan (404)", async () => {
    const planId = await galaPlan(planner.id, 2027);
    await addToPlan(server.db, planId, viewer.id, "view", planner.id);
    expect((await (await as(viewer)).get(`/plans/${planId}/save-template`)).status).toBe(403);
    expect((await (await as(viewer)).post(`/plans/${planId}/save-template`, { name: "偷存", description: "x", keepAmounts: "on" })).status).toBe(403);
    expect((await (await as(otherPlanner)).post(`/plans/${planId}/save-template`, { name: "偷存", description: "x" })).status).toBe(404);
    expect(await server.db.selectFrom("custom_templates").select("id").where("name", "=", "偷存").execute()).toEqual([]);
    // The plan page offers the link to planners, not to viewers.
    expect(await (await (await as(planner)).get(`/plans/${planId}`)).text()).toContain("另存为模板");
    expect(await (await (await as(viewer)).get(`/plans/${planId}`)).text()).not.toContain("另存为模板");
  });

  it("refuses a planner who was given view-only access to the plan (403), and saves for one with edit access", async () => {
    const planId = await galaPlan(planner.id, 2027);
    const reader = await makeMember(server.db, { role: "planner", name: "只读策划" });
    await addToPlan(server.db, planId, reader.id, "view", planner.id);
    expect((await (await as(reader)).get(`/plans/${planId}/save-template`)).status).toBe(403);
    expect((await (await as(reader)).post(`/plans/${planId}/save-template`, { name: "只读偷存", description: "x", keepAmounts: "on" })).status).toBe(403);
    expect(await server.db.selectFrom("custom_templates").select("id").where("name", "=", "只读偷存").execute()).toEqual([]);
    expect(await (await (await as(reader)).get(`/plans/${planId}`)).text()).not.toContain("另存为模板");

    await addToPlan(server.db, planId, reader.id, "edit", planner.id);
    await saveAsTemplate(reader, planId, { name: "协作者存的模板", description: "有编辑权", keepAmounts: "on" });
  });

  it("asks for a name and a description", async () => {
    const planId = await galaPlan(planner.id, 2027);
    const response = await (await as(planner)).post(`/plans/${planId}/save-template`, { name: " ", description: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("模板名称为 1–80 个字符。");
    expect(html).toContain("模板说明为 1–1000 个字符。");
  });

  it("refuses a template name made only of invisible characters and saves nothing", async () => {
    const planId = await galaPlan(planner.id, 2027);
    const before = await server.db.selectFrom("custom_templates").select("id").execute();
    const response = await (await as(planner)).post(`/plans/${planId}/save-template`, { name: "\u200B\u202E\u2060", description: "看不见的名称", keepAmounts: "on" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("模板名称不能只包含不可见字符。");
    expect(await server.db.selectFrom("custom_templates").select("id").execute()).toEqual(before);
  });
});

describe("managing custom templates", () => {
  it("lets an admin hide a template (no longer offered, creating from it refused), show it again and delete it", async () => {
    const templateId = await saveAsTemplate(planner, await galaPlan(planner.id, 2027), { name: "待隐藏的中秋模板", description: "管理测试", keepAmounts: "on" });
    expect(await (await (await as(otherPlanner)).get("/plans/new")).text()).toContain("待隐藏的中秋模板");

    const adminClient = await as(admin);
    const list = await (await adminClient.get("/admin/templates")).text();
    expect(list).toContain("待隐藏的中秋模板");
    expect(list).toContain("李娜");

    expect((await adminClient.post("/admin/templates", { intent: "hide", templateId })).status).toBe(200);
    expect(await (await (await as(otherPlanner)).get("/plans/new")).text()).not.toContain("待隐藏的中秋模板");
    expect(await (await (await as(otherPlanner)).get(`/plans/new?template=${templateId}`)).text()).toContain("该模板不存在或已停用");
    const before = await planCount();
    const refused = await createFromTemplate(otherPlanner, { templateId, year: "2027", title: "用隐藏模板" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("请选择一个可用的模板。");
    expect(await planCount()).toBe(before);
    expect(await (await adminClient.get("/admin/templates")).text()).toContain("已隐藏");

    expect((await adminClient.post("/admin/templates", { intent: "show", templateId })).status).toBe(200);
    planIdFrom(await createFromTemplate(otherPlanner, { templateId, year: "2027", title: "用恢复的模板" }));

    expect((await adminClient.post("/admin/templates", { intent: "delete", templateId })).status).toBe(200);
    expect(await server.db.selectFrom("custom_templates").select("id").where("id", "=", templateId).execute()).toEqual([]);
    expect(await (await (await as(otherPlanner)).get("/plans/new")).text()).not.toContain("待隐藏的中秋模板");
    expect((await auditOf(templateId)).map((entry) => [entry.action, entry.actorId])).toEqual([
      ["template.create", planner.id],
      ["template.hide", admin.id],
      ["template.show", admin.id],
      ["template.delete", admin.id],
    ]);
  });

  it("keeps custom ids apart from the built-ins", async () => {
    expect(builtInTemplates().filter((template) => template.id.startsWith("custom-"))).toEqual([]);
    await expect(
      server.db
        .insertInto("custom_templates")
        .values({ id: "mid-autumn-client-gala", data: "{}", name: "冒名", campaign_type: "holiday", source_plan_id: null, created_by: admin.id, created_at: Date.now(), hidden: 0 })
        .execute(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });

  it("is for admins only", async () => {
    const templateId = await saveAsTemplate(planner, await galaPlan(planner.id, 2027), { name: "策划不能删", description: "权限测试" });
    expect((await (await as(planner)).get("/admin/templates")).status).toBe(403);
    expect((await (await as(planner)).post("/admin/templates", { intent: "delete", templateId })).status).toBe(403);
    expect(await server.db.selectFrom("custom_templates").select("id").where("id", "=", templateId).execute()).toHaveLength(1);
  });

  it("skips and logs a stored template that no longer passes the schema; the picker keeps working and an admin can delete it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await server.db
        .insertInto("custom_templates")
        .values({ id: "custom-broken1", data: JSON.stringify({ id: "custom-broken1", name: "坏模板" }), name: "坏模板", campaign_type: "holiday", source_plan_id: null, created_by: admin.id, created_at: Date.now(), hidden: 0 })
        .execute();
      const page = await (await as(planner)).get("/plans/new");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("中秋客户答谢晚会");
      expect(html).not.toContain("坏模板");
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("custom template custom-broken1 is skipped"));
      expect((await createFromTemplate(planner, { templateId: "custom-broken1", year: "2027", title: "坏" })).status).toBe(400);

      const adminClient = await as(admin);
      expect(await (await adminClient.get("/admin/templates")).text()).toContain("数据无效");
      expect((await adminClient.post("/admin/templates", { intent: "delete", templateId: "custom-broken1" })).status).toBe(200);
      expect(await server.db.selectFrom("custom_templates").select("id").where("id", "=", "custom-broken1").execute()).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});
