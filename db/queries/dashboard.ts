import { sql } from "kysely";
import { addFen, ZERO_FEN, type BasisPoints, type Fen } from "~/domain/money";
import { displayStatus, type CampaignType, type PlanDisplayStatus } from "~/domain/plan";
import type { PortfolioFilter } from "~/domain/portfolio";
import { kpiCompletion } from "~/domain/variance";
import { listPortfolioPlans, matchingPlans, portfolioEntries, PORTFOLIO_PAGE, type PortfolioEntry, type ReadableBy } from "./portfolio";
import type { DbOrTx } from "./users";

/**
 * The dashboard (概览): the portfolio's figures, counts and lists over the plans a member may
 * read. Money comes from the portfolio's own queries (db/queries/portfolio.ts) so that its
 * totals are the finance workbook's for the same filter; everything reads the projection
 * tables, never a plan document.
 */

export interface DashboardFilter {
  from: string;
  to: string;
  campaignType: CampaignType | null;
  store: string;
}

/** The portfolio's filter for the dashboard's: every status but 已归档, as finance's default. */
export function portfolioFilterOf(filter: DashboardFilter): PortfolioFilter {
  return { ...filter, status: null, includeArchived: false };
}

export interface StatusTypeCount {
  /** As members see it: 退回修改 and 已驳回 counted apart from 草稿. */
  status: PlanDisplayStatus;
  campaignType: CampaignType;
  count: number;
}

