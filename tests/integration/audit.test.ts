import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../db/queries/audit";
import { findUserByUsername } from "../../db/queries/users";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { formatAuditCursor } from "~/domain/audit";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { makePlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let adminMember: MadeMember;
let admin: HttpClient;

interface AuditData {
  entries: { id: number; at: number; actorId: number | null; actorName: string | null; action: string; targetType: string; targetId: string; targetLabel: string | null }[];
  total: number;
  hasNewer: boolean;
  hasOlder: boolean;
  errors: Record<string, string>;
  actions: string[];
}

async function as(member: MadeMember): Promise<HttpClient> {
  const client = new HttpClient(server.url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  return client;
}

/** The page's loader data, as the browser fetches it on client navigation. */
async function auditData(search: string): Promise<AuditData> {
  const response = await admin.get(`/admin/audit?${search}${search ? "&" : ""}_data=routes%2F_app.admin.audit`);
  expect(response.status).toBe(200);
  return (await response.json()) as AuditData;
}

/** The rows of the rendered table (the filter selects list every action too), without React's text separators. */
function tableBody(html: string): string {
  const start = html.indexOf("<tbody>");
  return start === -1 ? "" : html.slice(start, html.indexOf("</tbody>", start)).replaceAll("<!-- -->", "");
}

const newPlan = { campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" } as const;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  adminMember = await makeMember(server.db, { role: "admin", name: "审计管理员" });
  admin = await as(adminMember);
});
afterAll(() => server.close());

describe("admin: audit log", () => {
  it("shows what members did, newest first, with who, when and on what", async () => {
    const planner = await makeMember(server.db, { role: "planner", name: "周婷" });
    const planId = await makePlan(server.db, planner.id, "2027 中秋客户答谢会");
    const plannerClient = await as(planner);
    expect((await plannerClient.post(`/plans/${planId}`, { intent: "archive" })).status).toBe(302);

    const response = await admin.get(`/admin/audit?actor=${planner.id}`);
    expect(response.status).toBe(200);
    const rows = tableBody(await response.text());
    expect(rows).toContain("创建方案");
    expect(rows).toContain("归档方案");
    expect(rows.indexOf("归档方案")).toBeLessThan(rows.indexOf("创建方案"));
    expect(rows).toContain("周婷");
    expect(rows).toContain(`href="/plans/${planId}"`);
    expect(rows).toContain("2027 中秋客户答谢会");
    // The archive's detail names the status the plan left, in words.
    expect(rows).toContain("原状态");
    expect(rows).toContain("草稿");

    const data = await auditData(`actor=${planner.id}`);
    expect(data.entries.map((e) => [e.action, e.actorName, e.targetType, e.targetId])).toEqual([
      ["plan.archive", "周婷", "plan", planId],
      ["plan.create", "周婷", "plan", planId],
    ]);
    expect(data.total).toBe(2);
  });

  it("shows a member edit as what changed, with the actor's and the roles' names", async () => {
    const created = await admin.post("/admin/members/new", { name: "钱程", username: "qian.cheng", password: "audit-pass-1", role: "planner" });
    expect(created.status).toBe(302);
    const member = (await findUserByUsername(server.db, "qian.cheng"))!;
    expect((await admin.post(`/admin/members/${member.id}`, { intent: "update", name: "钱程", role: "finance", title: "finance" })).status).toBe(200);

    const data = await auditData(`targetType=member&targetId=${member.id}`);
    expect(data.entries.map((e) => [e.action, e.actorName, e.targetLabel])).toEqual([
      ["member.update", "审计管理员", "钱程"],
      ["member.create", "审计管理员", "钱程"],
    ]);
    const rows = tableBody(await (await admin.get(`/admin/audit?targetType=member&targetId=${member.id}&action=member.update`)).text());
    expect(rows).toContain("修改成员");
    expect(rows).toMatch(/角色: <\/span>策划 → 财务/);
    expect(rows).toMatch(/审批职务: <\/span>无 → 财务部/);
    expect(rows).not.toContain("新建成员");
  });

  it("narrows by actor, by exact action and by action group", async () => {
    const planner = await makeMember(server.db, { role: "planner", name: "吴昊" });
    const colleague = await makeMember(server.db, { role: "planner", name: "郑爽" });
    const planId = await makePlan(server.db, planner.id);
    const colleaguePlan = await makePlan(server.db, colleague.id);
    const plannerClient = await as(planner);
    expect((await plannerClient.post(`/plans/${planId}`, { intent: "setMember", userId: String(colleague.id), access: "edit" })).status).toBe(200);

    const mine = await auditData(`actor=${planner.id}`);
    expect(mine.entries.map((e) => e.action)).toEqual(["plan.member.set", "plan.create"]);
    expect(mine.entries.every((e) => e.targetId === planId)).toBe(true);

    const exact = await auditData(`actor=${planner.id}&action=plan.create`);
    expect(exact.entries.map((e) => [e.action, e.targetId])).toEqual([["plan.create", planId]]);

    const group = await auditData(`action=plan.&targetType=plan&targetId=${colleaguePlan}`);
    expect(group.entries.map((e) => [e.action, e.actorId])).toEqual([["plan.create", colleague.id]]);

    const otherGroup = await auditData(`actor=${planner.id}&action=template.`);
    expect(otherGroup.entries).toEqual([]);
    expect(otherGroup.total).toBe(0);
    expect(mine.actions).toEqual(expect.arrayContaining(["plan.create", "plan.member.set"]));

    const html = tableBody(await (await admin.get(`/admin/audit?actor=${planner.id}&action=plan.member.set`)).text());
    expect(html).toContain("设置协作成员");
    expect(html).toMatch(/成员: <\/span>郑爽/);
    expect(html).toMatch(/权限: <\/span>可编辑/);
  });

  it("reads budget approval entries in the approval's own words and money format", async () => {
    const planner = await makeMember(server.db, { role: "planner", name: "蒋欣" });
    const planId = await makePlan(server.db, planner.id, "2027 双十一商场促销");
    const at = Date.now();
    const detail = { revision: 1, spendFen: 12_345_678, netFen: 12_000_000, lines: 3, chain: ["finance", "gm", "chairman"] };
    await recordAudit(server.db, { actorId: planner.id, action: "approval.submit", targetType: "plan", targetId: planId, detail, at });
    const decision = { revision: 1, step: 1, decision: "requestChanges", comment: "请补充报价单", outcome: "changesRequested" };
    await recordAudit(server.db, { actorId: adminMember.id, action: "approval.decide", targetType: "plan", targetId: planId, detail: decision, at: at + 1 });

    const rows = tableBody(await (await admin.get(`/admin/audit?targetType=plan&targetId=${planId}&action=approval.`)).text());
    expect(rows).toContain("提交预算审批");
    expect(rows).toContain("支出: </span>¥123,456.78");
    expect(rows).toContain("审批流程: </span>财务部、总经理、董事长");
    expect(rows).toContain("审批决定");
    expect(rows).toContain("审批步骤: </span>核准");
    expect(rows).toContain("审批决定: </span>退回修改");
    expect(rows).toContain("意见: </span>请补充报价单");
    expect(rows).toContain("审批结果: </span>已退回修改");
    expect(rows).not.toContain("创建方案");
  });

  it("narrows by China calendar day, midnight to midnight UTC+8", async () => {
    const planner = await makeMember(server.db, { role: "planner", name: "冯雪" });
    // 2026-11-22 23:59:59.999 and 2026-11-23 00:00 in China.
    const lastMoment = Date.parse("2026-11-22T15:59:59.999Z");
    const firstMoment = Date.parse("2026-11-22T16:00:00.000Z");
    const late = await createPlan(server.db, planner.id, { ...newPlan, title: "二十二日深夜" }, BLANK_PLAN, lastMoment);
    const early = await createPlan(server.db, planner.id, { ...newPlan, title: "二十三日零点" }, BLANK_PLAN, firstMoment);

    expect((await auditData(`actor=${planner.id}&from=2026-11-23&to=2026-11-23`)).entries.map((e) => e.targetId)).toEqual([early]);
    expect((await auditData(`actor=${planner.id}&to=2026-11-22`)).entries.map((e) => e.targetId)).toEqual([late]);
    expect((await auditData(`actor=${planner.id}&from=2026-11-22&to=2026-11-23`)).entries.map((e) => e.targetId)).toEqual([early, late]);
    expect((await auditData(`actor=${planner.id}&from=2026-11-24`)).entries).toEqual([]);

    const rows = tableBody(await (await admin.get(`/admin/audit?actor=${planner.id}&from=2026-11-23`)).text());
    expect(rows).toContain("2026年11月23日 00:00:00");
  });

  it("pages back and forth through more than one page without repeating or skipping", async () => {
    const member = await makeMember(server.db, { role: "planner", name: "翻页人" });
    const base = Date.parse("2026-10-01T02:00:00Z");
    // Two entries share each instant, so the order falls back on the id.
    for (let i = 0; i < 53; i++) {
      await recordAudit(server.db, { actorId: member.id, action: "plan.member.set", targetType: "plan", targetId: `page-${i}`, at: base + Math.floor(i / 2) * 1000 });
    }
    const first = await auditData(`actor=${member.id}`);
    expect(first.total).toBe(53);
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]!.targetId).toBe("page-52");
    expect([first.hasNewer, first.hasOlder]).toEqual([false, true]);

    const second = await auditData(`actor=${member.id}&before=${formatAuditCursor(first.entries.at(-1)!)}`);
    expect(second.entries.map((e) => e.targetId)).toEqual(["page-2", "page-1", "page-0"]);
    expect([second.hasNewer, second.hasOlder]).toEqual([true, false]);

    const back = await auditData(`actor=${member.id}&after=${formatAuditCursor(second.entries[0]!)}`);
    expect(back.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
    expect([back.hasNewer, back.hasOlder]).toEqual([false, true]);

    const html = await (await admin.get(`/admin/audit?actor=${member.id}`)).text();
    expect(html).toContain(`before=${formatAuditCursor(first.entries.at(-1)!)}`);
    expect(html).toContain("较早 →");
  });

  it("names each bad filter beside it and lists nothing", async () => {
    const response = await admin.get("/admin/audit?actor=abc&action=plan%25&from=2026-02-30&to=2026-01-01");
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("筛选条件有误");
    expect(html).toContain("请从列表中选择操作人。");
    expect(html).toContain("请从列表中选择操作类型。");
    expect(html).toContain("请输入有效日期（年-月-日）。");
    expect(html).not.toContain("<tbody>");

    const reversed = await admin.get("/admin/audit?from=2026-12-01&to=2026-11-01");
    expect(reversed.status).toBe(400);
    expect(await reversed.text()).toContain("结束日期不能早于开始日期。");
  });

  it("says so when nothing matches", async () => {
    const html = await (await admin.get("/admin/audit?action=nothing.here")).text();
    expect(html).toContain("没有符合条件的记录。");
  });

  it("is for admins only", async () => {
    for (const role of ["planner", "manager", "finance", "viewer"] as const) {
      const client = await as(await makeMember(server.db, { role }));
      expect((await client.get("/admin/audit")).status).toBe(403);
      expect((await client.get("/admin/audit?_data=routes%2F_app.admin.audit")).status).toBe(403);
    }
    const anonymous = new HttpClient(server.url);
    const response = await anonymous.get("/admin/audit");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect(await (await admin.get("/admin/members")).text()).toContain('href="/admin/audit"');
  });
});

