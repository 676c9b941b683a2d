import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { listSteps } from "../../db/queries/approvals";
import { approvalInbox, approvalInboxCount } from "~/services/approval-views.server";
import { sendOverdueReminders } from "~/services/approval-center.server";
import { blankRow } from "~/domain/plan-document";
import type { NotificationKind } from "~/domain/notifications";
import { DEFAULT_AUTHORITY_MATRIX } from "~/domain/approval";
import { draftFromMatrix, type MatrixDraft } from "~/domain/authority-form";
import { loadAuthorityMatrix } from "~/services/authority.server";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { HttpClient, signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";
import { waitUntil } from "../support/collab-client";

const HOUR = 3_600_000;

/** Text without React's separators between interpolated parts. */
const textOf = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

/** The rows of the approval center page: plan title per revision, in order, and the tab counts. */
function parseCenter(html: string) {
  const rows = [...html.matchAll(/<tr data-revision-id="(\d+)"[^>]*>.*?<a [^>]*href="\/approvals\/\d+"[^>]*>([^<]+)<\/a>(.*?)<\/tr>/gs)].map((m) => ({ id: Number(m[1]), title: m[2]!, cells: m[3]! }));
  const counts = Object.fromEntries([...html.matchAll(/data-tab="(\w+)" data-count="(\d+)"/g)].map((m) => [m[1]!, Number(m[2])]));
  return { rows, titles: rows.map((r) => r.title), counts };
}

/** The authority form's fields for a draft, as the page posts them. */
function formFieldsOf(draft: MatrixDraft): [string, string][] {
  const fields: [string, string][] = [];
  draft.workItems.forEach((item, i) => {
    fields.push([`workItems[${i}].key`, item.key], [`workItems[${i}].name`, item.name]);
    item.bands.forEach((band, b) => {
      fields.push([`workItems[${i}].bands[${b}].overYuan`, band.overYuan], [`workItems[${i}].bands[${b}].upToYuan`, band.upToYuan]);
      band.steps.forEach((step, s) => fields.push([`workItems[${i}].bands[${b}].steps[${s}]`, step]));
    });
  });
  draft.categoryMap.forEach((m, j) => fields.push([`categoryMap[${j}].category`, m.category], [`categoryMap[${j}].workItem`, m.workItem]));
  fields.push(["changeLimitPercent", draft.changeLimitPercent]);
  for (const [kind, hours] of Object.entries(draft.slaHours)) fields.push([`slaHours.${kind}`, hours]);
  return fields;
}

async function planWithBudget(db: TestServer["db"], ownerId: number, title: string, unitPriceFen: number): Promise<string> {
  return createPlan(
    db,
    ownerId,
    { title, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-10", store: "外滩店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [{ ...blankRow("budget", "2027-06-01"), category: "物料", item: "海报", unitPriceFen }] } },
  );
}

