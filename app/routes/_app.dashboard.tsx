import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { DashboardMoney, type MoneyRow } from "~/components/dashboard-money";
import { useMoney } from "~/components/money";
import { FormErrorSummary } from "~/components/form-fields";
import { PeriodFilterFields } from "~/components/period-filter-fields";
import { ScrollTable } from "~/components/scroll-table";
import { KPI_TONES, kpiTone, type KpiTone } from "~/domain/kpi-tone";
import { loadDashboard, loadMyPlans } from "~/services/dashboard.server";
import type { BasisPoints } from "~/domain/money";
import { CAMPAIGN_TYPES, PLAN_DISPLAY_STATUSES } from "~/domain/plan";
import { PortfolioFilterSchema } from "~/domain/portfolio";
import { formatKpiValue, formatPercent } from "~/i18n/format";
import { parseFields } from "~/lib/forms";
import { useRootData } from "~/root";
import { chinaToday } from "~/domain/calendar";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "dashboard");

/** The calendar quarter holding `today` (YYYY-MM-DD): the period a manager looks at first. */
function currentQuarter(today: string): { from: string; to: string } {
  const year = today.slice(0, 4);
  const quarter = Math.floor((Number.parseInt(today.slice(5, 7), 10) - 1) / 3);
  const ends = ["03-31", "06-30", "09-30", "12-31"];
  return { from: `${year}-${String(quarter * 3 + 1).padStart(2, "0")}-01`, to: `${year}-${ends[quarter]}` };
}

