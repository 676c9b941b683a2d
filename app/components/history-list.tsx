import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { VersionListItem } from "~/services/history.server";
import { VersionKindBadge, VersionSummaryText, VersionTime, versionTitle } from "./history-summary";

/** A plan's versions, newest first, each opening its read-only view. */
export function HistoryList({ planId, versions, now }: { planId: string; versions: VersionListItem[]; now: number }) {
  const { t } = useTranslation();
  if (versions.length === 0) return <p className="empty-state">{t("history.empty")}</p>;
  const titles = new Map(versions.map((v) => [v.id, versionTitle(v, t)]));
  return (
    <>
      <p className="muted">{t("history.count", { count: versions.length })}</p>
      <ol className="version-list" aria-label={t("history.listLabel")}>
        {versions.map((version) => {
          const title = titles.get(version.id) ?? versionTitle(version, t);
          return (
            <li key={version.id} className="version-item" data-version-id={version.id} data-kind={version.kind}>
              <div className="version-head">
                <VersionKindBadge kind={version.kind} />
                <Link to={`/plans/${planId}/history/${version.id}`} className="version-name" aria-label={t("history.openVersion", { name: title })}>
                  {title}
                </Link>
                <VersionTime at={version.createdAt} now={now} />
              </div>
              <p className="version-people muted">
                <span>{version.authors.length > 0 ? t("history.authors", { names: version.authors.map((a) => a.name).join(t("history.summary.listSeparator")) }) : t("history.noAuthors")}</span>
                {version.createdBy ? <span>{t("history.by", { name: version.createdBy.name })}</span> : null}
                {version.restoredFrom !== null ? (
                  <span>
                    {t("history.restoredFrom", { name: titles.get(version.restoredFrom) ?? t("history.versionNumber", { id: version.restoredFrom }) })}
                  </span>
                ) : null}
              </p>
              <VersionSummaryText summary={version.summary} />
            </li>
          );
        })}
      </ol>
    </>
  );
}
