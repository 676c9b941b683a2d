import type { Db } from "../../db/client";
import { listInbox } from "../../db/queries/approvals";
import { countByStatusAndType, dashboardMoney, listKpiCompletion, listMyPlans, listStartingSoon, type DashboardFilter, type MoneyFigures } from "../../db/queries/dashboard";
import type { ReadableBy } from "../../db/queries/portfolio";
import { addDays, daysBetween } from "~/domain/calendar";
import { addFen, subtractFen, ZERO_FEN } from "~/domain/money";
import { readsEveryPlan, type Actor } from "~/domain/policy";

/**
 * The dashboard's (概览) figures for one member and filter. Server-only (`.server`), so the
 * page's browser bundle carries none of the queries or the calendar and document code they
 * pull in: the dashboard ships only what it renders.
 */

/** Plans drawn in the chart and listed in its table; the totals cover every matching plan. */
export const PLAN_ROWS = 20;
const KPI_ROWS = 20;
const LIST_ROWS = 10;
const SOON_DAYS = 30;
const MY_PLAN_ROWS = 6;

/** The plan:read rule in SQL: roles that read every plan see them all, anyone else their own and shared ones. */
function readableBy(actor: Actor): ReadableBy {
  return readsEveryPlan(actor) ? null : actor.id;
}

/** 我的方案 / 最近编辑: the member's own and recently edited plans, whatever the period filter says. */
export function loadMyPlans(db: Db, actor: Actor) {
  return listMyPlans(db, actor.id, readableBy(actor), MY_PLAN_ROWS);
}

export async function loadDashboard(db: Db, actor: Actor, filter: DashboardFilter, today: string) {
  const reader = readableBy(actor);
  const [counts, money, kpis, soon, inbox] = await Promise.all([
    countByStatusAndType(db, filter, reader),
    dashboardMoney(db, filter, reader),
    listKpiCompletion(db, filter, reader, KPI_ROWS),
    listStartingSoon(db, filter, { today, until: addDays(today, SOON_DAYS) }, reader, LIST_ROWS),
    actor.title ? listInbox(db, { id: actor.id, title: actor.title }) : Promise.resolve(null),
  ]);
  const overBudget = money.plans
    .filter((plan) => plan.actualSpendFen > plan.basisSpendFen)
    .sort((a, b) => b.actualSpendFen - b.basisSpendFen - (a.actualSpendFen - a.basisSpendFen))
    .slice(0, LIST_ROWS)
    .map((plan) => ({ id: plan.id, title: plan.title, actualSpendFen: plan.actualSpendFen, basisSpendFen: plan.basisSpendFen }));
  // Income counts against spend: net, as the totals above.
  const categoryTotals: MoneyFigures = { budgetFen: ZERO_FEN, approvedFen: ZERO_FEN, actualFen: ZERO_FEN, varianceFen: ZERO_FEN };
  for (const c of money.categories) {
    const add = c.income ? subtractFen : addFen;
    categoryTotals.budgetFen = add(categoryTotals.budgetFen, c.budgetFen);
    categoryTotals.approvedFen = add(categoryTotals.approvedFen, c.approvedFen);
    categoryTotals.actualFen = add(categoryTotals.actualFen, c.actualFen);
    categoryTotals.varianceFen = add(categoryTotals.varianceFen, c.varianceFen);
  }
  return {
    counts,
    planCount: money.planCount,
    totals: money.totals,
    plans: money.plans.slice(0, PLAN_ROWS).map((p) => ({
      id: p.id,
      title: p.title,
      budgetFen: p.budgetFen,
      approvedFen: p.hasApproved ? p.approvedFen : null,
      actualFen: p.actualFen,
      varianceFen: p.varianceFen,
    })),
    categories: money.categories,
    categoryTotals,
    kpis,
    overBudget,
    soon: soon.map((plan) => ({ ...plan, startsInDays: daysBetween(today, plan.startDate) })),
    inbox: inbox ? { count: inbox.length, rows: inbox.slice(0, LIST_ROWS) } : null,
  };
}
