import { sql } from "kysely";
import type { CampaignType, PlanStatus } from "../../app/domain/plan";
import type { PortfolioFilter } from "../../app/domain/portfolio";
import { basisPoints, computeVariance, type BasisLine, type LineVariance } from "../../app/domain/variance";
import type { DbOrTx } from "./users";

/**
 * Finance's portfolio (活动组合): per plan its projected budget, last approved revision,
 * actual spend and variance, and the same per category. Actuals are judged against the
 * same basis as the plan's own 实际对比 (app/variance.server.ts: the last approved snapshot,
 * else the draft) through the same computeVariance, so both reconcile to the fen. Every
 * query here takes a page of plans, so a portfolio of thousands costs a few queries per page.
 */

export interface PortfolioPlanRow {
  id: string;
  title: string;
  campaign_type: CampaignType;
  store: string;
  status: PlanStatus;
  start_date: string;
  end_date: string;
  owner_name: string;
  spend_fen: number;
  income_fen: number;
  net_fen: number;
  tbd_count: number;
}

export interface PortfolioCategory {
  category: string;
  income: boolean;
  /** The current draft's total for the category (待定 as ¥0). */
  budgetFen: number;
  /** The approved snapshot's total; null when the plan has no approved revision. */
  approvedFen: number | null;
  actualFen: number;
  /** actual − (approved if the plan has an approved revision, else budget) */
  varianceFen: number;
  varianceBasisPoints: number | null;
}

export interface PortfolioEntry {
  id: string;
  title: string;
  campaignType: CampaignType;
  store: string;
  status: PlanStatus;
  startDate: string;
  endDate: string;
  ownerName: string;
  budget: { spendFen: number; incomeFen: number; netFen: number; tbdCount: number };
  approved: { revisionNumber: number; spendFen: number; incomeFen: number; netFen: number } | null;
  /** Actuals booked against the basis lines, split by each line's income flag. */
  actual: { spendFen: number; incomeFen: number; netFen: number };
  /** Actuals booked against lines the basis does not have (e.g. added after approval). */
  unbudgetedFen: number;
  /** actual net − (approved net if any, else budget net) */
  varianceFen: number;
  varianceBasisPoints: number | null;
  categories: PortfolioCategory[];
}

/** Plans per page: three `IN (…)` lists of this many ids stay under SQLite's 999 bound parameters. */
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
  if (filter.status) query = query.where("plans.status", "=", filter.status);
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

/** Budget and actual per (direction, category), in first-seen order, from computeVariance's lines. */
function byCategory(lines: readonly LineVariance[]): Map<string, { category: string; income: boolean; budgetFen: number; actualFen: number }> {
  const groups = new Map<string, { category: string; income: boolean; budgetFen: number; actualFen: number }>();
  for (const line of lines) {
    const key = groupKey(line.income, line.category);
    const group = groups.get(key) ?? { category: line.category, income: line.income, budgetFen: 0, actualFen: 0 };
    group.budgetFen += line.budgetFen;
    group.actualFen += line.actualFen;
    groups.set(key, group);
  }
  return groups;
}

function categoriesOf(draft: readonly LineVariance[], basis: readonly LineVariance[], hasApproved: boolean): PortfolioCategory[] {
  const drafted = byCategory(draft);
  const judged = byCategory(basis);
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
      budgetFen,
      approvedFen,
      actualFen,
      varianceFen,
      varianceBasisPoints: basisPoints(varianceFen, approvedFen ?? budgetFen),
    };
  });
}

/** Budget, approved, actual and variance for a page of plans, in the page's order. */
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

  const revisionIds = approvedRevisions.map((r) => r.id);
  const revisionLines =
    revisionIds.length === 0
      ? []
      : await db
          .selectFrom("revision_lines")
          .select(["revision_id", "line_id", "category", "item", "income", "amount_fen"])
          .where("revision_id", "in", revisionIds)
          .orderBy("revision_id")
          .orderBy("position")
          .execute();
  const draftLines = await db
    .selectFrom("budget_lines")
    .select(["plan_id", "line_id", "category", "item", "income", "amount_fen"])
    .where("plan_id", "in", ids)
    .orderBy("plan_id")
    .orderBy("position")
    .execute();
  const actualSums = await db
    .selectFrom("actual_entries")
    .select(["plan_id", "line_id", (eb) => eb.fn.sum<number>("amount_fen").as("total")])
    .where("plan_id", "in", ids)
    .groupBy(["plan_id", "line_id"])
    .execute();

  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const approvedLinesByRevision = new Map<number, BasisLine[]>();
  for (const l of revisionLines) {
    push(approvedLinesByRevision, l.revision_id, { id: l.line_id, category: l.category, item: l.item, income: l.income === 1, amountFen: l.amount_fen });
  }
  const draftByPlan = new Map<string, BasisLine[]>();
  for (const l of draftLines) {
    push(draftByPlan, l.plan_id, { id: l.line_id, category: l.category, item: l.item, income: l.income === 1, amountFen: l.amount_fen });
  }
  const actualsByPlan = new Map<string, Map<string, number>>();
  for (const a of actualSums) {
    const map = actualsByPlan.get(a.plan_id) ?? new Map<string, number>();
    map.set(a.line_id, a.total);
    actualsByPlan.set(a.plan_id, map);
  }

  return plans.map((plan): PortfolioEntry => {
    const approved = approvedByPlan.get(plan.id);
    const draft = draftByPlan.get(plan.id) ?? [];
    const basis = approved ? (approvedLinesByRevision.get(approved.id) ?? []) : draft;
    const actuals = actualsByPlan.get(plan.id) ?? new Map<string, number>();
    const variance = computeVariance(basis, actuals);
    const draftVariance = approved ? computeVariance(draft, new Map()) : variance;
    return {
      id: plan.id,
      title: plan.title,
      campaignType: plan.campaign_type,
      store: plan.store,
      status: plan.status,
      startDate: plan.start_date,
      endDate: plan.end_date,
      ownerName: plan.owner_name,
      budget: { spendFen: plan.spend_fen, incomeFen: plan.income_fen, netFen: plan.net_fen, tbdCount: plan.tbd_count },
      approved: approved ? { revisionNumber: approved.number, spendFen: approved.spend_fen, incomeFen: approved.income_fen, netFen: approved.net_fen } : null,
      actual: { spendFen: variance.totals.actualSpendFen, incomeFen: variance.totals.actualIncomeFen, netFen: variance.totals.actualNetFen },
      unbudgetedFen: variance.unbudgeted.reduce((sum, u) => sum + u.actualFen, 0),
      varianceFen: variance.totals.varianceFen,
      varianceBasisPoints: variance.totals.varianceBasisPoints,
      categories: categoriesOf(draftVariance.lines, variance.lines, approved !== undefined),
    };
  });
}
