import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { approvalCenter, type CenterFilter } from "~/services/approval-center.server";
import { requireAbility } from "~/routes-support/guards.server";
import { ApprovalCenterFilters, type CenterFilterField } from "~/components/approval-center-filters";
import { ApprovalCenterTable } from "~/components/approval-center-table";
import { ApprovalCenterTabs } from "~/components/approval-center-tabs";
import { REVISION_STATUSES } from "~/domain/approval";
import { APPROVAL_TABS, type ApprovalTab } from "~/domain/approval-sla";
import { can } from "~/domain/policy";
import { chinaDayStartMs } from "~/domain/audit";
import { isIsoDate } from "~/domain/calendar";
import stylesHref from "~/styles/approval-center.css";
import listsHref from "~/styles/lists.css";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "approvals");
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listsHref },
  { rel: "stylesheet", href: stylesHref },
];

const DAY_MS = 24 * 60 * 60 * 1000;

const PageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);
/** Members who decide no step (planners, viewers) follow what they submitted and what they are copied on. */
const TRACKING_TABS = ["submitted", "cc"] as const satisfies readonly ApprovalTab[];

const FieldSchemas = {
  q: z.string().max(100, { error: "qTooLong" }),
  status: z.union([z.literal(""), z.enum(REVISION_STATUSES)], { error: "invalidStatus" }),
  from: z.union([z.literal(""), z.string().refine(isIsoDate, { error: "invalidDate" })]),
  to: z.union([z.literal(""), z.string().refine(isIsoDate, { error: "invalidDate" })]),
} satisfies Record<CenterFilterField, z.ZodType>;

/** The filter the query string asks for, or the reasons it cannot be used (then nothing is listed). */
function parseFilter(params: URLSearchParams): { values: Record<CenterFilterField, string>; errors: Partial<Record<CenterFilterField, string>>; filter: CenterFilter | null } {
  const values = { q: "", status: "", from: "", to: "" } as Record<CenterFilterField, string>;
  const errors: Partial<Record<CenterFilterField, string>> = {};
  for (const field of Object.keys(FieldSchemas) as CenterFilterField[]) {
    values[field] = (params.get(field) ?? "").trim();
    const parsed = FieldSchemas[field].safeParse(values[field]);
    if (!parsed.success) errors[field] = parsed.error.issues[0]?.message ?? "invalidDate";
  }
  if (!errors.from && !errors.to && values.from && values.to && values.to < values.from) errors.to = "rangeOrder";
  if (Object.keys(errors).length > 0) return { values, errors, filter: null };
  return {
    values,
    errors,
    filter: {
      ...(values.q && { q: values.q }),
      ...(values.status && { status: values.status as CenterFilter["status"] }),
      ...(values.from && { fromMs: chinaDayStartMs(values.from) }),
      ...(values.to && { toMs: chinaDayStartMs(values.to) + DAY_MS }),
    },
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "approvals:track");
  const params = new URL(request.url).searchParams;
  const tabs: readonly ApprovalTab[] = can(auth.actor, "approvals:view") ? APPROVAL_TABS : TRACKING_TABS;
  const requested = tabs.find((candidate) => candidate === params.get("tab"));
  const tab = requested ?? tabs[0]!;
  const page = PageSchema.parse(params.get("page") ?? undefined);
  const { values, errors, filter } = parseFilter(params);
  const me = { id: auth.user.id, title: auth.actor.title };
  const center = filter ? await approvalCenter(context.db, me, { tab, filter, page }) : null;
  const filtered = Boolean(filter && Object.keys(filter).length > 0);
  return { tab, tabs, values, errors, center, filtered };
}

/** 审批中心: 待我审批 / 我已审批 / 我发起的 / 抄送我, with search, filters and due dates. */
export default function ApprovalCenter() {
  const { t } = useTranslation();
  const { tab, tabs, values, errors, center, filtered } = useLoaderData<typeof loader>();
  const location = useLocation();
  const pageHref = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(page));
    return `?${params.toString()}`;
  };
  return (
    <section className="approvals-inbox approval-center">
      <header className="page-header">
        <h1>{t("approvalCenter.heading")}</h1>
        <p className="muted">{t("approvalCenter.intro")}</p>
      </header>
      <ApprovalCenterTabs tabs={tabs} active={tab} counts={center?.counts ?? null} search={location.search} />
      <ApprovalCenterFilters key={location.search} tab={tab} values={values} errors={errors} />
      {center === null ? null : center.entries.length === 0 ? (
        <div className="empty-state">
          <p>{filtered ? t("approvalCenter.empty.filtered") : t(`approvalCenter.empty.${tab}`)}</p>
        </div>
      ) : (
        <>
          <p className="muted">{t("approvalCenter.total", { count: center.counts[tab] })}</p>
          <ApprovalCenterTable tab={tab} entries={center.entries} />
          {center.pageCount > 1 ? (
            <nav className="pager" aria-label={t("approvalCenter.pager.label")}>
              {center.page > 1 ? <Link to={pageHref(center.page - 1)}>{t("approvalCenter.pager.previous")}</Link> : null}
              <span>{t("approvalCenter.pager.page", { page: center.page, pages: center.pageCount })}</span>
              {center.page < center.pageCount ? <Link to={pageHref(center.page + 1)}>{t("approvalCenter.pager.next")}</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}
