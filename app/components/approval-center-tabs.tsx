import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ApprovalTab } from "~/services/approval-center.server";

/** The four tabs with their counts; switching keeps the search and filters but starts at page one. */
export function ApprovalCenterTabs({ tabs, active, counts, search }: { tabs: readonly ApprovalTab[]; active: ApprovalTab; counts: Record<ApprovalTab, number> | null; search: string }) {
  const { t } = useTranslation();
  const href = (tab: ApprovalTab) => {
    const params = new URLSearchParams(search);
    params.set("tab", tab);
    params.delete("page");
    return `?${params.toString()}`;
  };
  return (
    <nav className="sub-nav approval-center-tabs" aria-label={t("approvalCenter.tabsLabel")}>
      {tabs.map((tab) => (
        <Link key={tab} to={href(tab)} className={tab === active ? "active" : ""} aria-current={tab === active ? "page" : undefined} data-tab={tab} data-count={counts?.[tab]}>
          {counts ? t("approvalCenter.tabCount", { label: t(`approvalCenter.tab.${tab}`), count: counts[tab] }) : t(`approvalCenter.tab.${tab}`)}
        </Link>
      ))}
    </nav>
  );
}
