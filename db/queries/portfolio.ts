import { sql } from "kysely";
import { displayStatus, type CampaignType, type PlanDisplayStatus, type PlanStatus, type ReviewOutcome } from "~/domain/plan";
import type { PortfolioFilter } from "~/domain/portfolio";
import { basisPoints, fen, isPlanTotal, ZERO_FEN, type BasisPoints, type Fen } from "~/domain/money";
import { whereDisplayStatus } from "./review-outcome";
import type { DbOrTx } from "./users";

/**
 * Finance's portfolio (活动组合): per plan its projected budget, last approved revision,
 * actual spend and variance, and the same per category. Actuals are judged against the
 * same basis as the plan's own 实际对比 (app/services/variance.server.ts: the last approved snapshot,
 * else the draft) with the same integer sums as computeVariance, so both reconcile to the fen.
 * Every query here takes a page of plans, so a portfolio of thousands costs a few queries per
 * page, and the lines come back already summed per category.
 */

export interface PortfolioPlanRow {
  id: string;
  title: string;
  campaign_type: CampaignType;
  store: string;
  status: PlanStatus;
  review_outcome: ReviewOutcome | null;
  start_date: string;
  end_date: string;
  owner_name: string;
  spend_fen: Fen;
  income_fen: Fen;
  net_fen: Fen;
  tbd_count: number;
}

export interface PortfolioCategory {
  category: string;
  income: boolean;
  /** The current draft's total for the category (待定 as ¥0). */
  budgetFen: Fen;
  /** The approved snapshot's total; null when the plan has no approved revision. */
  approvedFen: Fen | null;
  actualFen: Fen;
  /** actual − (approved if the plan has an approved revision, else budget) */
  varianceFen: Fen;
  varianceBasisPoints: BasisPoints | null;
}

export interface PortfolioEntry {
  id: string;
  title: string;
  campaignType: CampaignType;
  store: string;
  status: PlanDisplayStatus;
  startDate: string;
  endDate: string;
  ownerName: string;
  budget: { spendFen: Fen; incomeFen: Fen; netFen: Fen; tbdCount: number };
  approved: { revisionNumber: number; spendFen: Fen; incomeFen: Fen; netFen: Fen } | null;
  /** Actuals booked against the basis lines, split by each line's income flag. */
  actual: { spendFen: Fen; incomeFen: Fen; netFen: Fen };
  /** Actuals booked against lines the basis does not have (e.g. added after approval). */
  unbudgetedFen: Fen;
  /** actual net − (approved net if any, else budget net) */
  varianceFen: Fen;
  varianceBasisPoints: BasisPoints | null;
  categories: PortfolioCategory[];
  /**
   * Some of the plan's amounts pass MAX_PLAN_TOTAL_FEN (recorded before the bound): its
   * actual and variance figures are left at 0, out of every total, and shown as out of range.
   */
  outOfRange: boolean;
}

/** Plans per page: two `IN (…)` lists of this many ids per query stay under SQLite's 999 bound parameters. */
export const PORTFOLIO_PAGE = 200;

/**
 * Whose readable plans to cover: a member id narrows to the plans they own or were added to
 * (the `plan:read` rule for roles that do not read every plan); null covers every plan.
 */
export type ReadableBy = number | null;

