// Over 400 lines: the portfolio workbook's sheets and the /finance page share one server and multi-plan fixture.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId as mainThreadId } from "node:worker_threads";
import ExcelJS from "exceljs";
import type { Insertable } from "kysely";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findLastApprovedRevision, listSteps } from "../../db/queries/approvals";
import { findPlanById, setPlanStatus } from "../../db/queries/plans";
import { listBudgetLines } from "../../db/queries/projection";
import type { BudgetLinesTable, PlansTable } from "../../db/schema";
import type { PlanSession } from "~/collab/plan-session";
import type { ExportJobView } from "~/services/context";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine } from "~/domain/plan-document";
import type { PortfolioFilter } from "~/domain/portfolio";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { loadPlanVariance } from "~/services/variance.server";
import { ExportJobs } from "../../server/exports/export-jobs";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

type Line = Omit<BudgetLine, "id">;

function typed(category: string, item: string, quantity: string, unit: string, price: string | null, income = false): Line {
  const q = parseQuantityCell(quantity);
  const p = price === null ? ({ ok: true, value: null } as const) : parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value, income };
}

const MONEY = '"¥"#,##0.00';
const PERIOD = { from: "2027-01-01", to: "2027-12-31" };
const FILE_NAME = "活动组合报表_2027-01-01_2027-12-31.xlsx";
const SUMMARY_DATA = "routes/_app.finance._index";
/** The export form's action answering as data (as a fetcher would), not as a page. */
const EXPORT_DATA = `/finance?index&_data=${encodeURIComponent(SUMMARY_DATA)}`;

interface SummaryPlan {
  id: string;
  title: string;
  budget: { spendFen: number; incomeFen: number; netFen: number; tbdCount: number };
  approved: { revisionNumber: number; spendFen: number; incomeFen: number; netFen: number } | null;
  actual: { spendFen: number; incomeFen: number; netFen: number };
  unbudgetedFen: number;
  varianceFen: number;
  varianceBasisPoints: number | null;
}
interface SummaryData {
  summary: { count: number; plans: SummaryPlan[]; totals: { budgetNetFen: number; approvedNetFen: number; actualNetFen: number; varianceFen: number; varianceBasisPoints: number | null } } | null;
  fieldErrors: Record<string, string> | null;
}

let server: TestServer;
const sessions: PlanSession[] = [];
let finance: MadeMember;
let finance2: MadeMember;
let admin: MadeMember;
let planner: MadeMember;
let viewer: MadeMember;
let bulkOwner: MadeMember;
const approvers = {} as Record<ApproverTitle, MadeMember>;
const plans = {} as Record<"gala" | "booth" | "members" | "imported" | "early" | "archived", string>;

const as = signedInClients(() => server.url);

async function planWithBudget(
  input: { title: string; campaignType: "holiday" | "double11" | "membership"; startDate: string; endDate: string; store: string },
  budget: readonly Line[],
): Promise<string> {
  return createPlan(server.db, planner.id, input, { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...budget] } });
}

async function lineId(planId: string, item: string): Promise<string> {
  const line = (await listBudgetLines(server.db, planId)).find((l) => l.item === item);
  if (!line) throw new Error(`no line ${item}`);
  return line.line_id;
}

async function spend(planId: string, lineIdOrItem: { line: string } | { item: string }, amountFen: number, invoiceNo = ""): Promise<void> {
  const id = "line" in lineIdOrItem ? lineIdOrItem.line : await lineId(planId, lineIdOrItem.item);
  await server.db
    .insertInto("actual_entries")
    .values({ plan_id: planId, line_id: id, spent_on: "2027-09-10", amount_fen: amountFen, vendor: "供应商", invoice_no: invoiceNo, note: "", source: "manual", created_by: finance.id, created_at: Date.now(), updated_by: null, updated_at: null })
    .execute();
}

async function approve(planId: string): Promise<void> {
  const submitted = await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" });
  expect(submitted.status).toBe(200);
  const revision = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
  for (const step of await listSteps(server.db, revision.id)) {
    const decided = await (await as(approvers[step.title])).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" });
    expect(decided.status).toBe(302);
  }
  expect((await findLastApprovedRevision(server.db, planId))?.id).toBe(revision.id);
}

