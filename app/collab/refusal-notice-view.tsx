import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Refusal } from "./refusal-notice";

/** Says which part of the member's edit the server reverted; the newest refusal shows until dismissed. */
export function RefusalNotice({ refusal }: { refusal: Refusal | null }) {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState(0);
  if (!refusal || refusal.seq <= dismissed) return null;
  return (
    <p className="notice warning refusal-notice" role="alert" data-refused-root={refusal.root}>
      {refusal.reason === "budgetLocked" ? t("refusal.budgetLocked") : t("refusal.other", { reason: refusal.reason })}{" "}
      <button type="button" className="button small" onClick={() => setDismissed(refusal.seq)}>
        {t("refusal.dismiss")}
      </button>
    </p>
  );
}
