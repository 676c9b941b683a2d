import { useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The plan page's word after a restore redirected there (`?restored=<version id>`, `&budgetKept=1` when the locked budget stayed). */
export function HistoryRestoredNotice() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const id = Number(params.get("restored"));
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return (
    <div className="history-restored" role="status" data-restored={id}>
      <p className="notice">{t("history.restore.done", { id })}</p>
      {params.get("budgetKept") === "1" ? (
        <p className="notice warning" data-budget-kept="true">
          {t("history.restore.budgetKept")}
        </p>
      ) : null}
    </div>
  );
}
