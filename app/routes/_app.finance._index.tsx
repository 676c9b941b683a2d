import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { FormErrorSummary } from "~/components/form-fields";
import { useMoney } from "~/components/money";
import { PeriodFilterFields } from "~/components/period-filter-fields";
import { ScrollTable } from "~/components/scroll-table";
import type { ExportJobView } from "~/services/context";
import { addFen, basisPoints, subtractFen, ZERO_FEN, type BasisPoints } from "~/domain/money";
import { PLAN_DISPLAY_STATUSES } from "~/domain/plan";
import { defaultPeriod, PortfolioFilterSchema, portfolioSearchParams } from "~/domain/portfolio";
import { formatPercent } from "~/i18n/format";
import { createI18n } from "~/i18n/i18n";
import { parseFields, parseForm, type FieldErrors } from "~/lib/forms";
import { useRootData } from "~/root";
import stylesHref from "~/styles/finance.css";
import { chinaToday } from "~/domain/calendar";
import { countPortfolioPlans, listPortfolioPlans, portfolioEntries, PORTFOLIO_PAGE } from "../../db/queries/portfolio";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "finance");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

/** The form's fields as typed, so a refused filter comes back as the member left it. */
interface FilterFields {
  from: string;
  to: string;
  type: string;
  store: string;
  status: string;
  archived: string;
}

function filterFields(params: URLSearchParams, period: { from: string; to: string }): FilterFields {
  const field = (name: string, fallback = "") => params.get(name) ?? fallback;
  return {
    from: field("from", period.from),
    to: field("to", period.to),
    type: field("type"),
    store: field("store"),
    status: field("status"),
    archived: field("archived"),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "finance:view");
  const params = new URL(request.url).searchParams;
  const period = defaultPeriod(chinaToday());
  const fields = filterFields(params, period);
  const jobId = params.get("job");
  const job = (jobId ? context.exports.job(auth.user.id, jobId) : null) ?? context.exports.latest(auth.user.id);
  const parsed = parseFields({ ...fields }, PortfolioFilterSchema);
  if (!parsed.ok)
    return {
      fields,
      period,
      fieldErrors: parsed.fieldErrors,
      query: null,
      summary: null,
      job,
    };

  const filter = parsed.data;
  const count = await countPortfolioPlans(context.db, filter);
  const entries = await portfolioEntries(context.db, await listPortfolioPlans(context.db, filter, { limit: PORTFOLIO_PAGE }));
  const plans = entries.map(({ categories: _categories, ...entry }) => entry);
  const totals = {
    budgetNetFen: ZERO_FEN,
    approvedNetFen: ZERO_FEN,
    actualNetFen: ZERO_FEN,
    varianceFen: ZERO_FEN,
  };
  for (const plan of plans) {
    totals.budgetNetFen = addFen(totals.budgetNetFen, plan.budget.netFen);
    totals.approvedNetFen = addFen(totals.approvedNetFen, plan.approved?.netFen ?? ZERO_FEN);
    totals.actualNetFen = addFen(totals.actualNetFen, plan.actual.netFen);
    totals.varianceFen = addFen(totals.varianceFen, plan.varianceFen);
  }
  // Variance over the basis each plan was judged against, summed: actual − variance.
  const varianceBasisPoints = basisPoints(totals.varianceFen, subtractFen(totals.actualNetFen, totals.varianceFen));
  return {
    fields,
    period,
    fieldErrors: null,
    query: portfolioSearchParams(filter).toString(),
    summary: { count, plans, totals: { ...totals, varianceBasisPoints } },
    job,
  };
}

type ActionData = { fieldErrors: FieldErrors } | { code: "memberBusy" | "serverBusy"; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "finance:view");
  const parsed = parseForm(await request.formData(), PortfolioFilterSchema);
  if (!parsed.ok) return json<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const filter = parsed.data;
  const t = createI18n(context.locale).t;
  const started = context.exports.startPortfolio(auth.user.id, {
    filter,
    locale: context.locale,
    fileName: `${t("finance.workbook.fileName", {
      from: filter.from,
      to: filter.to,
    })}.xlsx`,
  });
  if (!started.ok) {
    return json<ActionData>({ code: started.code, message: t(`finance.export.${started.code}`) }, { status: started.code === "memberBusy" ? 409 : 429 });
  }
  const params = portfolioSearchParams(filter);
  params.set("job", started.job.id);
  return redirect(`/finance?${params.toString()}`);
}

