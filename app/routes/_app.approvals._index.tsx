import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { approvalInbox } from "~/services/approval-views.server";
import { requireAbility } from "~/routes-support/guards.server";
import { ChainProgress, useWaited } from "~/components/approval-chain";
import { useMoney } from "~/components/money";

export const meta: MetaFunction = () => [{ title: "审批中心 · 活动策划台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "approvals:view");
  return { title: auth.actor.title, entries: await approvalInbox(context.db, auth.actor), now: Date.now() };
}

/** 审批中心: the steps waiting for the member's title, the most recently arrived first. */
export default function ApprovalsInbox() {
  const { t } = useTranslation();
  const { title, entries, now } = useLoaderData<typeof loader>();
  const money = useMoney();
  const waited = useWaited();
  return (
    <section className="approvals-inbox">
      <header className="page-header">
        <h1>{t("approval.inbox.heading")}</h1>
        <p className="muted">{title ? t("approval.inbox.intro", { title: t(`title.${title}`) }) : t("approval.inbox.noTitle")}</p>
      </header>
      {entries.length === 0 ? (
        <div className="empty-state">
          <p>{t("approval.inbox.empty")}</p>
        </div>
      ) : (
        <table className="table inbox-table">
          <thead>
            <tr>
              <th scope="col">{t("approval.inbox.plan")}</th>
              <th scope="col" className="num">
                {t("approval.inbox.amount")}
              </th>
              <th scope="col">{t("approval.inbox.progress")}</th>
              <th scope="col">{t("approval.inbox.waiting")}</th>
              <th scope="col">{t("approval.inbox.submitter")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("approval.inbox.open")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.revisionId} data-revision-id={entry.revisionId}>
                <td>
                  <Link to={`/approvals/${entry.revisionId}`}>{entry.planTitle}</Link>
                  <span className="muted"> · {t("approval.history.revision", { number: entry.number })}</span>
                </td>
                <td className="num">{money(entry.spendFen)}</td>
                <td>
                  <ChainProgress steps={entry.steps} active compact />
                </td>
                <td className="nowrap">{waited(entry.waitingSince, now)}</td>
                <td>{entry.submitterName}</td>
                <td>
                  <Link to={`/approvals/${entry.revisionId}`} className="button small">
                    {t("approval.inbox.open")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