interface FilterFields {
  from: string;
  to: string;
  type: string;
  store: string;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "plans:view");
  const today = chinaToday();
  const quarter = currentQuarter(today);
  const params = new URL(request.url).searchParams;
  const fields: FilterFields = { from: params.get("from") || quarter.from, to: params.get("to") || quarter.to, type: params.get("type") ?? "", store: params.get("store") ?? "" };
  const parsed = parseFields({ ...fields }, PortfolioFilterSchema);
  const mine = await loadMyPlans(context.db, auth.actor);
  if (!parsed.ok) return { fields, fieldErrors: parsed.fieldErrors, quarter, mine, data: null };
  const filter = { from: parsed.data.from, to: parsed.data.to, campaignType: parsed.data.campaignType, store: parsed.data.store };
  return { fields, fieldErrors: null, quarter, mine, data: await loadDashboard(context.db, auth.actor, filter, today) };
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const { fields, fieldErrors, quarter, mine, data } = useLoaderData<typeof loader>();
  const location = useLocation();
  const money = useMoney();
  const percent = (points: BasisPoints) => formatPercent(points, locale);
  const errors = fieldErrors ?? undefined;

  return (
    <section className="dashboard">
      <header className="page-header">
        <h1>{t("dashboard.heading")}</h1>
        <p className="muted">{t("dashboard.intro")}</p>
      </header>

      <MyPlans plans={mine} />

      <FormErrorSummary errors={errors} />
      {/* Keyed by the query so Back/Forward between two filtered views shows each view's own values. */}
      <Form key={location.search} method="get" className="filters dashboard-filters" role="search" aria-label={t("dashboard.filter.label")}>
        <PeriodFilterFields textKey="dashboard.filter" fields={fields} errors={errors} />
        <button type="submit" className="button primary">
          {t("dashboard.filter.apply")}
        </button>
        <Link className="button ghost" to={`?from=${quarter.from}&to=${quarter.to}`}>
          {t("dashboard.filter.reset")}
        </Link>
      </Form>

      {data ? (
        <>
          <section className="dashboard-counts" aria-labelledby="counts-heading">
            <h2 id="counts-heading">{t("dashboard.counts.heading")}</h2>
            <p className="muted">{t("dashboard.counts.total", { count: data.counts.reduce((sum, c) => sum + c.count, 0) })}</p>
            <div className="dashboard-count-groups">
              <div className="card">
                <h3>{t("dashboard.counts.byStatus")}</h3>
                <ul className="count-tiles" data-counts="status">
                  {PLAN_DISPLAY_STATUSES.map((status) => (
                    <li key={status} data-status={status}>
                      <span className={`status status-${status}`}>{t(`status.${status}`)}</span>
                      <strong>{data.counts.filter((c) => c.status === status).reduce((sum, c) => sum + c.count, 0)}</strong>
                    </li>
                  ))}
                </ul>
              </div>
              <div className="card">
                <h3>{t("dashboard.counts.byType")}</h3>
                <ul className="count-tiles" data-counts="type">
                  {CAMPAIGN_TYPES.map((type) => (
                    <li key={type} data-type={type}>
                      <span>{t(`campaignType.${type}`)}</span>
                      <strong>{data.counts.filter((c) => c.campaignType === type).reduce((sum, c) => sum + c.count, 0)}</strong>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </section>

          <section className="dashboard-lists" aria-label={t("dashboard.lists.inbox")}>
            {data.inbox ? (
              <div className="card" data-list="inbox">
                <h2>
                  {t("dashboard.lists.inbox")} {data.inbox.count > 0 ? <span className="nav-count">{data.inbox.count}</span> : null}
                </h2>
                {data.inbox.rows.length === 0 ? (
                  <p className="muted">{t("dashboard.lists.inboxEmpty")}</p>
                ) : (
                  <ul className="dashboard-list">
                    {data.inbox.rows.map((row) => (
                      <li key={row.revision_id} data-plan-id={row.plan_id}>
                        <Link to={`/plans/${row.plan_id}`}>{row.plan_title}</Link>
                        <span className="muted">
                          {t("dashboard.lists.inboxItem", { number: row.number, submitter: row.submitter_name })} · <Link to={`/approvals/${row.revision_id}`}>{money(row.net_fen)}</Link>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                {data.inbox.count > data.inbox.rows.length ? <Link to="/approvals">{t("dashboard.lists.inboxAll")}</Link> : null}
              </div>
            ) : null}
            <div className="card" data-list="overBudget">
              <h2>{t("dashboard.lists.overBudget")}</h2>
              {data.overBudget.length === 0 ? (
                <p className="muted">{t("dashboard.lists.overBudgetEmpty")}</p>
              ) : (
                <ul className="dashboard-list">
                  {data.overBudget.map((plan) => (
                    <li key={plan.id} data-plan-id={plan.id}>
                      <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
                      <span className="over">{t("dashboard.lists.overBudgetItem", { actual: money(plan.actualSpendFen), basis: money(plan.basisSpendFen) })}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div className="card" data-list="startingSoon">
              <h2>{t("dashboard.lists.startingSoon")}</h2>
              {data.soon.length === 0 ? (
                <p className="muted">{t("dashboard.lists.startingSoonEmpty")}</p>
              ) : (
                <ul className="dashboard-list">
                  {data.soon.map((plan) => (
                    <li key={plan.id} data-plan-id={plan.id}>
                      <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
                      <span className="muted">
                        {plan.startsInDays === 0 ? t("dashboard.lists.startsToday", { date: plan.startDate }) : t("dashboard.lists.startsIn", { date: plan.startDate, count: plan.startsInDays })}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </section>

          <section className="dashboard-money-group" aria-labelledby="money-heading">
            <h2 id="money-heading">{t("dashboard.money.heading")}</h2>
            <p className="muted">{t("dashboard.money.note")}</p>
            {data.planCount === 0 ? (
              <div className="empty-state">
                <p>{t("dashboard.money.empty")}</p>
              </div>
            ) : (
              <>
                {data.planCount > data.plans.length ? <p className="muted">{t("dashboard.money.shown", { shown: data.plans.length, count: data.planCount })}</p> : null}
                <div className="dashboard-money-grid">
                  <DashboardMoney
                    id="byPlan"
                    heading={t("dashboard.money.byPlan")}
                    labelHeading={t("dashboard.money.plan")}
                    rows={data.plans.map(
                      (p): MoneyRow => ({ key: p.id, label: p.title, planId: p.id, budgetFen: p.budgetFen, approvedFen: p.approvedFen, actualFen: p.actualFen, varianceFen: p.varianceFen })
                    )}
                    totals={data.totals}
                  />
                  <DashboardMoney
                    id="byCategory"
                    heading={t("dashboard.money.byCategory")}
                    labelHeading={t("dashboard.money.category")}
                    rows={data.categories.map(
                      (c): MoneyRow => ({
                        key: `${c.income ? "income" : "spend"}:${c.category}`,
                        label: c.income ? t("dashboard.money.income", { category: c.category }) : c.category,
                        budgetFen: c.budgetFen,
                        approvedFen: c.approvedFen,
                        actualFen: c.actualFen,
                        varianceFen: c.varianceFen,
                      })
                    )}
                    totals={data.categoryTotals}
                  />
                </div>
              </>
            )}
          </section>

          <section className="card dashboard-kpis" aria-labelledby="kpis-heading">
            <h2 id="kpis-heading">{t("dashboard.kpis.heading")}</h2>
            {data.kpis.rows.length === 0 ? (
              <p className="muted">{t("dashboard.kpis.empty")}</p>
            ) : (
              <>
                <KpiLegend />
                <ScrollTable label={t("polish.dashboard.kpiTableLabel")}>
                  <table className="table compact">
                    <thead>
                      <tr>
                        <th>{t("dashboard.kpis.plan")}</th>
                        <th>{t("dashboard.kpis.name")}</th>
                        <th className="num">{t("dashboard.kpis.target")}</th>
                        <th className="num">{t("dashboard.kpis.actual")}</th>
                        <th className="num">{t("dashboard.kpis.completion")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.kpis.rows.map((kpi) => (
                        <tr key={`${kpi.planId}:${kpi.kpiId}`} data-plan-id={kpi.planId}>
                          <td>
                            <Link to={`/plans/${kpi.planId}`}>{kpi.planTitle}</Link>
                          </td>
                          <td>{kpi.name}</td>
                          <td className="num">{kpi.target === null ? t("dashboard.kpis.missing") : formatKpiValue(kpi.target, kpi.unit, locale)}</td>
                          <td className="num">{kpi.actual === null ? t("dashboard.kpis.missing") : formatKpiValue(kpi.actual, kpi.unit, locale)}</td>
                          <td className="num" data-field="completion">
                            {kpi.completionBasisPoints === null ? (
                              t("dashboard.kpis.missing")
                            ) : (
                              <span className={`kpi-completion tone-${kpiTone(kpi.completionBasisPoints)}`} data-tone={kpiTone(kpi.completionBasisPoints)}>
                                <span className="kpi-bar" aria-hidden>
                                  <span style={{ width: `${Math.min(kpi.completionBasisPoints, 10000) / 100}%` }} />
                                </span>
                                {percent(kpi.completionBasisPoints)}
                                <span className="visually-hidden">{t(`polish.chart.kpi${TONE_KEYS[kpiTone(kpi.completionBasisPoints)]}`)}</span>
                              </span>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollTable>
                {data.kpis.total > data.kpis.rows.length ? <p className="muted">{t("dashboard.kpis.more", { count: data.kpis.total - data.kpis.rows.length })}</p> : null}
              </>
            )}
          </section>
        </>
      ) : null}
    </section>
  );
}

/** 我的方案 / 最近编辑: first on the page, and not narrowed by the period filter below it. */
function MyPlans({ plans }: { plans: ReturnType<typeof useLoaderData<typeof loader>>["mine"] }) {
  const { t } = useTranslation();
  return (
    <section className="card dashboard-mine" aria-labelledby="mine-heading" data-list="mine">
      <h2 id="mine-heading">{t("polish.mine.heading")}</h2>
      <p className="muted">{t("polish.mine.intro")}</p>
      {plans.length === 0 ? (
        <p className="muted">{t("polish.mine.empty")}</p>
      ) : (
        <ul className="dashboard-list my-plans">
          {plans.map((plan) => (
            <li key={plan.id} data-plan-id={plan.id}>
              <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
              <span className="muted">
                <span className={`status status-${plan.status}`}>{t(`status.${plan.status}`)}</span> {t("polish.mine.dates", { start: plan.startDate, end: plan.endDate })} ·{" "}
                {plan.owned ? t("polish.mine.owner") : t("polish.mine.edited")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const TONE_KEYS: Record<KpiTone, "Met" | "Below" | "Far"> = { met: "Met", below: "Below", far: "Far" };

/** What the completion colours mean: colour is never the only cue (each cell also says it in words). */
function KpiLegend() {
  const { t } = useTranslation();
  return (
    <p className="kpi-legend muted">
      {t("polish.chart.kpiLegend")}
      {KPI_TONES.map((tone) => (
        <span key={tone} className={`kpi-legend-item tone-${tone}`}>
          <span className="kpi-swatch" aria-hidden />
          {t(`polish.chart.kpi${TONE_KEYS[tone]}`)}
        </span>
      ))}
    </p>
  );
}