async function summary(member: MadeMember, query: Record<string, string>): Promise<SummaryData> {
  const params = new URLSearchParams({ ...query, _data: SUMMARY_DATA });
  const response = await (await as(member)).get(`/finance?${params.toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SummaryData;
}

/** Starts an export through the page's form; the job id comes back in the redirect. */
async function startExport(member: MadeMember, filter: Record<string, string>): Promise<string> {
  const response = await (await as(member)).post("/finance?index", filter);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!, server.url);
  expect(location.pathname).toBe("/finance");
  const job = location.searchParams.get("job");
  if (!job) throw new Error("no job in the redirect");
  return job;
}

async function jobStatus(member: MadeMember, jobId: string): Promise<{ id: string; state: string; done: number; total: number; fileName: string }> {
  const response = await (await as(member)).get(`/finance/exports/${jobId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; state: string; done: number; total: number; fileName: string };
}

/** Polls like the page does; returns every distinct progress seen, ending with the final state. */
async function finish(member: MadeMember, jobId: string, timeoutMs = 20_000): Promise<Array<{ state: string; done: number; total: number }>> {
  const seen: Array<{ state: string; done: number; total: number }> = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { state, done, total } = await jobStatus(member, jobId);
    const last = seen[seen.length - 1];
    if (!last || last.state !== state || last.done !== done || last.total !== total) seen.push({ state, done, total });
    if (state !== "running") return seen;
    if (Date.now() > deadline) throw new Error(`export ${jobId} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function download(member: MadeMember, jobId: string): Promise<{ response: Response; workbook: ExcelJS.Workbook }> {
  const response = await (await as(member)).get(`/finance/exports/${jobId}?download=1`);
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.clone().arrayBuffer());
  return { response, workbook };
}

function typeInto(session: PlanSession, text: string): void {
  const doc = session.state.doc;
  const section = readPlanDoc(doc).sections.find((s) => s.kind === "richText")!;
  const fragment = sectionFragment(doc, section.id);
  doc.transact(() => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    fragment.insert(fragment.length, [paragraph]);
  });
}

function textOf(doc: Y.Doc): string {
  const section = readPlanDoc(doc).sections.find((s) => s.kind === "richText")!;
  return sectionFragment(doc, section.id).toString();
}

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = openPlan(await as(member), planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, `${member.username} synced`);
  return session;
}

/** `count` plans in `year`, ten budget lines each (the last one income), straight into the tables. */
async function seedBulk(count: number, year: number): Promise<{ netFen: number }> {
  const now = Date.now();
  const planRows: Insertable<PlansTable>[] = [];
  const lineRows: Insertable<BudgetLinesTable>[] = [];
  let netTotal = 0;
  for (let i = 0; i < count; i += 1) {
    const id = `bulk${year}p${String(i).padStart(6, "0")}`;
    let spendFen = 0;
    let incomeFen = 0;
    for (let j = 0; j < 10; j += 1) {
      const income = j === 9;
      const amount = (j + 1) * 10_000 + i;
      if (income) incomeFen += amount;
      else spendFen += amount;
      lineRows.push({
        plan_id: id,
        line_id: `${id}-l${j}`,
        position: j,
        category: income ? "收入" : `类别${j % 4}`,
        item: `明细${j}`,
        quantity_hundredths: 100,
        unit: "项",
        unit_price_fen: amount,
        amount_fen: amount,
        income: income ? 1 : 0,
        owner: "",
        quarter: "",
        note: "",
      });
    }
    netTotal += spendFen - incomeFen;
    const month = String((i % 12) + 1).padStart(2, "0");
    planRows.push({
      id,
      title: `批量方案 ${i}`,
      campaign_type: "holiday",
      store: `门店${i % 50}`,
      start_date: `${year}-${month}-01`,
      end_date: `${year}-${month}-20`,
      status: "draft",
      budget_locked: 0,
      template_id: null,
      owner_id: bulkOwner.id,
      created_at: now,
      updated_at: now,
      spend_fen: spendFen,
      income_fen: incomeFen,
      net_fen: spendFen - incomeFen,
      tbd_count: 0,
      budget_line_count: 10,
      anchor_date: "",
      projected_at: now,
    });
  }
  await server.db.transaction().execute(async (trx) => {
    for (let start = 0; start < planRows.length; start += 40) await trx.insertInto("plans").values(planRows.slice(start, start + 40)).execute();
    for (let start = 0; start < lineRows.length; start += 60) await trx.insertInto("budget_lines").values(lineRows.slice(start, start + 60)).execute();
  });
  return { netFen: netTotal };
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  finance2 = await makeMember(server.db, { role: "finance", name: "钱芳" });
  admin = await makeMember(server.db, { role: "admin", name: "管理员" });
  planner = await makeMember(server.db, { role: "planner", name: "李娜" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  bulkOwner = await makeMember(server.db, { role: "planner", name: "批量" });
  approvers.finance = finance;
  approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });

  // ¥120,000 spend and ¥5,000 income, approved (finance → gm → chairman).
  plans.gala = await planWithBudget({ title: "2027 中秋客户答谢晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" }, [
    typed("活动物料", "舞台搭建", "1", "项", "80,000"),
    typed("宣传推广", "宣传单页", "40,000", "张", "1"),
    typed("收入", "商户赞助", "1", "项", "5,000", true),
  ]);
  await approve(plans.gala);
  await spend(plans.gala, { item: "舞台搭建" }, 8_000_000, "INV-001");
  await spend(plans.gala, { item: "舞台搭建" }, 200_050, "INV-002");
  await spend(plans.gala, { item: "商户赞助" }, 600_000, "INV-003");
  // Booked against a line the approved snapshot never had.
  await spend(plans.gala, { line: "line-added-later" }, 10_000, "INV-004");

  // A draft with a 待定 line; its title and a category look like formulas.
  plans.booth = await planWithBudget({ title: '=HYPERLINK("http://x","y")', campaignType: "double11", startDate: "2027-11-01", endDate: "2027-11-11", store: "外滩店" }, [
    typed("展位物料", "展架", "2", "个", "300"),
    typed("展位物料", "易拉宝", "1", "个", null),
    typed("@SUM(A1)", "宣传", "1", "项", "50"),
  ]);
  await spend(plans.booth, { item: "展架" }, 70_000);

  // Straddles the start of the period; no budget at all.
  plans.members = await planWithBudget({ title: "+1+1 会员日", campaignType: "membership", startDate: "2026-12-20", endDate: "2027-01-05", store: "陆家嘴支行" }, []);

  // Made by hand (as an import or a script would), with text no form would let through.
  const now = Date.now();
  plans.imported = "importedPlan0001";
  await server.db
    .insertInto("plans")
    .values({
      id: plans.imported,
      title: "-2+3",
      campaign_type: "holiday",
      store: "\t=cmd|' /C calc'!A0",
      start_date: "2027-08-01",
      end_date: "2027-08-02",
      status: "running",
      budget_locked: 0,
      template_id: null,
      owner_id: planner.id,
      created_at: now,
      updated_at: now,
      spend_fen: 0,
      income_fen: 0,
      net_fen: 0,
      tbd_count: 0,
      budget_line_count: 0,
      anchor_date: "",
      projected_at: now,
    })
    .execute();

  plans.early = await planWithBudget({ title: "2026 春季促销", campaignType: "holiday", startDate: "2026-03-01", endDate: "2026-03-10", store: "外滩店" }, [typed("物料", "海报", "1", "张", "100")]);
  plans.archived = await planWithBudget({ title: "2027 已取消活动", campaignType: "holiday", startDate: "2027-05-01", endDate: "2027-05-03", store: "外滩店" }, [typed("物料", "海报", "1", "张", "100")]);
  await setPlanStatus(server.db, plans.archived, "archived", Date.now());
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

afterAll(async () => {
  as.clear();
  await server.close();
});

describe("the portfolio summary", () => {
  it("shows every plan overlapping the period with budget, approved, actual and variance equal to each plan's own figures", async () => {
    const { summary: data } = await summary(finance, PERIOD);
    if (!data) throw new Error("no summary");
    // Start date order; the 2026 plan and the archived one are left out.
    expect(data.plans.map((p) => p.id)).toEqual([plans.members, plans.imported, plans.gala, plans.booth]);
    expect(data.count).toBe(4);

    for (const plan of data.plans) {
      const row = (await findPlanById(server.db, plan.id))!;
      const approved = await findLastApprovedRevision(server.db, plan.id);
      const variance = await loadPlanVariance(server.db, plan.id);
      expect(plan.budget).toEqual({ spendFen: row.spend_fen, incomeFen: row.income_fen, netFen: row.net_fen, tbdCount: row.tbd_count });
      expect(plan.approved).toEqual(approved ? { revisionNumber: approved.number, spendFen: approved.spend_fen, incomeFen: approved.income_fen, netFen: approved.net_fen } : null);
      expect(plan.actual).toEqual({ spendFen: variance.totals.actualSpendFen, incomeFen: variance.totals.actualIncomeFen, netFen: variance.totals.actualNetFen });
      expect(plan.varianceFen).toBe(variance.totals.varianceFen);
      expect(plan.varianceBasisPoints).toBe(variance.totals.varianceBasisPoints);
      expect(plan.unbudgetedFen).toBe(variance.unbudgeted.reduce((sum, u) => sum + u.actualFen, 0));
    }

    const gala = data.plans.find((p) => p.id === plans.gala)!;
    expect(gala).toMatchObject({
      budget: { spendFen: 12_000_000, incomeFen: 500_000, netFen: 11_500_000, tbdCount: 0 },
      approved: { revisionNumber: 1, spendFen: 12_000_000, incomeFen: 500_000, netFen: 11_500_000 },
      actual: { spendFen: 8_200_050, incomeFen: 600_000, netFen: 7_600_050 },
      unbudgetedFen: 10_000,
      varianceFen: -3_899_950,
      varianceBasisPoints: -3391,
    });
    const booth = data.plans.find((p) => p.id === plans.booth)!;
    expect(booth).toMatchObject({
      budget: { spendFen: 65_000, incomeFen: 0, netFen: 65_000, tbdCount: 1 },
      approved: null,
      actual: { spendFen: 70_000, incomeFen: 0, netFen: 70_000 },
      varianceFen: 5_000,
      varianceBasisPoints: 769,
    });
    expect(data.plans.find((p) => p.id === plans.members)).toMatchObject({ varianceFen: 0, varianceBasisPoints: null });

    expect(data.totals).toEqual({
      budgetNetFen: 11_565_000,
      approvedNetFen: 11_500_000,
      actualNetFen: 7_670_050,
      varianceFen: -3_894_950,
      // −3,894,950 over the basis judged against (11,500,000 approved + 65,000 draft).
      varianceBasisPoints: -3368,
    });
  });

  it("narrows by campaign type, store and status, and includes archived plans only when asked", async () => {
    const ids = async (query: Record<string, string>) => (await summary(finance, { ...PERIOD, ...query })).summary!.plans.map((p) => p.id);
    expect(await ids({ type: "double11" })).toEqual([plans.booth]);
    expect(await ids({ store: "外滩" })).toEqual([plans.booth]);
    expect(await ids({ store: "%" })).toEqual([]);
    expect(await ids({ status: "approved" })).toEqual([plans.gala]);
    expect(await ids({ status: "running" })).toEqual([plans.imported]);
    expect(await ids({ archived: "1", store: "外滩" })).toEqual([plans.archived, plans.booth]);
    expect(await ids({ status: "archived" })).toEqual([plans.archived]);
    expect(await ids({ from: "2026-01-01", to: "2026-12-31" })).toEqual([plans.early, plans.members]);
  });

  it("refuses a bad period beside its field and shows no figures", async () => {
    const data = await summary(finance, { from: "2027-12-31", to: "2027-01-01" });
    expect(data.summary).toBeNull();
    expect(data.fieldErrors).toEqual({ to: "endBeforeStart" });
    const page = await (await as(finance)).get("/finance?from=2027-12-31&to=2027-01-01");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("结束日期不能早于开始日期。");
  });

  it("renders the finance centre in Chinese for finance and admins only", async () => {
    const page = await (await as(admin)).get(`/finance?from=${PERIOD.from}&to=${PERIOD.to}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("财务中心");
    expect(html).toContain("导出组合报表");
    expect(html).toContain("¥115,000.00");
    for (const member of [planner, viewer]) {
      expect((await (await as(member)).get("/finance")).status).toBe(403);
      expect((await (await as(member)).post("/finance?index", PERIOD)).status).toBe(403);
      expect((await (await as(member)).get("/finance/exports/anything")).status).toBe(403);
    }
  });
});

