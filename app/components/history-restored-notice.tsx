import { useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/** The plan page's word after a restore redirected there (`?restored=<version id>`, `&budgetKept=1` when the locked budget stayed). */
export function HistoryRestoredNotice() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [notice] = useState(() => {
    const id = Number(params.get("restored"));
    return Number.isSafeInteger(id) && id > 0 ? { id, budgetKept: params.get("budgetKept") === "1" } : null;
  });
  // Said once: a reload of the plan page must not announce the restore again.
  useEffect(() => {
    if (!notice) return;
    const url = new URL(window.location.href);
    url.searchParams.delete("restored");
    url.searchParams.delete("budgetKept");
    window.history.replaceState(window.history.state, "", url);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className="history-restored" role="status" data-restored={notice.id}>
      <p className="notice">{t("history.restore.done", { id: notice.id })}</p>
      {notice.budgetKept ? (
        <p className="notice warning" data-budget-kept="true">
          {t("history.restore.budgetKept")}
        </p>
      ) : null}
    </div>
  );
}