/** Plans (joined with their owner) overlapping the period and narrowed by the filter and reader. */
export function matchingPlans(db: DbOrTx, filter: PortfolioFilter, readableBy: ReadableBy = null) {
  let query = db
    .selectFrom("plans")
    .innerJoin("users as owner", "owner.id", "plans.owner_id")
    .where("plans.start_date", "<=", filter.to)
    .where("plans.end_date", ">=", filter.from);
  if (filter.campaignType) query = query.where("plans.campaign_type", "=", filter.campaignType);
  if (filter.status) query = query.where(whereDisplayStatus(filter.status));
  if (!filter.includeArchived) query = query.where("plans.status", "!=", "archived");
  if (filter.store) {
    const pattern = `%${filter.store.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`plans.store LIKE ${pattern} ESCAPE '\\'`);
  }
  if (readableBy !== null) {
    query = query.where((eb) =>
      eb.or([
        eb("plans.owner_id", "=", readableBy),
        eb.exists(eb.selectFrom("plan_members as m").select("m.plan_id").whereRef("m.plan_id", "=", "plans.id").where("m.user_id", "=", readableBy)),
      ]),
    );
  }
  return query;
}

export async function countPortfolioPlans(db: DbOrTx, filter: PortfolioFilter, readableBy: ReadableBy = null): Promise<number> {
  const row = await matchingPlans(db, filter, readableBy)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** One page of matching plans in (start date, id) order, after the `after` plan of the previous page. */
export function listPortfolioPlans(
  db: DbOrTx,
  filter: PortfolioFilter,
  page: { after?: { startDate: string; id: string }; limit: number },
  readableBy: ReadableBy = null,
): Promise<PortfolioPlanRow[]> {
  let query = matchingPlans(db, filter, readableBy).select([
    "plans.id",
    "plans.title",
    "plans.campaign_type",
    "plans.store",
    "plans.status",
    "plans.review_outcome",
    "plans.start_date",
    "plans.end_date",
    "owner.name as owner_name",
    "plans.spend_fen",
    "plans.income_fen",
    "plans.net_fen",
    "plans.tbd_count",
  ]);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb("plans.start_date", ">", after.startDate), eb.and([eb("plans.start_date", "=", after.startDate), eb("plans.id", ">", after.id)])]),
    );
  }
  return query.orderBy("plans.start_date").orderBy("plans.id").limit(page.limit).execute();
}

function groupKey(income: boolean, category: string): string {
  return `${income ? "1" : "0"}\u0000${category}`;
}

/** The lines of one plan's draft or one revision that share a direction and category, summed. */
interface LineGroup {
  category: string;
  income: boolean;
  /** 待定 lines count as ¥0, as computeVariance budgets them. */
  budgetFen: number;
  /** The actuals booked against these lines. */
  actualFen: number;
}

/** Unchecked: portfolioEntries judges every figure with isPlanTotal before a page shows it. */
function sumOf(groups: readonly LineGroup[], income: boolean, pick: (group: LineGroup) => number): number {
  return groups.reduce((sum, group) => (group.income === income ? sum + pick(group) : sum), 0);
}

function categoriesOf(draft: readonly LineGroup[], basis: readonly LineGroup[], hasApproved: boolean): PortfolioCategory[] {
  const drafted = new Map(draft.map((group) => [groupKey(group.income, group.category), group]));
  const judged = new Map(basis.map((group) => [groupKey(group.income, group.category), group]));
  const keys = [...new Set([...judged.keys(), ...drafted.keys()])];
  return keys.map((key) => {
    const d = drafted.get(key);
    const j = judged.get(key);
    const category = (j ?? d)!;
    const budgetFen = d?.budgetFen ?? 0;
    const approvedFen = hasApproved ? (j?.budgetFen ?? 0) : null;
    const actualFen = j?.actualFen ?? 0;
    const varianceFen = actualFen - (approvedFen ?? budgetFen);
    return {
      category: category.category,
      income: category.income,
      // Every figure was judged with isPlanTotal (categoriesOf runs only for a plan in range).
      budgetFen: fen(budgetFen),
      approvedFen: approvedFen === null ? null : fen(approvedFen),
      actualFen: fen(actualFen),
      varianceFen: fen(varianceFen),
      varianceBasisPoints: basisPoints(varianceFen, approvedFen ?? budgetFen),
    };
  });
}

/** Actual spend per (plan, line) for the page's plans, to join onto the lines it was booked against. */
function actualSums(db: DbOrTx, ids: readonly string[]) {
  return db
    .selectFrom("actual_entries")
    .select(["plan_id", "line_id", (eb) => eb.fn.sum<number>("amount_fen").as("total")])
    .where("plan_id", "in", ids)
    .groupBy(["plan_id", "line_id"])
    .as("actual");
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Budget, approved, actual and variance for a page of plans, in the page's order. The lines
 * are summed per (direction, category) in SQL, with the actuals booked on each line joined
 * on first: the same integer sums computeVariance makes line by line for one plan, without
 * carrying every line of thousands of plans into JavaScript.
 */
export async function portfolioEntries(db: DbOrTx, plans: readonly PortfolioPlanRow[]): Promise<PortfolioEntry[]> {
  if (plans.length === 0) return [];
  if (plans.length > PORTFOLIO_PAGE) throw new RangeError(`at most ${PORTFOLIO_PAGE} plans per call`);
  const ids = plans.map((plan) => plan.id);

  const approvedRevisions = await db
    .selectFrom("budget_revisions as r")
    .select(["r.id", "r.plan_id", "r.number", "r.spend_fen", "r.income_fen", "r.net_fen"])
    .where("r.plan_id", "in", ids)
    .where("r.status", "=", "approved")
    .where((eb) =>
      eb(
        "r.number",
        "=",
        eb
          .selectFrom("budget_revisions as later")
          .select((later) => later.fn.max("later.number").as("n"))
          .whereRef("later.plan_id", "=", "r.plan_id")
          .where("later.status", "=", "approved"),
      ),
    )
    .execute();
  const approvedByPlan = new Map(approvedRevisions.map((r) => [r.plan_id, r]));

  // Groups come in the order their first line appears, as computeVariance meets them.
  const revisionIds = approvedRevisions.map((r) => r.id);
  const revisionGroups =
    revisionIds.length === 0
      ? []
      : await db
          .selectFrom("revision_lines as l")
          .innerJoin("budget_revisions as r", "r.id", "l.revision_id")
          .leftJoin(actualSums(db, ids), (join) => join.onRef("actual.plan_id", "=", "r.plan_id").onRef("actual.line_id", "=", "l.line_id"))
          .select([
            "l.revision_id",
            "l.income",
            "l.category",
            (eb) => eb.fn.min("l.position").as("first"),
            (eb) => eb.fn.sum<number>("l.amount_fen").as("budget"),
            sql<number>`SUM(COALESCE(actual.total, 0))`.as("actual"),
          ])
          .where("l.revision_id", "in", revisionIds)
          .groupBy(["l.revision_id", "l.income", "l.category"])
          .orderBy("l.revision_id")
          .orderBy("first")
          .execute();
  const draftGroups = await db
    .selectFrom("budget_lines as l")
    .leftJoin(actualSums(db, ids), (join) => join.onRef("actual.plan_id", "=", "l.plan_id").onRef("actual.line_id", "=", "l.line_id"))
    .select([
      "l.plan_id",
      "l.income",
      "l.category",
      (eb) => eb.fn.min("l.position").as("first"),
      sql<number>`SUM(COALESCE(l.amount_fen, 0))`.as("budget"),
      sql<number>`SUM(COALESCE(actual.total, 0))`.as("actual"),
    ])
    .where("l.plan_id", "in", ids)
    .groupBy(["l.plan_id", "l.income", "l.category"])
    .orderBy("l.plan_id")
    .orderBy("first")
    .execute();
  const actualTotals = await db
    .selectFrom("actual_entries")
    .select(["plan_id", (eb) => eb.fn.sum<number>("amount_fen").as("total")])
    .where("plan_id", "in", ids)
    .groupBy("plan_id")
    .execute();

  const group = (row: { income: number; category: string; budget: number; actual: number }): LineGroup => ({
    category: row.category,
    income: row.income === 1,
    budgetFen: row.budget,
    actualFen: row.actual,
  });
  const groupsByRevision = new Map<number, LineGroup[]>();
  for (const row of revisionGroups) pushTo(groupsByRevision, row.revision_id, group(row));
  const draftByPlan = new Map<string, LineGroup[]>();
  for (const row of draftGroups) pushTo(draftByPlan, row.plan_id, group(row));
  const actualByPlan = new Map(actualTotals.map((row) => [row.plan_id, row.total]));

  return plans.map((plan): PortfolioEntry => {
    const approved = approvedByPlan.get(plan.id);
    const draft = draftByPlan.get(plan.id) ?? [];
    const basis = approved ? (groupsByRevision.get(approved.id) ?? []) : draft;
    const actualSpendFen = sumOf(basis, false, (g) => g.actualFen);
    const actualIncomeFen = sumOf(basis, true, (g) => g.actualFen);
    const budgetNetFen = sumOf(basis, false, (g) => g.budgetFen) - sumOf(basis, true, (g) => g.budgetFen);
    const actualNetFen = actualSpendFen - actualIncomeFen;
    const varianceFen = actualNetFen - budgetNetFen;
    // Whatever was booked against lines the basis does not have (e.g. added after approval).
    const unbudgetedFen = (actualByPlan.get(plan.id) ?? 0) - actualSpendFen - actualIncomeFen;
    const groups = [...draft, ...basis];
    const outOfRange = ![actualByPlan.get(plan.id) ?? 0, actualSpendFen, actualIncomeFen, budgetNetFen, actualNetFen, varianceFen, unbudgetedFen, ...groups.flatMap((g) => [g.budgetFen, g.actualFen])].every(isPlanTotal);
    const common = {
      id: plan.id,
      title: plan.title,
      campaignType: plan.campaign_type,
      store: plan.store,
      status: displayStatus(plan),
      startDate: plan.start_date,
      endDate: plan.end_date,
      ownerName: plan.owner_name,
      budget: { spendFen: plan.spend_fen, incomeFen: plan.income_fen, netFen: plan.net_fen, tbdCount: plan.tbd_count },
      approved: approved ? { revisionNumber: approved.number, spendFen: approved.spend_fen, incomeFen: approved.income_fen, netFen: approved.net_fen } : null,
    };
    if (outOfRange) return { ...common, actual: { spendFen: ZERO_FEN, incomeFen: ZERO_FEN, netFen: ZERO_FEN }, unbudgetedFen: ZERO_FEN, varianceFen: ZERO_FEN, varianceBasisPoints: null, categories: [], outOfRange };
    return {
      ...common,
      actual: { spendFen: fen(actualSpendFen), incomeFen: fen(actualIncomeFen), netFen: fen(actualNetFen) },
      unbudgetedFen: fen(unbudgetedFen),
      varianceFen: fen(varianceFen),
      varianceBasisPoints: basisPoints(varianceFen, budgetNetFen),
      categories: categoriesOf(draft, basis, approved !== undefined),
      outOfRange,
    };
  });
}