/** Readable plans in the period by (status, campaign type), archived ones included. */
export async function countByStatusAndType(db: DbOrTx, filter: DashboardFilter, readableBy: ReadableBy): Promise<StatusTypeCount[]> {
  const rows = await matchingPlans(db, { ...filter, status: null, includeArchived: true }, readableBy)
    .select(["plans.status", "plans.review_outcome", "plans.campaign_type", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["plans.status", "plans.review_outcome", "plans.campaign_type"])
    .execute();
  return rows.map((row) => ({ status: displayStatus(row), campaignType: row.campaign_type, count: Number(row.n) }));
}

export interface MoneyFigures {
  budgetFen: Fen;
  /** Summed over the plans with an approved revision only. */
  approvedFen: Fen;
  actualFen: Fen;
  varianceFen: Fen;
}

export interface PlanMoney extends MoneyFigures {
  id: string;
  title: string;
  campaignType: CampaignType;
  status: PlanDisplayStatus;
  startDate: string;
  hasApproved: boolean;
  /** The spend the plan is judged against: the approved snapshot's, else the draft's. */
  basisSpendFen: Fen;
  actualSpendFen: Fen;
}

export interface CategoryMoney extends MoneyFigures {
  category: string;
  income: boolean;
}

export interface DashboardMoney {
  planCount: number;
  /** Net (spend − income) figures, as the portfolio reports them. */
  totals: MoneyFigures;
  plans: PlanMoney[];
  categories: CategoryMoney[];
}

function planMoney(entry: PortfolioEntry): PlanMoney {
  return {
    id: entry.id,
    title: entry.title,
    campaignType: entry.campaignType,
    status: entry.status,
    startDate: entry.startDate,
    hasApproved: entry.approved !== null,
    budgetFen: entry.budget.netFen,
    approvedFen: entry.approved?.netFen ?? ZERO_FEN,
    actualFen: entry.actual.netFen,
    varianceFen: entry.varianceFen,
    basisSpendFen: entry.approved?.spendFen ?? entry.budget.spendFen,
    actualSpendFen: entry.actual.spendFen,
  };
}

/**
 * Budget, approved, actual and variance of every matching readable plan, page by page through
 * the portfolio's queries: totals over all of them, per plan, and per (direction, category).
 */
export async function dashboardMoney(db: DbOrTx, filter: DashboardFilter, readableBy: ReadableBy): Promise<DashboardMoney> {
  const portfolio = portfolioFilterOf(filter);
  const totals: MoneyFigures = { budgetFen: ZERO_FEN, approvedFen: ZERO_FEN, actualFen: ZERO_FEN, varianceFen: ZERO_FEN };
  const plans: PlanMoney[] = [];
  const categories = new Map<string, CategoryMoney>();
  let after: { startDate: string; id: string } | undefined;
  for (;;) {
    const page = await listPortfolioPlans(db, portfolio, { after, limit: PORTFOLIO_PAGE }, readableBy);
    for (const entry of await portfolioEntries(db, page)) {
      const plan = planMoney(entry);
      plans.push(plan);
      totals.budgetFen = addFen(totals.budgetFen, plan.budgetFen);
      totals.approvedFen = addFen(totals.approvedFen, plan.approvedFen);
      totals.actualFen = addFen(totals.actualFen, plan.actualFen);
      totals.varianceFen = addFen(totals.varianceFen, plan.varianceFen);
      for (const c of entry.categories) {
        const key = `${c.income ? "1" : "0"}\u0000${c.category}`;
        const sum = categories.get(key) ?? { category: c.category, income: c.income, budgetFen: ZERO_FEN, approvedFen: ZERO_FEN, actualFen: ZERO_FEN, varianceFen: ZERO_FEN };
        sum.budgetFen = addFen(sum.budgetFen, c.budgetFen);
        sum.approvedFen = addFen(sum.approvedFen, c.approvedFen ?? ZERO_FEN);
        sum.actualFen = addFen(sum.actualFen, c.actualFen);
        sum.varianceFen = addFen(sum.varianceFen, c.varianceFen);
        categories.set(key, sum);
      }
    }
    if (page.length < PORTFOLIO_PAGE) break;
    const last = page[page.length - 1]!;
    after = { startDate: last.start_date, id: last.id };
  }
  // Spend before income, each in first-seen order.
  const ordered = [...categories.values()].sort((a, b) => Number(a.income) - Number(b.income));
  return { planCount: plans.length, totals, plans, categories: ordered };
}

export interface UpcomingPlan {
  id: string;
  title: string;
  campaignType: CampaignType;
  status: PlanDisplayStatus;
  store: string;
  startDate: string;
  endDate: string;
}

/** Readable, unarchived plans starting from `today` to `until` (inclusive), soonest first. */
export async function listStartingSoon(
  db: DbOrTx,
  filter: Pick<DashboardFilter, "campaignType" | "store">,
  window: { today: string; until: string },
  readableBy: ReadableBy,
  limit: number,
): Promise<UpcomingPlan[]> {
  const rows = await matchingPlans(db, { ...filter, from: window.today, to: window.until, status: null, includeArchived: false }, readableBy)
    .where("plans.start_date", ">=", window.today)
    .select(["plans.id", "plans.title", "plans.campaign_type", "plans.status", "plans.review_outcome", "plans.store", "plans.start_date", "plans.end_date"])
    .orderBy("plans.start_date")
    .orderBy("plans.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, campaignType: r.campaign_type, status: displayStatus(r), store: r.store, startDate: r.start_date, endDate: r.end_date }));
}

export interface KpiCompletionRow {
  planId: string;
  planTitle: string;
  kpiId: string;
  name: string;
  unit: string;
  target: string | null;
  actual: string | null;
  direction: "up" | "down";
  /** Basis points of the target (10000 = 100%); null when target or actual is missing. */
  completionBasisPoints: BasisPoints | null;
}

/** The KPIs of the matching readable plans with their recorded results: a page of rows and the total. */
export async function listKpiCompletion(db: DbOrTx, filter: DashboardFilter, readableBy: ReadableBy, limit: number): Promise<{ total: number; rows: KpiCompletionRow[] }> {
  const base = matchingPlans(db, portfolioFilterOf(filter), readableBy)
    .innerJoin("kpis", "kpis.plan_id", "plans.id")
    .leftJoin("kpi_results as result", (join) => join.onRef("result.plan_id", "=", "kpis.plan_id").onRef("result.kpi_id", "=", "kpis.kpi_id"));
  const counted = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .select(["plans.id as plan_id", "plans.title", "kpis.kpi_id", "kpis.name", "kpis.unit", "kpis.target", "kpis.direction", "result.actual"])
    .orderBy("plans.start_date")
    .orderBy("plans.id")
    .orderBy("kpis.position")
    .limit(limit)
    .execute();
  return {
    total: Number(counted.n),
    rows: rows.map((r) => ({
      planId: r.plan_id,
      planTitle: r.title,
      kpiId: r.kpi_id,
      name: r.name,
      unit: r.unit,
      target: r.target,
      actual: r.actual,
      direction: r.direction,
      completionBasisPoints: kpiCompletion(r.target, r.actual, r.direction),
    })),
  };
}

export interface MyPlanRow {
  id: string;
  title: string;
  status: PlanDisplayStatus;
  startDate: string;
  endDate: string;
  owned: boolean;
  /** When the member last changed the document (ms), or null when they own it but never edited. */
  editedAt: number | null;
}

/**
 * The plans a member owns or has edited, most recently touched first, whatever the period:
 * what 概览 shows at the top. Edits are read from the document updates not yet compacted
 * and from the authors of each saved version, so an edit is remembered after compaction.
 * Archived plans and plans the member can no longer read are left out.
 */
export async function listMyPlans(db: DbOrTx, memberId: number, readableBy: ReadableBy, limit: number): Promise<MyPlanRow[]> {
  const editedAt = sql<number>`max(
    coalesce((SELECT max(u.created_at) FROM doc_updates u WHERE u.plan_id = plans.id AND u.user_id = ${memberId}), 0),
    coalesce((SELECT max(v.created_at) FROM plan_versions v, json_each(v.authors) a WHERE v.plan_id = plans.id AND a.value = ${memberId}), 0)
  )`;
  const rows = await db
    .selectFrom("plans")
    .select(["plans.id", "plans.title", "plans.status", "plans.review_outcome", "plans.start_date", "plans.end_date", "plans.owner_id", "plans.updated_at", editedAt.as("edited_at")])
    .where("plans.status", "!=", "archived")
    .where((eb) =>
      eb.or([
        eb("plans.owner_id", "=", memberId),
        readableBy === null
          ? eb(editedAt, ">", 0)
          : eb.and([
              eb(editedAt, ">", 0),
              eb.exists(eb.selectFrom("plan_members as m").select("m.plan_id").whereRef("m.plan_id", "=", "plans.id").where("m.user_id", "=", readableBy)),
            ]),
      ]),
    )
    .orderBy(sql`max(edited_at, CASE WHEN plans.owner_id = ${memberId} THEN plans.updated_at ELSE 0 END)`, "desc")
    .orderBy("plans.id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    status: displayStatus(row),
    startDate: row.start_date,
    endDate: row.end_date,
    owned: row.owner_id === memberId,
    editedAt: Number(row.edited_at) > 0 ? Number(row.edited_at) : null,
  }));
}