export default function FinanceCentre() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const { fields, period, fieldErrors, query, summary, job } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const money = useMoney();
  // "12.34%"; "—" when there is no basis to compare with.
  const percent = (points: BasisPoints | null) => (points === null ? "—" : formatPercent(points, locale));
  const exportErrors = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : undefined;
  const errors = fieldErrors ?? exportErrors;

  return (
    <section>
      <header className="page-header">
        <h1>{t("finance.heading")}</h1>
        <p className="muted">{t("finance.intro")}</p>
      </header>

      <FormErrorSummary errors={errors ?? undefined} />
      <Form method="get" className="filters portfolio-filters" role="search" aria-label={t("finance.filter.label")}>
        <PeriodFilterFields textKey="finance.filter" fields={fields} errors={errors} />
        <label className="field">
          <span>{t("finance.filter.status")}</span>
          <select name="status" defaultValue={fields.status}>
            <option value="">{t("finance.filter.allStatuses")}</option>
            {PLAN_DISPLAY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox-field">
          <input type="checkbox" name="archived" value="1" defaultChecked={fields.archived === "1"} />
          <span>{t("finance.filter.includeArchived")}</span>
        </label>
        <button type="submit" className="button">
          {t("finance.filter.apply")}
        </button>
        {fields.from === period.from && fields.to === period.to ? null : (
          <Link className="button ghost" to={`?from=${period.from}&to=${period.to}`}>
            {t("polish.finance.resetPeriod")}
          </Link>
        )}
      </Form>
      <p className="muted portfolio-default-period">{t("polish.finance.defaultPeriod")}</p>

      {query !== null ? (
        <div className="portfolio-export">
          <SafeForm action="/finance?index">
            {[...new URLSearchParams(query)].map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <button type="submit" className="button primary">
              {t("finance.export.button")}
            </button>{" "}
            <span className="muted">{t("finance.export.hint")}</span>
          </SafeForm>
          {actionData && "message" in actionData ? (
            <p className="form-error" role="alert">
              {actionData.message}
            </p>
          ) : null}
          {job ? <ExportStatus key={job.id} job={job} query={query} /> : null}
        </div>
      ) : null}

      {summary ? (
        summary.plans.length === 0 ? (
          <div className="empty-state">
            <p>{t("finance.summary.empty")}</p>
          </div>
        ) : (
          <>
            <p className="muted">
              {summary.count > summary.plans.length
                ? t("finance.summary.truncated", {
                    shown: summary.plans.length,
                    count: summary.count,
                  })
                : t("finance.summary.count", { count: summary.count })}
            </p>
            <ScrollTable label={t("polish.finance.tableLabel")}>
              <table className="table compact portfolio-table">
                <thead>
                  <tr>
                    <th>{t("finance.summary.title")}</th>
                    <th>{t("finance.summary.campaignType")}</th>
                    <th>{t("finance.summary.store")}</th>
                    <th>{t("finance.summary.owner")}</th>
                    <th>{t("finance.summary.status")}</th>
                    <th>{t("finance.summary.period")}</th>
                    <th className="num">{t("finance.summary.budgetNet")}</th>
                    <th className="num">{t("finance.summary.approvedNet")}</th>
                    <th className="num">{t("finance.summary.actualNet")}</th>
                    <th className="num">{t("finance.summary.variance")}</th>
                    <th className="num">{t("finance.summary.variancePercent")}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.plans.map((plan) => (
                    <tr key={plan.id} data-plan-id={plan.id}>
                      <td>
                        <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
                      </td>
                      <td>{t(`campaignType.${plan.campaignType}`)}</td>
                      <td>{plan.store || "—"}</td>
                      <td>{plan.ownerName}</td>
                      <td>
                        <span className={`status status-${plan.status}`}>{t(`status.${plan.status}`)}</span>
                      </td>
                      <td className="nowrap">
                        <span className="nowrap">{plan.startDate}</span> – <span className="nowrap">{plan.endDate}</span>
                      </td>
                      <td className="num" data-field="budgetNet">
                        {money(plan.budget.netFen)}
                        {plan.budget.tbdCount > 0 ? (
                          <span className="badge tbd">
                            {t("finance.summary.tbd", {
                              count: plan.budget.tbdCount,
                            })}
                          </span>
                        ) : null}
                      </td>
                      <td className="num" data-field="approvedNet">
                        {plan.approved ? (
                          <span
                            title={t("finance.summary.revision", {
                              number: plan.approved.revisionNumber,
                            })}
                          >
                            {money(plan.approved.netFen)}
                          </span>
                        ) : (
                          <span className="muted">{t("finance.summary.notApproved")}</span>
                        )}
                      </td>
                      <td className="num" data-field="actualNet">
                        {plan.outOfRange ? (
                          <span className="badge tbd" data-out-of-range>
                            {t("finance.summary.outOfRange")}
                          </span>
                        ) : (
                          money(plan.actual.netFen)
                        )}
                        {plan.unbudgetedFen > 0 ? (
                          <span className="badge tbd">
                            {t("finance.summary.unbudgeted", {
                              amount: money(plan.unbudgetedFen),
                            })}
                          </span>
                        ) : null}
                      </td>
                      <td className="num" data-field="variance">
                        {plan.outOfRange ? <span className="muted">—</span> : money(plan.varianceFen)}
                      </td>
                      <td className="num" data-field="variancePercent">
                        {percent(plan.varianceBasisPoints)}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr data-plan-id="totals">
                    <th colSpan={6}>{summary.count > summary.plans.length ? t("finance.summary.shownTotals") : t("finance.summary.totals")}</th>
                    <td className="num" data-field="budgetNet">
                      {money(summary.totals.budgetNetFen)}
                    </td>
                    <td className="num" data-field="approvedNet">
                      {money(summary.totals.approvedNetFen)}
                    </td>
                    <td className="num" data-field="actualNet">
                      {money(summary.totals.actualNetFen)}
                    </td>
                    <td className="num" data-field="variance">
                      {money(summary.totals.varianceFen)}
                    </td>
                    <td className="num" data-field="variancePercent">
                      {percent(summary.totals.varianceBasisPoints)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </ScrollTable>
            {summary.plans.some((plan) => plan.outOfRange) ? (
              <p className="muted" data-out-of-range-note>
                {t("finance.summary.outOfRangeNote")}
              </p>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}

type JobStatus = Pick<ExportJobView, "id" | "state" | "done" | "total" | "fileName">;

/**
 * Progress of the member's export, polled every half second while it runs. Without
 * JavaScript the page refreshes itself instead, and a link does the same by hand.
 */
function ExportStatus({ job, query }: { job: JobStatus; query: string }) {
  const { t } = useTranslation();
  const { load, state: fetching, data } = useFetcher<JobStatus>();
  const status = data ?? job;

  useEffect(() => {
    if (status.state !== "running" || fetching !== "idle") return;
    const timer = window.setTimeout(() => load(`/finance/exports/${status.id}`), 500);
    return () => window.clearTimeout(timer);
  }, [status, fetching, load]);

  if (status.state === "failed") {
    return (
      <p className="form-error" role="alert">
        {t("finance.export.failed")}
      </p>
    );
  }
  if (status.state === "done") {
    return (
      <p className="notice" role="status">
        {t("finance.export.done")}{" "}
        <a href={`/finance/exports/${status.id}?download=1`} download={status.fileName}>
          {t("finance.export.download", { fileName: status.fileName })}
        </a>
      </p>
    );
  }
  const percent = status.total === 0 ? 0 : Math.floor((status.done * 100) / status.total);
  return (
    <p className="notice muted-notice" role="status">
      <noscript>
        <meta httpEquiv="refresh" content="2" />
      </noscript>
      <progress value={status.done} max={Math.max(1, status.total)} aria-label={t("finance.export.progressLabel")} /> {t("finance.export.running", { percent })}{" "}
      <a href={`/finance?${query}&job=${status.id}`}>{t("finance.export.refresh")}</a>
    </p>
  );
}
