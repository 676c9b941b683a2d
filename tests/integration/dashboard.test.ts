import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import { findPlanById, setPlanStatus } from "../../db/queries/plans";
import { listBudgetLines, listKpis } from "../../db/queries/projection";
import { countPortfolioPlans, listPortfolioPlans, portfolioEntries, PORTFOLIO_PAGE } from "../../db/queries/portfolio";
import { addDays, chinaToday } from "~/domain/calendar";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine, type Kpi } from "~/domain/plan-document";
import type { CampaignType } from "~/domain/plan";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

type Line = Omit<BudgetLine, "id">;

function typed(category: string, item: string, quantity: string, price: string | null, income = false): Line {
  const q = parseQuantityCell(quantity);
  const p = price === null ? ({ ok: true, value: null } as const) : parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category, item, quantityHundredths: q.value, unit: "项", unitPriceFen: p.value, income };
}

function kpi(name: string, target: string, direction: "up" | "down" = "up"): Omit<Kpi, "id"> {
  return { ...blankRow("kpis", "2027-09-01"), name, unit: "人", target, direction };
}

interface Figures {
  budgetFen: number;
  approvedFen: number;
  actualFen: number;
  varianceFen: number;
}
interface DashboardData {
  fieldErrors: Record<string, string> | null;
  data: {
    counts: { status: string; campaignType: string; count: number }[];
    planCount: number;
    totals: Figures;
    plans: ({ id: string; title: string; approvedFen: number | null } & Omit<Figures, "approvedFen">)[];
    categories: ({ category: string; income: boolean } & Figures)[];
    categoryTotals: Figures;
    kpis: { total: number; rows: { planId: string; name: string; target: string | null; actual: string | null; completionBasisPoints: number | null }[] };
    overBudget: { id: string; actualSpendFen: number; basisSpendFen: number }[];
    soon: { id: string; startDate: string }[];
    inbox: { count: number; rows: { plan_id: string; revision_id: number }[] } | null;
  } | null;
}

let server: TestServer;
let planner: MadeMember;
let viewer: MadeMember;
let admin: MadeMember;
let finance: MadeMember;
const approvers = {} as Record<ApproverTitle, MadeMember>;
const plans = {} as Record<"gala" | "double11" | "opening" | "archived" | "soon" | "later", string>;
const today = chinaToday();
/** Each plan's dates, to work out which ones a period holds whatever day the suite runs. */
const dates = new Map<string, { start: string; end: string; archived: boolean }>();
const YEAR_2027 = { from: "2027-01-01", to: "2027-12-31" };

const as = signedInClients(() => server.url);

async function planWith(
  input: { title: string; campaignType: CampaignType; startDate: string; endDate: string; store: string },
  budget: readonly Line[],
  kpis: readonly Omit<Kpi, "id">[] = [],
): Promise<string> {
  const id = await createPlan(server.db, planner.id, input, { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...budget], kpis: [...kpis] } });
  dates.set(id, { start: input.startDate, end: input.endDate, archived: false });
  return id;
}

function inPeriod(period: { from: string; to: string }, options: { archived: boolean }): string[] {
  return [...dates].filter(([, d]) => d.start <= period.to && d.end >= period.from && (options.archived || !d.archived)).map(([id]) => id);
}

async function spend(planId: string, item: string, amountFen: number): Promise<void> {
  const line = (await listBudgetLines(server.db, planId)).find((l) => l.item === item);
  if (!line) throw new Error(`no line ${item}`);
  await server.db
    .insertInto("actual_entries")
    .values({ plan_id: planId, line_id: line.line_id, spent_on: "2027-09-10", amount_fen: amountFen, vendor: "", invoice_no: "", note: "", source: "manual", created_by: finance.id, created_at: Date.now(), updated_by: null, updated_at: null })
    .execute();
}

async function submit(planId: string): Promise<number> {
  const submitted = await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" });
  expect(submitted.status).toBe(200);
  const revision = await server.db.selectFrom("budget_revisions").select("id").where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
  return revision.id;
}