describe("the portfolio workbook", () => {
  it("is built off the main thread with progress up to the total, and downloads under its Chinese name", async () => {
    const jobId = await startExport(finance, PERIOD);
    const seen = await finish(finance, jobId);
    expect(seen[seen.length - 1]).toEqual({ state: "done", done: 8, total: 8 });
    for (const step of seen) expect(step.done).toBeLessThanOrEqual(step.total);

    const job = server.exports.job(finance.id, jobId)!;
    expect(job.threadId).not.toBeNull();
    expect(job.threadId).not.toBe(mainThreadId);

    const { response, workbook } = await download(finance, jobId);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const disposition = response.headers.get("content-disposition")!;
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    expect(decodeURIComponent(encoded!)).toBe(FILE_NAME);
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=/);

    expect(workbook.worksheets.map((s) => s.name)).toEqual(["汇总", "分类明细"]);
    const sheet = workbook.getWorksheet("汇总")!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe("A1:T5");
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      "方案",
      "活动类型",
      "门店/网点",
      "负责人",
      "状态",
      "开始日期",
      "结束日期",
      "预算支出",
      "预算收入",
      "预算净支出",
      "待定项",
      "批准版本",
      "批准净支出",
      "实际支出",
      "实际收入",
      "实际净支出",
      "预算外实际",
      "差异",
      "差异率",
      "方案编号",
    ]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect([2, 3, 4, 5].map((r) => sheet.getCell(`T${r}`).value)).toEqual([plans.members, plans.imported, plans.gala, plans.booth]);

    // The approved gala, row 4.
    expect(sheet.getCell("A4").value).toBe("2027 中秋客户答谢晚会");
    expect(sheet.getCell("B4").value).toBe("节日促销");
    expect(sheet.getCell("E4").value).toBe("已批准");
    expect((sheet.getCell("F4").value as Date).toISOString()).toBe("2027-09-01T00:00:00.000Z");
    expect(sheet.getCell("H4").value).toBe(120_000);
    expect(sheet.getCell("H4").numFmt).toBe(MONEY);
    expect(sheet.getCell("J4").value).toEqual({ formula: "H4-I4", result: 115_000 });
    expect(sheet.getCell("L4").value).toBe(1);
    expect(sheet.getCell("M4").value).toBe(115_000);
    expect(sheet.getCell("N4").value).toBe(82_000.5);
    expect(sheet.getCell("P4").value).toEqual({ formula: "N4-O4", result: 76_000.5 });
    expect(sheet.getCell("Q4").value).toBe(100);
    expect(sheet.getCell("R4").value).toEqual({ formula: 'P4-IF(M4="",J4,M4)', result: -38_999.5 });
    expect(sheet.getCell("R4").numFmt).toBe(MONEY);
    expect(sheet.getCell("S4").value).toEqual({ formula: 'IF(IF(M4="",J4,M4)=0,"",R4/IF(M4="",J4,M4))', result: -0.3391 });
    expect(sheet.getCell("S4").numFmt).toBe("0.00%");
    // The draft booth, row 5: no approval, variance against the draft.
    expect(sheet.getCell("K5").value).toBe(1);
    expect(sheet.getCell("M5").value).toBeNull();
    expect(sheet.getCell("R5").value).toEqual({ formula: 'P5-IF(M5="",J5,M5)', result: 50 });

    // Text that looks like a formula stays literal text, in the Text format.
    for (const [address, text] of [
      ["A5", '=HYPERLINK("http://x","y")'],
      ["A2", "+1+1 会员日"],
      ["A3", "-2+3"],
      ["C3", "\t=cmd|' /C calc'!A0"],
    ] as const) {
      const cell = sheet.getCell(address);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(text);
      expect(cell.formula).toBeUndefined();
      expect(cell.numFmt).toBe("@");
    }

    // Totals: live sums with the exact figures cached.
    expect(sheet.getCell("A6").value).toBe("合计");
    expect(sheet.getCell("J6").value).toEqual({ formula: "SUM(J2:J5)", result: 115_650 });
    expect(sheet.getCell("M6").value).toEqual({ formula: "SUM(M2:M5)", result: 115_000 });
    expect(sheet.getCell("P6").value).toEqual({ formula: "SUM(P2:P5)", result: 76_700.5 });
    expect(sheet.getCell("R6").value).toEqual({ formula: "SUM(R2:R5)", result: -38_949.5 });
    expect(sheet.getCell("S6").value).toEqual({ formula: 'IF(P6-R6=0,"",R6/(P6-R6))', result: -0.3368 });
    expect(sheet.getCell("J6").numFmt).toBe(MONEY);
    expect(sheet.rowCount).toBe(6);

    const categories = workbook.getWorksheet("分类明细")!;
    expect(categories.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const rows = [];
    for (let r = 2; r <= categories.rowCount; r += 1) {
      const row = categories.getRow(r);
      const result = (col: number) => {
        const value = row.getCell(col).value;
        return value !== null && typeof value === "object" && "result" in value ? value.result : value;
      };
      rows.push([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, result(5), result(6), result(7), result(8), result(9)]);
    }
    expect(rows).toEqual([
      [plans.gala, "活动物料", "支出", 80_000, 80_000, 82_000.5, 2_000.5, 0.025],
      [plans.gala, "宣传推广", "支出", 40_000, 40_000, 0, -40_000, -1],
      [plans.gala, "收入", "收入", 5_000, 5_000, 6_000, 1_000, 0.2],
      [plans.booth, "展位物料", "支出", 600, null, 700, 100, 0.1667],
      [plans.booth, "@SUM(A1)", "支出", 50, null, 0, -50, -1],
    ]);
    const atSum = categories.getCell("C6");
    expect(atSum.type).toBe(ExcelJS.ValueType.String);
    expect(atSum.numFmt).toBe("@");
    expect(categories.getCell("E2").numFmt).toBe(MONEY);
  });

  it("is visible only to the member who started it", async () => {
    const jobId = await startExport(finance, { ...PERIOD, type: "double11" });
    await finish(finance, jobId);
    for (const other of [finance2, admin]) {
      expect((await (await as(other)).get(`/finance/exports/${jobId}`)).status).toBe(404);
      expect((await (await as(other)).get(`/finance/exports/${jobId}?download=1`)).status).toBe(404);
    }
    expect((await (await as(finance)).get("/finance/exports/not-a-job")).status).toBe(404);
    const { workbook } = await download(finance, jobId);
    expect(workbook.getWorksheet("汇总")!.getCell("T2").value).toBe(plans.booth);
  });

  it("refuses a bad filter with the field's message and starts nothing", async () => {
    const response = await (await as(finance2)).post("/finance?index", { from: "2027-13-01", to: "2027-12-31" });
    expect(response.status).toBe(400);
    expect(server.exports.latest(finance2.id)).toBeNull();
  });

  it("runs a large export in a worker while the server keeps answering, one job per member and two at once", async () => {
    const bulk = await seedBulk(2_000, 2028);
    const year = { from: "2028-01-01", to: "2028-12-31" };
    const owner = await open(planner, plans.members);
    const colleague = await open(admin, plans.members);

    const jobId = await startExport(finance2, year);
    // Once the worker has written its first rows, the rest happens while it writes.
    await waitUntil(async () => (await jobStatus(finance2, jobId)).done > 0, "the first rows are written", 20_000);

    // While it runs: an edit round-trips between two editors, and pages answer promptly.
    typeInto(owner, "导出期间的修改");
    await waitUntil(() => textOf(colleague.state.doc).includes("导出期间的修改"), "the colleague sees the edit");
    const started = Date.now();
    const list = await (await as(planner)).get("/plans");
    expect(list.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    const again = await (await as(finance2)).post(EXPORT_DATA, year);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "memberBusy", message: "你已有一份组合报表正在生成，请等它完成后再导出。" });
    const second = await startExport(admin, year);
    const third = await (await as(finance)).post(EXPORT_DATA, year);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: "serverBusy", message: "当前导出任务较多，请稍后再试。" });
    // Everything above happened while the export was still being written.
    const during = await jobStatus(finance2, jobId);
    expect(during.state).toBe("running");
    expect(during.total).toBe(4_000);
    expect(during.done).toBeLessThan(4_000);

    const seen = await finish(finance2, jobId, 60_000);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen[seen.length - 1]).toEqual({ state: "done", done: 4_000, total: 4_000 });
    const job: ExportJobView = server.exports.job(finance2.id, jobId)!;
    expect(job.threadId).not.toBe(mainThreadId);
    await finish(admin, second, 60_000);

    const { workbook } = await download(finance2, jobId);
    const sheet = workbook.getWorksheet("汇总")!;
    expect(sheet.rowCount).toBe(2_002);
    expect(sheet.getCell("J2002").value).toEqual({ formula: "SUM(J2:J2001)", result: bulk.netFen / 100 });
    // Five rows per plan: four spend categories and income.
    expect(workbook.getWorksheet("分类明细")!.rowCount).toBe(1 + 2_000 * 5);
    expect(server.loggedErrors).toEqual([]);
  }, 120_000);
});

