import { readsEveryPlan } from "~/domain/policy";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAbility } from "~/routes-support/guards.server";
import { CAMPAIGN_TYPES, displayStatus, PLAN_DISPLAY_STATUSES } from "~/domain/plan";
import { listPlans } from "../../db/queries/plans";
import { formatDate } from "~/i18n/format";
import { useMoney } from "~/components/money";
import { useRootData } from "~/root";
import { ScrollTable } from "~/components/scroll-table";
import listsHref from "~/styles/lists.css";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "plans");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: listsHref }];

const FilterSchema = z.object({
  q: z.string().trim().max(80).catch(""),
  status: z.enum(PLAN_DISPLAY_STATUSES).optional().catch(undefined),
  type: z.enum(CAMPAIGN_TYPES).optional().catch(undefined),
  scope: z.enum(["all", "mine", "shared"]).catch("all"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "plans:view");
  const filter = FilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listPlans(context.db, {
    visibleTo: readsEveryPlan(auth.actor) ? null : auth.user.id,
    userId: auth.user.id,
    scope: filter.scope,
    search: filter.q || undefined,
    status: filter.status,
    campaignType: filter.type,
  });
  return {
    filter,
    plans: rows.map((p) => ({
      id: p.id,
      title: p.title,
      campaignType: p.campaign_type,
      status: displayStatus(p),
      store: p.store,
      startDate: p.start_date,
      endDate: p.end_date,
      ownerName: p.owner_name,
      updatedAt: p.updated_at,
      netFen: p.net_fen,
      tbdCount: p.tbd_count,
    })),
  };
}

export default function Plans() {
  const { t } = useTranslation();
  const { locale, abilities } = useRootData();
  const money = useMoney();
  const { plans, filter } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const scopeHref = (scope: string) => {
    const next = new URLSearchParams(params);
    next.set("scope", scope);
    return `?${next.toString()}`;
  };
  return (
    <section>
      <header className="page-header with-action">
        <div>
          <h1>{t("plans.heading")}</h1>
          <p className="muted">{t("plans.intro")}</p>
        </div>
        {abilities["plans:create"] ? (
          <Link className="button primary" to="/plans/new">
            {t("plans.new")}
          </Link>
        ) : null}
      </header>
      <nav className="sub-nav" aria-label={t("plans.filter")}>
        {(["all", "mine", "shared"] as const).map((scope) => (
          <Link key={scope} to={scopeHref(scope)} className={filter.scope === scope ? "active" : ""} aria-current={filter.scope === scope ? "page" : undefined}>
            {t(`plans.scope.${scope}`)}
          </Link>
        ))}
      </nav>
      <Form method="get" className="filters" role="search">
        <input type="hidden" name="scope" value={filter.scope} />
        <input type="search" name="q" defaultValue={filter.q} placeholder={t("plans.search")} aria-label={t("plans.search")} />
        <select name="status" defaultValue={filter.status ?? ""} aria-label={t("plans.status")}>
          <option value="">{t("plans.allStatuses")}</option>
          {PLAN_DISPLAY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <select name="type" defaultValue={filter.type ?? ""} aria-label={t("plans.campaignType")}>
          <option value="">{t("plans.allTypes")}</option>
          {CAMPAIGN_TYPES.map((c) => (
            <option key={c} value={c}>
              {t(`campaignType.${c}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("plans.filter")}
        </button>
      </Form>
      {plans.length === 0 ? (
        <div className="empty-state">
          <p>{t("plans.empty")}</p>
          {abilities["plans:create"] ? <p>{t("plans.emptyHint")}</p> : null}
        </div>
      ) : (
        <>
          <p className="muted">{t("plans.count", { count: plans.length })}</p>
          {/* A table from a tablet up, one card per plan on a phone (lists.css). */}
          <ScrollTable label={t("plans.heading")}>
            <table className="table plans-table cards-on-phone nowrap-head">
              <thead>
                <tr>
                  <th>{t("plans.title")}</th>
                  <th>{t("plans.campaignType")}</th>
                  <th>{t("plans.period")}</th>
                  <th>{t("plans.store")}</th>
                  <th>{t("plans.owner")}</th>
                  <th className="num">{t("plans.net")}</th>
                  <th>{t("plans.status")}</th>
                  <th>{t("plans.updatedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {plans.map((p) => (
                  <tr key={p.id}>
                    <td className="card-title">
                      <Link to={`/plans/${p.id}`}>{p.title}</Link>
                    </td>
                    <td data-label={t("plans.campaignType")}>{t(`campaignType.${p.campaignType}`)}</td>
                    <td className="plans-period" data-label={t("plans.period")}>
                      <span className="nowrap">{p.startDate}</span> – <span className="nowrap">{p.endDate}</span>
                    </td>
                    <td className="plans-store" data-label={t("plans.store")}>{p.store || "—"}</td>
                    <td className="nowrap" data-label={t("plans.owner")}>
                      {p.ownerName}
                    </td>
                    <td className="num nowrap" data-label={t("plans.net")}>
                      {money(p.netFen)}
                      {p.tbdCount > 0 ? <span className="badge tbd">{t("plans.tbdCount", { count: p.tbdCount })}</span> : null}
                    </td>
                    <td className="card-corner">
                      <span className={`status status-${p.status}`}>{t(`status.${p.status}`)}</span>
                    </td>
                    <td className="nowrap" data-label={t("plans.updatedAt")}>
                      {formatDate(p.updatedAt, locale)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      )}
    </section>
  );
}