describe("the audit log is append-only", () => {
  it("refuses to change or delete an entry, through any query, and keeps it as it was", async () => {
    const planner = await makeMember(server.db, { role: "planner" });
    const planId = await makePlan(server.db, planner.id);
    const before = await server.db.selectFrom("audit_log").selectAll().where("target_id", "=", planId).execute();
    expect(before.map((e) => e.action)).toEqual(["plan.create"]);
    const id = before[0]!.id;
    const count = async () => (await server.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const total = await count();

    await expect(sql`UPDATE audit_log SET actor_id = NULL, action = 'plan.nothing' WHERE id = ${id}`.execute(server.db)).rejects.toThrow("audit_log is append-only");
    await expect(server.db.updateTable("audit_log").set({ detail: "{}" }).execute()).rejects.toThrow("audit_log is append-only");
    await expect(sql`DELETE FROM audit_log WHERE id = ${id}`.execute(server.db)).rejects.toThrow("audit_log is append-only");
    await expect(server.db.deleteFrom("audit_log").execute()).rejects.toThrow("audit_log is append-only");

    expect(await server.db.selectFrom("audit_log").selectAll().where("target_id", "=", planId).execute()).toEqual(before);
    expect(await count()).toBe(total);
  });

  it("still takes new entries", async () => {
    const member = await makeMember(server.db, { role: "viewer" });
    await recordAudit(server.db, { actorId: member.id, action: "member.update", targetType: "member", targetId: member.id, detail: { note: "追加" }, at: Date.now() });
    const rows = await server.db.selectFrom("audit_log").select(["action", "detail"]).where("actor_id", "=", member.id).execute();
    expect(rows).toEqual([{ action: "member.update", detail: '{"note":"追加"}' }]);
  });
});