describe("the approval center's tabs on the demo data", () => {
  let server: TestServer;
  const clients = new Map<string, HttpClient>();
  const as = async (username: string) => {
    let client = clients.get(username);
    if (!client) {
      client = new HttpClient(server.url);
      expect((await client.login(username, DEMO_PASSWORD)).status).toBe(302);
      clients.set(username, client);
    }
    return client;
  };
  const center = async (username: string, query = "") => {
    const response = await (await as(username)).get(`/approvals${query}`);
    expect(response.status).toBe(200);
    const html = await textOf(response);
    return { ...parseCenter(html), html };
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    expect(server.loggedErrors).toEqual([]);
  });

  it("shows finance 赵敏 what waits for her (overdue first), what she decided, and nothing she did not take part in", async () => {
    const waiting = await center("finance");
    expect(waiting.titles).toEqual(["2027 端午门店促销"]);
    expect(waiting.rows[0]!.cells).toContain("已超时 6 小时");
    expect(waiting.rows[0]!.cells).toMatch(/审核 · 待财务部（赵敏）审批/);
    expect(waiting.counts).toEqual({ waiting: 1, decided: 4, submitted: 0, cc: 0 });
    expect(waiting.html).toContain('data-approvals-waiting="1"');
    const decided = await center("finance", "?tab=decided");
    expect(decided.titles.sort()).toEqual(["2027 七夕主题营销", "2027 国庆会员日", "2027 品牌周年庆典", "2027 春节年货节"].sort());
    expect(decided.html).toContain("已通过");
    expect((await center("finance", "?tab=submitted")).html).toContain("你还没有提交过预算审批。");
  });

  it("shows deputy 孙强 the two he decided, one approved and one returned, and nothing waiting", async () => {
    const waiting = await center("deputy");
    expect(waiting.titles).toEqual([]);
    expect(waiting.html).toContain("暂无待审批的预算。");
    expect(waiting.counts).toEqual({ waiting: 0, decided: 2, submitted: 0, cc: 0 });
    const decided = await center("deputy", "?tab=decided");
    expect(decided.titles.sort()).toEqual(["2027 七夕主题营销", "2027 春节年货节"].sort());
    expect(decided.html).toContain("已退回修改");
  });

  it("shows GM 周杰 the plan at his step, the one he approved, and the plans he was added to", async () => {
    const waiting = await center("manager");
    expect(waiting.titles).toEqual(["2027 国庆会员日"]);
    expect(waiting.rows[0]!.cells).toContain("还剩 1 天");
    expect(waiting.rows[0]!.cells).toContain("赵敏：已通过");
    expect(waiting.counts).toEqual({ waiting: 1, decided: 1, submitted: 0, cc: 2 });
    expect((await center("manager", "?tab=decided")).titles).toEqual(["2027 春节年货节"]);
    const cc = await center("manager", "?tab=cc");
    expect(cc.titles.sort()).toEqual(["2027 七夕主题营销", "2027 品牌周年庆典"].sort());
    // 周年庆典 waits for the chairman: the row says who.
    expect(cc.rows.find((r) => r.title === "2027 品牌周年庆典")!.cells).toContain("待董事长（吴刚）审批");
  });

  it("shows chairman 吴刚 the plan at his 核准、审批 and, for information, the plans he reads", async () => {
    const waiting = await center("chairman");
    expect(waiting.titles).toEqual(["2027 品牌周年庆典"]);
    expect(waiting.rows[0]!.cells).toContain("核准、审批 · 待董事长（吴刚）审批");
    expect(waiting.counts).toEqual({ waiting: 1, decided: 0, submitted: 0, cc: 2 });
    const cc = await center("chairman", "?tab=cc");
    expect(cc.titles.sort()).toEqual(["2027 春节年货节", "2027 端午门店促销"].sort());
  });

  it("shows planner-submitted revisions with where they stand to an approver who submitted nothing, by search, status and date", async () => {
    expect((await center("finance", "?tab=decided&q=春节")).titles).toEqual(["2027 春节年货节"]);
    expect((await center("finance", "?tab=decided&status=changesRequested")).titles).toEqual(["2027 七夕主题营销"]);
    expect((await center("finance", "?tab=decided&status=approved")).titles).toEqual(["2027 春节年货节"]);
    // A LIKE wildcard is searched for literally.
    expect((await center("finance", "?tab=decided&q=%25")).titles).toEqual([]);
    const future = await center("finance", "?tab=decided&from=2099-01-01");
    expect(future.titles).toEqual([]);
    expect(future.html).toContain("没有符合筛选条件的审批。");
    expect(future.counts.decided).toBe(0);
  });

  it("refuses a bad filter with a specific message and lists nothing", async () => {
    const badDate = await center("finance", "?tab=decided&from=2027-02-30");
    expect(badDate.html).toContain("请输入有效日期（年-月-日）。");
    expect(badDate.rows).toEqual([]);
    const reversed = await center("finance", "?tab=decided&from=2027-03-01&to=2027-02-01");
    expect(reversed.html).toContain("结束日期不能早于开始日期。");
    const badStatus = await center("finance", "?tab=decided&status=lost");
    expect(badStatus.html).toContain("请从列表中选择审批状态。");
    // An unknown tab is the default one, not an error.
    expect((await center("finance", "?tab=nope")).titles).toEqual(["2027 端午门店促销"]);
  });

  it("shows a planner only 我发起的 and 抄送我: the budgets she submitted and where they stand", async () => {
    const mine = await center("planner");
    expect(Object.keys(mine.counts).sort()).toEqual(["cc", "submitted"]);
    expect([...mine.titles].sort()).toEqual(["2027 七夕主题营销", "2027 品牌周年庆典", "2027 端午门店促销"].sort());
    // The approvers' tabs are not hers: asking for one shows her own.
    expect((await center("planner", "?tab=waiting")).titles).toEqual(mine.titles);
    expect(Object.keys((await center("viewer")).counts).sort()).toEqual(["cc", "submitted"]);
  });
});