async function decide(revisionId: number, step: { title: ApproverTitle; step_index: number }): Promise<void> {
  const decided = await (await as(approvers[step.title])).post(`/approvals/${revisionId}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" });
  expect(decided.status).toBe(302);
}

async function dashboard(member: MadeMember, query: Record<string, string>): Promise<NonNullable<DashboardData["data"]>> {
  const params = new URLSearchParams({ ...query, _data: "routes/_app.dashboard" });
  const response = await (await as(member)).get(`/dashboard?${params.toString()}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as DashboardData;
  expect(body.fieldErrors).toBeNull();
  return body.data!;
}

const countTotal = (data: NonNullable<DashboardData["data"]>) => data.counts.reduce((sum, c) => sum + c.count, 0);

/** Budget net, approved, actual and variance of the given plans, straight from the portfolio's queries. */
async function portfolioTotals(ids: readonly string[]): Promise<Figures> {
  const filter = { ...YEAR_2027, campaignType: null, store: "", status: null, includeArchived: false };
  const entries = (await portfolioEntries(server.db, await listPortfolioPlans(server.db, filter, { limit: PORTFOLIO_PAGE }))).filter((e) => ids.includes(e.id));
  return entries.reduce(
    (sum, e) => ({
      budgetFen: sum.budgetFen + e.budget.netFen,
      approvedFen: sum.approvedFen + (e.approved?.netFen ?? 0),
      actualFen: sum.actualFen + e.actual.netFen,
      varianceFen: sum.varianceFen + e.varianceFen,
    }),
    { budgetFen: 0, approvedFen: 0, actualFen: 0, varianceFen: 0 },
  );
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  planner = await makeMember(server.db, { role: "planner", name: "李娜" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  admin = await makeMember(server.db, { role: "admin", name: "管理员" });
  finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  approvers.finance = finance;
  approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });

  // ¥120,000 spend, ¥5,000 income, approved; ¥82,000.50 spent: within budget.
  plans.gala = await planWith(
    { title: "2027 中秋客户答谢晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    [typed("活动物料", "舞台搭建", "1", "80,000"), typed("宣传推广", "宣传单页", "40,000", "1"), typed("收入", "商户赞助", "1", "5,000", true)],
    [kpi("到场嘉宾", "300"), kpi("获客成本", "50", "down")],
  );
  const galaRevision = await submit(plans.gala);
  for (const step of await listSteps(server.db, galaRevision)) await decide(galaRevision, step);
  await spend(plans.gala, "舞台搭建", 8_200_050);
  await server.db
    .insertInto("kpi_results")
    .values({ plan_id: plans.gala, kpi_id: (await listKpis(server.db, plans.gala)).find((k) => k.name === "到场嘉宾")!.kpi_id, actual: "270", note: "", recorded_by: finance.id, recorded_at: Date.now() })
    .execute();

  // A draft ¥10,000 budget with ¥12,000.01 spent: over budget.
  plans.double11 = await planWith({ title: "2027 双十一会员狂欢", campaignType: "double11", startDate: "2027-11-01", endDate: "2027-11-11", store: "浦东支行" }, [
    typed("线上推广", "信息流广告", "1", "10,000"),
  ]);
  await spend(plans.double11, "信息流广告", 1_200_001);

  // Submitted in a test below, to wait on its approval chain.
  plans.opening = await planWith({ title: "2027 南京西路二店开业", campaignType: "opening", startDate: "2027-10-05", endDate: "2027-10-06", store: "南京西路二店" }, [
    typed("活动物料", "花篮", "10", "300.50"),
  ]);

  plans.archived = await planWith({ title: "2027 春节旧方案", campaignType: "holiday", startDate: "2027-02-01", endDate: "2027-02-10", store: "南京西路店" }, [typed("活动物料", "灯笼", "1", "999")]);
  await setPlanStatus(server.db, plans.archived, "archived", Date.now());
  dates.get(plans.archived)!.archived = true;

  plans.soon = await planWith({ title: "会员日快闪", campaignType: "membership", startDate: addDays(today, 8), endDate: addDays(today, 9), store: "外滩店" }, [typed("活动物料", "展架", "2", "150")]);
  plans.later = await planWith({ title: "银行 VIP 沙龙", campaignType: "bankVip", startDate: addDays(today, 45), endDate: addDays(today, 45), store: "陆家嘴支行" }, [
    typed("场地", "会议室", "1", "2,000"),
    typed("场地", "茶歇", "1", null),
  ]);

  await addToPlan(server.db, plans.gala, viewer.id, "view", planner.id);
  await addToPlan(server.db, plans.double11, viewer.id, "view", planner.id);
});

afterAll(async () => {
  await server?.close();
});

describe("the dashboard", () => {
  it("shows a viewer exactly the two plans they were added to, in counts, lists and every total", async () => {
    const data = await dashboard(viewer, YEAR_2027);
    expect(countTotal(data)).toBe(2);
    expect(data.counts).toEqual(
      expect.arrayContaining([
        { status: "approved", campaignType: "holiday", count: 1 },
        { status: "draft", campaignType: "double11", count: 1 },
      ]),
    );
    expect(data.plans.map((p) => p.id).sort()).toEqual([plans.gala, plans.double11].sort());
    expect(data.planCount).toBe(2);
    expect(data.kpis.rows.every((k) => k.planId === plans.gala)).toBe(true);
    expect(data.overBudget.map((p) => p.id)).toEqual([plans.double11]);
    expect(data.soon).toEqual([]);
    expect(data.inbox).toBeNull();

    const gala = (await findPlanById(server.db, plans.gala))!;
    const double11 = (await findPlanById(server.db, plans.double11))!;
    expect(data.totals.budgetFen).toBe(gala.net_fen + double11.net_fen);
    expect(data.totals.budgetFen).toBe(11_500_000 + 1_000_000);
    expect(data.totals.approvedFen).toBe(11_500_000);
    expect(data.totals.actualFen).toBe(8_200_050 + 1_200_001);
    expect(data.totals).toEqual(await portfolioTotals([plans.gala, plans.double11]));
    expect(data.categoryTotals).toEqual(data.totals);
    expect(await countPortfolioPlans(server.db, { ...YEAR_2027, campaignType: null, store: "", status: null, includeArchived: false }, viewer.id)).toBe(2);
  });

  it("shows an admin every plan, and its totals equal the projected plans and the finance portfolio to the fen", async () => {
    const data = await dashboard(admin, YEAR_2027);
    expect(countTotal(data)).toBe(inPeriod(YEAR_2027, { archived: true }).length);
    expect(data.counts).toContainEqual({ status: "archived", campaignType: "holiday", count: 1 });
    const unarchived = inPeriod(YEAR_2027, { archived: false });
    expect(unarchived).toEqual(expect.arrayContaining([plans.gala, plans.double11, plans.opening]));
    expect(data.plans.map((p) => p.id).sort()).toEqual(unarchived.sort());

    let projected = 0;
    for (const id of unarchived) projected += (await findPlanById(server.db, id))!.net_fen;
    expect(data.totals.budgetFen).toBe(projected);
    expect(data.totals).toEqual(await portfolioTotals(unarchived));
    expect(data.categoryTotals).toEqual(data.totals);

    const financePage = await (await as(admin)).get(`/finance?${new URLSearchParams({ ...YEAR_2027, _data: "routes/_app.finance._index" }).toString()}`);
    const summary = ((await financePage.json()) as { summary: { count: number; totals: { budgetNetFen: number; approvedNetFen: number; actualNetFen: number; varianceFen: number } } }).summary;
    expect(summary.count).toBe(data.planCount);
    expect(summary.totals).toMatchObject({ budgetNetFen: data.totals.budgetFen, approvedNetFen: data.totals.approvedFen, actualNetFen: data.totals.actualFen, varianceFen: data.totals.varianceFen });

    const galaRow = data.kpis.rows.find((k) => k.name === "到场嘉宾")!;
    expect(galaRow).toMatchObject({ planId: plans.gala, target: "300", actual: "270", completionBasisPoints: 9000 });
    expect(data.kpis.rows.find((k) => k.name === "获客成本")).toMatchObject({ actual: null, completionBasisPoints: null });
  });

  it("narrows by campaign type and by store", async () => {
    const double11 = await dashboard(admin, { ...YEAR_2027, type: "double11" });
    expect(double11.plans.map((p) => p.id)).toEqual([plans.double11]);
    expect(countTotal(double11)).toBe(1);
    expect(double11.totals.budgetFen).toBe(1_000_000);

    const store = await dashboard(admin, { ...YEAR_2027, store: "南京西路" });
    expect(store.plans.map((p) => p.id).sort()).toEqual([plans.gala, plans.opening].sort());
    expect(countTotal(store)).toBe(3);

    const q4 = await dashboard(viewer, { from: "2027-10-01", to: "2027-12-31" });
    expect(q4.plans.map((p) => p.id)).toEqual([plans.double11]);
    expect(q4.totals).toEqual(await portfolioTotals([plans.double11]));
  });

  it("lists plans starting in the next 30 days and the plans over budget", async () => {
    const data = await dashboard(admin, YEAR_2027);
    expect(data.soon.map((p) => p.id)).toEqual([plans.soon]);
    expect(data.soon[0]!.startDate).toBe(addDays(today, 8));
    expect(data.overBudget).toEqual([{ id: plans.double11, title: "2027 双十一会员狂欢", actualSpendFen: 1_200_001, basisSpendFen: 1_000_000 }]);

    const holidays = await dashboard(admin, { ...YEAR_2027, type: "holiday" });
    expect(holidays.soon).toEqual([]);
  });

  it("shows a titled manager the budget waiting for their step", async () => {
    const revisionId = await submit(plans.opening);
    const steps = await listSteps(server.db, revisionId);
    const managerStep = steps.find((s) => s.title !== "finance")!;
    for (const step of steps.slice(0, steps.indexOf(managerStep))) await decide(revisionId, step);

    const manager = approvers[managerStep.title];
    const data = await dashboard(manager, YEAR_2027);
    expect(data.inbox?.rows.map((r) => [r.plan_id, r.revision_id])).toEqual([[plans.opening, revisionId]]);
    expect(data.inbox?.count).toBe(1);
    const others = (Object.keys(approvers) as ApproverTitle[]).filter((title) => title !== managerStep.title);
    for (const title of others) expect((await dashboard(approvers[title], YEAR_2027)).inbox?.count).toBe(0);
    expect((await dashboard(planner, YEAR_2027)).inbox).toBeNull();
  });

  it("defaults to the current quarter and refuses a period that ends before it starts", async () => {
    const response = await (await as(viewer)).get(`/dashboard?from=2027-12-31&to=2027-01-01&_data=routes/_app.dashboard`);
    expect(response.status).toBe(200);
    const refused = (await response.json()) as DashboardData & { fields: { from: string; to: string } };
    expect(refused.fieldErrors).toEqual({ to: "endBeforeStart" });
    expect(refused.data).toBeNull();

    const page = await (await as(viewer)).get("/dashboard");
    const html = await page.text();
    const month = Number.parseInt(today.slice(5, 7), 10);
    const first = `${today.slice(0, 4)}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, "0")}-01`;
    expect(html).toMatch(new RegExp(`name="from"[^>]*value="${first}"`));
  });

  it("is where a member lands after signing in", async () => {
    const response = await (await as(viewer)).get("/");
    expect(response.headers.get("location")).toBe("/dashboard");
  });
});
