import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ApprovalTab, CenterEntry } from "~/services/approval-center.server";
import { useDateTime } from "./approval-chain";
import { DueBadge } from "./approval-center-due";
import { useMoney } from "./money";
import { ScrollTable } from "./scroll-table";

function CurrentStep({ entry }: { entry: CenterEntry }) {
  const { t } = useTranslation();
  const { current } = entry;
  if (!current) return <span className="muted">{t("approvalCenter.closed")}</span>;
  const step = current.kinds.map((kind) => t(`approval.step.${kind}`)).join(t("approval.stepSeparator"));
  const { assignee, title, holders } = current.waitingFor;
  const who = holders.length > 0 ? t("approvalCenter.titleHolders", { title: t(`title.${title}`), names: holders.join(t("approval.stepSeparator")) }) : t("approvalCenter.noHolder", { title: t(`title.${title}`) });
  return (
    <>
      <span className="center-step">{assignee ? t("approvalCenter.delegatedTo", { step, name: assignee.name }) : t("approvalCenter.waitingFor", { step, who })}</span>
      <DueBadge dueAt={current.dueAt} due={current.due} />
    </>
  );
}

/** One row per revision: plan, revision, amount, submitter, status, where it stands and the decision that matters on this tab. */
export function ApprovalCenterTable({ tab, entries }: { tab: ApprovalTab; entries: readonly CenterEntry[] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const when = useDateTime();
  return (
    // A table from a tablet up with the plan pinned while the rest scrolls; one card per revision on a phone (lists.css).
    <ScrollTable label={t("approvalCenter.heading")}>
      <table className="table inbox-table approval-center-table cards-on-phone nowrap-head" data-tab={tab}>
        <thead>
          <tr>
            <th scope="col">{t("approvalCenter.column.plan")}</th>
            <th scope="col" className="num">
              {t("approvalCenter.column.amount")}
            </th>
            <th scope="col">{t("approvalCenter.column.submitter")}</th>
            <th scope="col">{t("approvalCenter.column.status")}</th>
            <th scope="col">{t("approvalCenter.column.current")}</th>
            <th scope="col">{tab === "decided" ? t("approvalCenter.column.myDecision") : t("approvalCenter.column.lastDecision")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const last = entry.lastDecision;
            const decision = tab === "decided" ? entry.myDecision : last;
            return (
              <tr key={entry.revisionId} data-revision-id={entry.revisionId} data-status={entry.status} className={entry.current?.due.overdue ? "overdue" : undefined}>
                <td className="card-title">
                  <Link to={`/approvals/${entry.revisionId}`}>{entry.planTitle}</Link>
                  <span className="muted"> · {t("approvalCenter.revision", { number: entry.number })}</span>
                </td>
                <td className="num nowrap" data-label={t("approvalCenter.column.amount")}>
                  {money(entry.spendFen)}
                </td>
                <td data-label={t("approvalCenter.column.submitter")}>
                  {entry.submitterName}
                  <span className="muted small-print">{t("approvalCenter.submittedAt", { time: when(entry.submittedAt) })}</span>
                </td>
                <td className="nowrap card-corner">
                  <span className={`badge revision-${entry.status}`}>{t(`approvalCenter.status.${entry.status}`)}</span>
                </td>
                <td data-label={t("approvalCenter.column.current")}>
                  <CurrentStep entry={entry} />
                </td>
                <td data-label={tab === "decided" ? t("approvalCenter.column.myDecision") : t("approvalCenter.column.lastDecision")}>
                  {decision ? (
                    <>
                      <span data-decision={decision.decision}>
                        {tab === "decided" || !last ? t(`approval.decided.${decision.decision}`) : t("approvalCenter.decisionBy", { name: last.deciderName, decision: t(`approval.decided.${decision.decision}`) })}
                      </span>
                      <span className="muted small-print">{when(decision.at)}</span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}