describe("转交 (delegation) and overdue reminders", () => {
  let server: TestServer;
  let clock = Date.now();
  const as = signedInClients(() => server.url);
  let planner: MadeMember;
  let finance: MadeMember;
  let finance2: MadeMember;
  let finance3: MadeMember;
  let deputy: MadeMember;
  let admin: MadeMember;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false, reminders: { intervalMs: 20, now: () => clock } });
    planner = await makeMember(server.db, { role: "planner", name: "李娜" });
    admin = await makeMember(server.db, { role: "admin", name: "王磊" });
    finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
    finance2 = await makeMember(server.db, { role: "finance", title: "finance", name: "钱芳" });
    finance3 = await makeMember(server.db, { role: "finance", title: "finance", name: "冯涛" });
    deputy = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
    await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
    await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
  });
  afterAll(async () => {
    as.clear();
    await server.close();
    expect(server.loggedErrors).toEqual([]);
  });

  async function submitted(title: string): Promise<number> {
    const planId = await planWithBudget(server.db, planner.id, title, 30_000);
    expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    return (await server.db.selectFrom("budget_revisions").select("id").where("plan_id", "=", planId).executeTakeFirstOrThrow()).id;
  }
  const delegate = async (member: MadeMember, revisionId: number, fields: Record<string, string>) =>
    (await as(member)).post(`/approvals/${revisionId}`, { intent: "delegate", stepIndex: "0", reason: "本周出差，请钱芳代为审核", ...fields });
  const decide = async (member: MadeMember, revisionId: number, stepIndex = 0) => (await as(member)).post(`/approvals/${revisionId}`, { stepIndex: String(stepIndex), decision: "approve", comment: "" });
  const delegations = (revisionId: number) => server.db.selectFrom("approval_delegations").selectAll().where("revision_id", "=", revisionId).execute();
  const notificationsOf = (kind: NotificationKind) => server.db.selectFrom("notifications").select(["user_id", "dedupe_key"]).where("kind", "=", kind).orderBy("user_id").execute();

  it("refuses a member without the title, a step that is not current and a missing reason, changing nothing", async () => {
    const revisionId = await submitted("2027 端午节酒店促销");
    const wrongTitle = await delegate(finance, revisionId, { toUserId: String(deputy.id) });
    expect(wrongTitle.status).toBe(400);
    expect(await textOf(wrongTitle)).toContain("只能转交给担任同一职务的成员。");
    const notCurrent = await delegate(finance, revisionId, { toUserId: String(finance2.id), stepIndex: "1" });
    expect(notCurrent.status).toBe(409);
    expect(await textOf(notCurrent)).toContain("只能转交当前待审批的步骤");
    const noReason = await delegate(finance, revisionId, { toUserId: String(finance2.id), reason: "   " });
    expect(noReason.status).toBe(400);
    expect(await textOf(noReason)).toContain("请填写转交原因");
    // Only whoever may decide the current step hands it over.
    expect((await delegate(deputy, revisionId, { toUserId: String(finance2.id) })).status).toBe(403);
    expect((await delegate(planner, revisionId, { toUserId: String(finance2.id) })).status).toBe(403);
    expect(await delegations(revisionId)).toEqual([]);
  });

  it("hands the step over: the old holder is refused, the new one decides, the audit log says who and why", async () => {
    const revisionId = await submitted("2027 中秋客户答谢会");
    const page = await textOf(await (await as(finance)).get(`/approvals/${revisionId}`));
    expect(page).toContain("转交审批");
    expect(page).toMatch(/<option value="\d+">钱芳<\/option>/);
    expect(page).not.toMatch(/<option value="\d+">赵敏<\/option>/);

    const countBefore = await approvalInboxCount(server.db, { id: finance.id, title: "finance" });
    expect((await delegate(finance, revisionId, { toUserId: String(finance2.id) })).status).toBe(302);
    expect((await approvalInbox(server.db, { id: finance.id, title: "finance" })).map((e) => e.revisionId)).not.toContain(revisionId);
    // The top bar's badge follows.
    expect(await approvalInboxCount(server.db, { id: finance.id, title: "finance" })).toBe(countBefore - 1);
    expect((await approvalInbox(server.db, { id: finance2.id, title: "finance" })).map((e) => e.revisionId)).toContain(revisionId);
    // A third holder of the title no longer sees it either.
    expect((await approvalInbox(server.db, { id: finance3.id, title: "finance" })).map((e) => e.revisionId)).not.toContain(revisionId);
    expect(await notificationsOf("delegated")).toContainEqual({ user_id: finance2.id, dedupe_key: `delegated:${(await delegations(revisionId))[0]!.id}` });

    const refused = await decide(finance, revisionId);
    expect(refused.status).toBe(403);
    expect(await textOf(refused)).toContain("此步骤已转交给其他人审批");
    const review = await textOf(await (await as(finance2)).get(`/approvals/${revisionId}`));
    expect(review).toContain("已转交给钱芳");
    expect(review).toContain("赵敏将审核转交给钱芳，原因：本周出差，请钱芳代为审核");
    expect((await decide(finance2, revisionId)).status).toBe(302);
    expect((await listSteps(server.db, revisionId))[0]).toMatchObject({ decision: "approve", decided_by: finance2.id });

    const entry = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "approval.delegate").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(finance.id);
    expect(JSON.parse(entry.detail)).toEqual({ revision: 1, step: 0, fromUserId: finance.id, toUserId: finance2.id, reason: "本周出差，请钱芳代为审核" });
    const audit = await textOf(await (await as(admin)).get("/admin/audit?action=approval.delegate"));
    expect(audit).toContain("转交审批");
    expect(audit).toMatch(/转交人: <\/span>赵敏/);
    expect(audit).toMatch(/转交给: <\/span>钱芳/);
    expect(audit).toContain("本周出差，请钱芳代为审核");
  });

  it("records exactly one of 50 parallel delegations", async () => {
    const revisionId = await submitted("2027 国庆门店促销");
    const targets = [finance2, finance3];
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => delegate(finance, revisionId, { toUserId: String(targets[i % 2]!.id) })));
    expect(responses.filter((r) => r.status === 302)).toHaveLength(1);
    expect(responses.every((r) => [302, 403, 409].includes(r.status))).toBe(true);
    expect(await delegations(revisionId)).toHaveLength(1);
    const { plan_id } = await server.db.selectFrom("budget_revisions").select("plan_id").where("id", "=", revisionId).executeTakeFirstOrThrow();
    expect(await server.db.selectFrom("audit_log").select("id").where("action", "=", "approval.delegate").where("target_id", "=", plan_id).execute()).toHaveLength(1);
    const [recorded] = await delegations(revisionId);
    expect((await notificationsOf("delegated")).filter((n) => n.dedupe_key === `delegated:${recorded!.id}`)).toHaveLength(1);
  });

  it("reminds an overdue step once, to whoever must decide it, across repeated and parallel ticks", async () => {
    const overdue = await submitted("2027 双十一会员日");
    const handed = await submitted("2027 春节年货节");
    expect((await delegate(finance, handed, { toUserId: String(finance3.id), reason: "休假" })).status).toBe(302);
    expect(await server.db.selectFrom("approval_reminders").selectAll().execute()).toEqual([]);
    const ticksBefore = server.reminders.ticks;
    clock = Date.now() + 25 * HOUR;
    await waitUntil(async () => (await server.db.selectFrom("approval_reminders").selectAll().execute()).length >= 2, "the overdue steps reminded");
    // Several more passes of the timer, and passes by hand racing each other, remind nobody again.
    await waitUntil(() => server.reminders.ticks >= ticksBefore + 10, "ten more reminder passes");
    expect(await Promise.all(Array.from({ length: 10 }, () => sendOverdueReminders(server.db, clock)))).toEqual(Array.from({ length: 10 }, () => 0));
    const reminders = await notificationsOf("approvalOverdue");
    const keyOf = (revisionId: number) => `overdue:${revisionId}:0`;
    // Every holder of the title for a step nobody was handed; only the assignee for a handed one.
    expect(reminders.filter((r) => r.dedupe_key === keyOf(overdue)).map((r) => r.user_id)).toEqual([finance.id, finance2.id, finance3.id].sort((a, b) => a - b));
    expect(reminders.filter((r) => r.dedupe_key === keyOf(handed)).map((r) => r.user_id)).toEqual([finance3.id]);
    const rows = await server.db.selectFrom("approval_reminders").selectAll().where("revision_id", "in", [overdue, handed]).execute();
    expect(rows).toHaveLength(2);
  });

  it("takes each step's time limit from the authority matrix the admin saves", async () => {
    const fields: Record<string, string> = { intent: "save" };
    for (const [name, value] of formFieldsOf(draftFromMatrix(DEFAULT_AUTHORITY_MATRIX))) fields[name] = value;
    const saved = await (await as(admin)).post("/admin/authority", { ...fields, "slaHours.review": "2" });
    expect(saved.status).toBeLessThan(400);
    expect((await loadAuthorityMatrix(server.db)).slaHours).toEqual({ review: 2, endorse: 48, approve: 48 });
    const refused = await (await as(admin)).post("/admin/authority", { ...fields, "slaHours.review": "721" });
    expect(await textOf(refused)).toContain("请填写 1–720 之间的整数（小时）。");
    expect((await loadAuthorityMatrix(server.db)).slaHours).toEqual({ review: 2, endorse: 48, approve: 48 });

    clock = Date.now();
    const revisionId = await submitted("2027 中秋灯谜会");
    const page = await textOf(await (await as(finance)).get(`/approvals/${revisionId}`));
    expect(page).toMatch(/data-due-step="0"[^]*还剩 1 小时/);
    // Past two hours it is overdue, and only then is it reminded.
    expect(await sendOverdueReminders(server.db, Date.now() + HOUR)).toBe(0);
    expect(await sendOverdueReminders(server.db, Date.now() + 2 * HOUR + 60_000)).toBe(1);
    expect((await notificationsOf("approvalOverdue")).filter((r) => r.dedupe_key === `overdue:${revisionId}:0`)).toHaveLength(3);
    expect((await (await as(admin)).post("/admin/authority", fields)).status).toBeLessThan(400);
    expect(await loadAuthorityMatrix(server.db)).toEqual(DEFAULT_AUTHORITY_MATRIX);
  });

  it("lets parallel passes over a newly overdue step remind it exactly once", async () => {
    // The timer judges by the real time again, so only the passes below can find this step overdue.
    clock = Date.now();
    const revisionId = await submitted("2027 元宵灯会");
    const at = Date.now() + 30 * HOUR;
    const sent = await Promise.all(Array.from({ length: 10 }, () => sendOverdueReminders(server.db, at)));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await notificationsOf("approvalOverdue")).filter((r) => r.dedupe_key === `overdue:${revisionId}:0`)).toHaveLength(3);
  });
});