describe("export jobs", () => {
  const filter: PortfolioFilter = { ...PERIOD, campaignType: null, store: "", status: null, includeArchived: false };
  const request = { filter, locale: "zh-CN" as const, fileName: FILE_NAME };

  async function settled(jobs: ExportJobs, memberId: number, jobId: string): Promise<ExportJobView> {
    await waitUntil(() => jobs.job(memberId, jobId)?.state !== "running", "the job settles", 20_000);
    return jobs.job(memberId, jobId)!;
  }

  it("deletes a finished file when it expires and when the member starts another export", async () => {
    const jobs = new ExportJobs({ databasePath: server.dbPath, log: () => {}, keepMs: 1_500 });
    try {
      const first = jobs.startPortfolio(finance.id, request);
      if (!first.ok) throw new Error("not started");
      expect((await settled(jobs, finance.id, first.job.id)).state).toBe("done");
      const firstPath = jobs.file(finance.id, first.job.id)!.path;
      expect(existsSync(firstPath)).toBe(true);

      const second = jobs.startPortfolio(finance.id, request);
      if (!second.ok) throw new Error("not started");
      await waitUntil(() => !existsSync(firstPath), "the older file is deleted");
      expect(jobs.job(finance.id, first.job.id)).toBeNull();
      expect((await settled(jobs, finance.id, second.job.id)).state).toBe("done");
      const secondPath = jobs.file(finance.id, second.job.id)!.path;
      await waitUntil(() => !existsSync(secondPath) && jobs.job(finance.id, second.job.id) === null, "the file expires", 5_000);
    } finally {
      await jobs.close();
    }
  });

  it("stops running workers and deletes every file on shutdown", async () => {
    const jobs = new ExportJobs({ databasePath: server.dbPath, log: () => {} });
    const done = jobs.startPortfolio(finance.id, request);
    if (!done.ok) throw new Error("not started");
    await settled(jobs, finance.id, done.job.id);
    const donePath = jobs.file(finance.id, done.job.id)!.path;
    const running = jobs.startPortfolio(finance2.id, { ...request, filter: { ...filter, from: "2028-01-01", to: "2028-12-31" } });
    if (!running.ok) throw new Error("not started");
    expect(existsSync(donePath)).toBe(true);

    await jobs.close();
    expect(existsSync(donePath)).toBe(false);
    expect(existsSync(join(tmpdir(), `campaigndesk-portfolio-${running.job.id}.xlsx`))).toBe(false);
    expect(jobs.job(finance.id, done.job.id)).toBeNull();
    expect(jobs.job(finance2.id, running.job.id)).toBeNull();
    expect(jobs.startPortfolio(finance.id, request)).toEqual({ ok: false, code: "serverBusy" });
  });

  it("logs a worker's failure, marks the job failed and leaves no file", async () => {
    const logged: Array<[string, unknown]> = [];
    const directory = mkdtempSync(join(tmpdir(), "campaigndesk-export-"));
    // A database file without any tables: the worker's first query fails.
    const jobs = new ExportJobs({ databasePath: join(directory, "empty.db"), log: (message, error) => logged.push([message, error]), directory });
    try {
      const started = jobs.startPortfolio(finance.id, request);
      if (!started.ok) throw new Error("not started");
      expect((await settled(jobs, finance.id, started.job.id)).state).toBe("failed");
      expect(jobs.file(finance.id, started.job.id)).toBeNull();
      expect(logged).toHaveLength(1);
      expect(logged[0]![0]).toContain("failed");
      expect(String(logged[0]![1])).toContain("no such table");
      await waitUntil(() => !existsSync(join(directory, `campaigndesk-portfolio-${started.job.id}.xlsx`)), "no partial file");
    } finally {
      await jobs.close();
    }
  });
});
