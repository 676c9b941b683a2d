// 驳回 vs 退回修改 through every place a plan's status shows, sharing one server and its plans.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import { findPlanById } from "../../db/queries/plans";
import type { BudgetRevision } from "../../db/schema";
import type { PlanSession } from "~/collab/plan-session";
import type { Decision } from "~/domain/approval";
import { blankRow, parsePriceCell, parseQuantityCell, readBlock, updateRow, type BudgetLine } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";
import { openPlan, waitUntil } from "../support/collab-client";
import { recalculatedSheets } from "../support/libreoffice";
import { startTestServer, type TestServer } from "../support/server";

type Line = Omit<BudgetLine, "id">;

function typed(category: string, item: string, quantity: string, unit: string, price: string, income = false): Line {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value, income, owner: "市场部" };
}

/** ¥120,000 of spend: 财务 审核 → 总经理 核准 → 董事长 审批. */
const GALA_BUDGET: Line[] = [
  typed("活动物料", "舞台搭建", "1", "项", "80,000"),
  typed("宣传推广", "宣传单页", "40,000", "张", "1"),
  typed("收入", "商户赞助", "1", "项", "5,000", true),
];

const PERIOD = { from: "2027-09-01", to: "2027-09-30" };

let server: TestServer;
const sessions: PlanSession[] = [];
const scratch: string[] = [];
const as = signedInClients(() => server.url);

let owner: MadeMember;
let outsider: MadeMember;
let finance: MadeMember;
const approvers = {} as Record<ApproverTitle, MadeMember>;
let gm2: MadeMember;
const plans = {} as Record<"returned" | "rejected" | "plain" | "reopened", string>;

async function planWithBudget(title: string, budget: readonly Line[] = GALA_BUDGET): Promise<string> {
  return createPlan(
    server.db,
    owner.id,
    { title, campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...budget] } },
  );
}

async function submitted(planId: string): Promise<BudgetRevision> {
  const response = await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" });
  expect(response.status).toBe(200);
  return server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
}

async function decide(member: MadeMember, revisionId: number, stepIndex: number, decision: Decision, comment = ""): Promise<Response> {
  return (await as(member)).post(`/approvals/${revisionId}`, { stepIndex: String(stepIndex), decision, comment });
}

/** Approves every step before the one `title` holds, where `decision` is taken; approves all when `title` is null. */
async function decideAt(revision: BudgetRevision, title: ApproverTitle | null, decision: Decision, comment: string): Promise<void> {
  for (const step of await listSteps(server.db, revision.id)) {
    if (step.decision !== null) continue;
    const mine = step.title === title;
    expect((await decide(approvers[step.title], revision.id, step.step_index, mine ? decision : "approve", mine ? comment : "")).status).toBe(302);
    if (mine) return;
  }
}

async function loaderData<T>(member: MadeMember, path: string, route: string): Promise<T> {
  const url = new URL(path, "http://x");
  url.searchParams.set("_data", route);
  const response = await (await as(member)).get(`${url.pathname}${url.search}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface ListData {
  plans: { id: string; status: string }[];
}

async function listed(member: MadeMember, status: string): Promise<Record<string, string>> {
  const data = await loaderData<ListData>(member, `/plans?status=${status}`, "routes/_app.plans._index");
  return Object.fromEntries(data.plans.map((p) => [p.id, p.status]));
}

async function outcomeOf(planId: string) {
  const plan = await findPlanById(server.db, planId);
  return plan && { status: plan.status, outcome: plan.review_outcome, revisionId: plan.review_outcome_revision_id };
}

async function exportedOverview(planId: string): Promise<{ bytes: Buffer; rows: unknown[][] }> {
  const response = await (await as(owner)).get(`/plans/${planId}/export?revision=draft`);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const rows: unknown[][] = [];
  workbook.getWorksheet("概览")!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { bytes, rows };
}

/** 状态, the 审批流程 summary, and each step's (decider, decision, comment) from 概览's rows. */
function approvalSection(rows: readonly (readonly unknown[])[]) {
  const flow = rows.findIndex((row) => row[0] === "审批流程");
  const header = rows.findIndex((row, index) => index > flow && row[0] === "步骤");
  return {
    status: rows.find((row) => row[0] === "状态")?.[1],
    summary: rows[flow]?.[1],
    steps: rows.slice(header + 1, header + 4).map((row) => [row[2] ?? "", row[3], row[5] ?? ""]),
  };
}

/** LibreOffice recalculating the workbook on load: every sheet as CSV rows. */
async function recalculated(file: string): Promise<Map<string, string[][]>> {
  const dir = mkdtempSync(join(tmpdir(), "campaigndesk-outcome-"));
  scratch.push(dir);
  const [sheets] = await recalculatedSheets([file], dir);
  return sheets!;
}

async function serverDoc(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  return doc;
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  outsider = await makeMember(server.db, { role: "planner", name: "陈晨" });
  finance = await makeMember(server.db, { role: "finance", name: "钱芳" });
  approvers.finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
  gm2 = await makeMember(server.db, { role: "manager", title: "gm", name: "郑总" });

  plans.returned = await planWithBudget("中秋答谢晚会（退回）");
  plans.rejected = await planWithBudget("国庆路演（驳回）");
  plans.plain = await planWithBudget("重阳敬老活动（草稿）");
  await decideAt(await submitted(plans.returned), "gm", "requestChanges", "请补充舞台报价单");
  await decideAt(await submitted(plans.rejected), "finance", "reject", "与年度计划重复");
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

afterAll(async () => {
  as.clear();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  await server.close();
});

describe("驳回 vs 退回修改", () => {
  it("records how the review ended on the plan, with the revision, while the stored status stays 草稿", async () => {
    const returned = await server.db.selectFrom("budget_revisions").select(["id", "status"]).where("plan_id", "=", plans.returned).executeTakeFirstOrThrow();
    const rejected = await server.db.selectFrom("budget_revisions").select(["id", "status"]).where("plan_id", "=", plans.rejected).executeTakeFirstOrThrow();
    expect(returned.status).toBe("changesRequested");
    expect(rejected.status).toBe("rejected");
    expect(await outcomeOf(plans.returned)).toEqual({ status: "draft", outcome: "changesRequested", revisionId: returned.id });
    expect(await outcomeOf(plans.rejected)).toEqual({ status: "draft", outcome: "rejected", revisionId: rejected.id });
    expect(await outcomeOf(plans.plain)).toEqual({ status: "draft", outcome: null, revisionId: null });
    // The database refuses an outcome it does not know, and an outcome without its revision.
    await expect(server.db.updateTable("plans").set({ review_outcome: "lost" as never }).where("id", "=", plans.plain).execute()).rejects.toThrow(/CHECK/);
    await expect(server.db.updateTable("plans").set({ review_outcome: "rejected" }).where("id", "=", plans.plain).execute()).rejects.toThrow(/CHECK/);
    expect(await outcomeOf(plans.plain)).toEqual({ status: "draft", outcome: null, revisionId: null });
  });

  it("lists each plan by what it shows, and filters 草稿, 退回修改 and 已驳回 apart", async () => {
    const all = await listed(owner, "");
    expect([all[plans.returned], all[plans.rejected], all[plans.plain]]).toEqual(["changesRequested", "rejected", "draft"]);
    expect(await listed(owner, "changesRequested")).toEqual({ [plans.returned]: "changesRequested" });
    expect(await listed(owner, "rejected")).toEqual({ [plans.rejected]: "rejected" });
    expect(await listed(owner, "draft")).toEqual({ [plans.plain]: "draft" });
    // Someone who may not read the plans sees none of them, whatever the filter.
    expect(await listed(outsider, "rejected")).toEqual({});

    const page = await (await as(owner)).get("/plans?status=changesRequested");
    const html = await page.text();
    expect(html).toContain('<option value="changesRequested" selected="">退回修改</option>');
    expect(html).toMatch(/<span class="status status-changesRequested">退回修改<\/span>/);
    expect(html).not.toContain("status-rejected\">已驳回</span>");
  });

  it("counts 退回修改 and 已驳回 apart on the dashboard, and finance filters by them", async () => {
    const dashboard = await loaderData<{ data: { counts: { status: string; count: number }[] } }>(owner, `/dashboard?from=${PERIOD.from}&to=${PERIOD.to}`, "routes/_app.dashboard");
    const count = (status: string) => dashboard.data.counts.filter((c) => c.status === status).reduce((sum, c) => sum + c.count, 0);
    expect([count("draft"), count("changesRequested"), count("rejected")]).toEqual([1, 1, 1]);
    const html = await (await (await as(owner)).get(`/dashboard?from=${PERIOD.from}&to=${PERIOD.to}`)).text();
    expect(html).toMatch(/data-status="changesRequested"><span class="status status-changesRequested">退回修改<\/span><strong>1<\/strong>/);
    expect(html).toMatch(/data-status="rejected"><span class="status status-rejected">已驳回<\/span><strong>1<\/strong>/);

    type Summary = { summary: { plans: { id: string; status: string }[] } | null };
    const rejected = await loaderData<Summary>(finance, `/finance?from=${PERIOD.from}&to=${PERIOD.to}&status=rejected`, "routes/_app.finance._index");
    expect(rejected.summary?.plans.map((p) => [p.id, p.status])).toEqual([[plans.rejected, "rejected"]]);
    const drafts = await loaderData<Summary>(finance, `/finance?from=${PERIOD.from}&to=${PERIOD.to}&status=draft`, "routes/_app.finance._index");
    expect(drafts.summary?.plans.map((p) => p.id)).toEqual([plans.plain]);
  });

  it("pins who returned it, when and why on the plan page, and says 已驳回 with the comment for a rejection", async () => {
    type PlanData = { plan: { displayStatus: string }; reviewOutcome: { kind: string; deciderName: string; comment: string; revisionNumber: number; revisionId: number } | null };
    const returned = await loaderData<PlanData>(owner, `/plans/${plans.returned}`, "routes/_app.plans.$planId");
    expect(returned.plan.displayStatus).toBe("changesRequested");
    expect(returned.reviewOutcome).toMatchObject({ kind: "changesRequested", deciderName: "周杰", comment: "请补充舞台报价单", revisionNumber: 1 });
    const rejected = await loaderData<PlanData>(owner, `/plans/${plans.rejected}`, "routes/_app.plans.$planId");
    expect(rejected.reviewOutcome).toMatchObject({ kind: "rejected", deciderName: "赵敏", comment: "与年度计划重复" });
    expect((await loaderData<PlanData>(owner, `/plans/${plans.plain}`, "routes/_app.plans.$planId")).reviewOutcome).toBeNull();

    const html = await (await (await as(owner)).get(`/plans/${plans.returned}`)).text();
    expect(html).toContain("周杰 退回修改：请补充舞台报价单");
    expect(html).toContain(`href="/approvals/${returned.reviewOutcome!.revisionId}"`);
    expect(await (await (await as(owner)).get(`/plans/${plans.rejected}`)).text()).toContain("赵敏 驳回了预算版本 1：与年度计划重复");
  });

  it("writes 退回修改 and 已驳回 into the plan workbook's 概览 and 审批流程", async () => {
    const returned = approvalSection((await exportedOverview(plans.returned)).rows);
    expect(returned.status).toBe("退回修改");
    expect(returned.summary).toEqual(expect.stringMatching(/^预算版本 1 · 已退回修改 · 提交人 李娜/));
    expect(returned.steps).toEqual([
      ["赵敏", "已通过", ""],
      ["周杰", "已退回修改", "请补充舞台报价单"],
      ["", "未开始", ""],
    ]);
    const rejected = approvalSection((await exportedOverview(plans.rejected)).rows);
    expect(rejected.status).toBe("已驳回");
    expect(rejected.summary).toEqual(expect.stringMatching(/^预算版本 1 · 已驳回 · /));
    expect(rejected.steps[0]).toEqual(["赵敏", "已驳回", "与年度计划重复"]);
    expect(approvalSection((await exportedOverview(plans.plain)).rows).status).toBe("草稿");
  });

  it("shows the same labels once LibreOffice has opened and recalculated the workbook", async () => {
    const dir = mkdtempSync(join(tmpdir(), "campaigndesk-outcome-xlsx-"));
    scratch.push(dir);
    const file = join(dir, "returned.xlsx");
    writeFileSync(file, (await exportedOverview(plans.returned)).bytes);
    const overview = (await recalculated(file)).get("概览");
    expect(overview?.find((row) => row[0] === "状态")?.[1]).toBe("退回修改");
    expect(overview?.some((row) => row[2] === "周杰" && row[3] === "已退回修改")).toBe(true);
  });

  it("gives the portfolio workbook's status column the same distinction", async () => {
    const started = await (await as(finance)).post("/finance?index", { ...PERIOD });
    expect(started.status).toBe(302);
    const job = new URL(started.headers.get("location")!, server.url).searchParams.get("job")!;
    await waitUntil(async () => ((await (await (await as(finance)).get(`/finance/exports/${job}`)).json()) as { state: string }).state !== "running", "the export finished");
    const download = await (await as(finance)).get(`/finance/exports/${job}?download=1`);
    expect(download.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await download.arrayBuffer());
    const statuses = new Map<string, string>();
    workbook.getWorksheet("汇总")!.eachRow((row, index) => {
      if (index > 1) statuses.set(row.getCell(1).text, row.getCell(5).text);
    });
    expect(statuses.get("中秋答谢晚会（退回）")).toBe("退回修改");
    expect(statuses.get("国庆路演（驳回）")).toBe("已驳回");
    expect(statuses.get("重阳敬老活动（草稿）")).toBe("草稿");
  });

  it("keeps the outcome in step with the revision when two managers decide at once", async () => {
    for (let round = 0; round < 6; round += 1) {
      const planId = await planWithBudget(`并发决定 ${round}`);
      const pending = await submitted(planId);
      const steps = await listSteps(server.db, pending.id);
      const gmStep = steps.find((s) => s.title === "gm")!;
      for (const s of steps.filter((s) => s.step_index < gmStep.step_index)) expect((await decide(approvers[s.title], pending.id, s.step_index, "approve")).status).toBe(302);
      const [a, b] = await Promise.all([decide(approvers.gm, pending.id, gmStep.step_index, "reject", "不做"), decide(gm2, pending.id, gmStep.step_index, "requestChanges", "改一改")]);
      expect([a.status, b.status].sort()).toEqual([302, 409]);
      const closed = await server.db.selectFrom("budget_revisions").select("status").where("id", "=", pending.id).executeTakeFirstOrThrow();
      expect(await outcomeOf(planId)).toEqual({ status: "draft", outcome: closed.status, revisionId: pending.id });
    }
  });

  it("clears the outcome on resubmission, and a withdrawal goes back to plain 草稿", async () => {
    const again = await submitted(plans.returned);
    expect(await outcomeOf(plans.returned)).toEqual({ status: "inReview", outcome: null, revisionId: null });
    expect((await listed(owner, "inReview"))[plans.returned]).toBe("inReview");
    expect(await listed(owner, "changesRequested")).toEqual({});
    expect((await (await as(owner)).post(`/plans/${plans.returned}/approval`, { intent: "withdraw" })).status).toBe(200);
    expect(await outcomeOf(plans.returned)).toEqual({ status: "draft", outcome: null, revisionId: null });
    expect((await listed(owner, "draft"))[plans.returned]).toBe("draft");
    expect(again.number).toBe(2);
  });

  it("shows the approver why the budget was reopened and, per changed line, each field's old → new", async () => {
    plans.reopened = await planWithBudget("双十一会员日", [...GALA_BUDGET, typed("礼品", "月饼礼盒", "200", "盒", "150")]);
    await decideAt(await submitted(plans.reopened), null, "approve", "");
    expect((await (await as(owner)).post(`/plans/${plans.reopened}/approval`, { intent: "reopen", reason: "嘉宾人数增加到 300 人" })).status).toBe(200);

    const session = openPlan(await as(owner), plans.reopened);
    sessions.push(session);
    await waitUntil(() => session.state.synced, "owner synced");
    const [stage, flyers, , gifts] = readBlock(session.state.doc, "budget").rows;
    updateRow(session.state.doc, "budget", stage!.id, { unitPriceFen: 9_600_000, note: "加宽舞台" });
    updateRow(session.state.doc, "budget", flyers!.id, { quantityHundredths: 5_000_000, unit: "份" });
    updateRow(session.state.doc, "budget", gifts!.id, { owner: "采购部", quarter: "Q3" });
    await waitUntil(async () => readBlock(await serverDoc(plans.reopened), "budget").rows[3]!.quarter === "Q3", "the edits reached the server");
    const second = await submitted(plans.reopened);

    type ReviewData = { reopening: { reason: string; reopenerName: string; revisionNumber: number } | null };
    const data = await loaderData<ReviewData>(approvers.finance, `/approvals/${second.id}`, "routes/_app.approvals.$revisionId");
    expect(data.reopening).toMatchObject({ reason: "嘉宾人数增加到 300 人", reopenerName: "李娜", revisionNumber: 1 });

    const html = await (await (await as(approvers.finance)).get(`/approvals/${second.id}`)).text();
    expect(html).toContain("重新打开原因");
    expect(html).toContain("嘉宾人数增加到 300 人");
    const fieldsOf = (lineId: string) => {
      const row = new RegExp(`<tr[^>]*data-diff-line="${lineId}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";
      return [...row.matchAll(/<li data-field="(\w+)">[\s\S]*?<del>([^<]*)<\/del>[\s\S]*?<ins>([^<]*)<\/ins>/g)].map((m) => [m[1], m[2], m[3]]);
    };
    expect(fieldsOf(stage!.id)).toEqual([
      ["unitPriceFen", "¥80,000.00", "¥96,000.00"],
      ["note", "（空）", "加宽舞台"],
    ]);
    expect(fieldsOf(flyers!.id)).toEqual([
      ["quantityHundredths", "40000", "50000"],
      ["unit", "张", "份"],
    ]);
    expect(fieldsOf(gifts!.id)).toEqual([
      ["owner", "市场部", "采购部"],
      ["quarter", "（空）", "Q3"],
    ]);

    // A first submission answers no reopening.
    const first = await server.db.selectFrom("budget_revisions").select("id").where("plan_id", "=", plans.reopened).where("number", "=", 1).executeTakeFirstOrThrow();
    expect((await loaderData<ReviewData>(approvers.finance, `/approvals/${first.id}`, "routes/_app.approvals.$revisionId")).reopening).toBeNull();
    // Nor does the reason leak to someone who may not read the plan.
    const refused = await (await as(outsider)).get(`/approvals/${second.id}?_data=${encodeURIComponent("routes/_app.approvals.$revisionId")}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("嘉宾人数");
  });
});
