import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReviewOutcomeView } from "~/services/review-outcome.server";
import { useDateTime } from "./approval-chain";

/**
 * Pinned under the plan header while the plan shows 退回修改 or 已驳回: whoever opens the plan
 * reads who sent it back, when and why, without digging through the approval history.
 */
export function ReviewOutcomeBanner({ outcome }: { outcome: ReviewOutcomeView }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const comment = outcome.comment || t("reviewOutcome.banner.noComment");
  const link = (
    <Link to={`/approvals/${outcome.revisionId}`} className="review-outcome-link">
      {t("reviewOutcome.banner.revisionLink", { number: outcome.revisionNumber })}
    </Link>
  );
  return (
    <section className={`review-outcome-banner review-outcome-${outcome.kind}`} role="status" data-review-outcome={outcome.kind}>
      {outcome.kind === "changesRequested" ? (
        <>
          <p className="review-outcome-main">
            <span className="status status-changesRequested">{t("status.changesRequested")}</span>{" "}
            <strong>{t("reviewOutcome.banner.changesRequested", { name: outcome.deciderName, comment })}</strong>
          </p>
          <p className="muted">
            <time dateTime={new Date(outcome.decidedAt).toISOString()}>{when(outcome.decidedAt)}</time> · {link} · {t("reviewOutcome.banner.changesRequestedHint")}
          </p>
        </>
      ) : (
        <>
          <p className="review-outcome-main">
            <span className="status status-rejected">{t("reviewOutcome.banner.rejected")}</span>{" "}
            <strong>{t("reviewOutcome.banner.rejectedBy", { name: outcome.deciderName, number: outcome.revisionNumber, comment })}</strong>
          </p>
          <p className="muted">
            <time dateTime={new Date(outcome.decidedAt).toISOString()}>{when(outcome.decidedAt)}</time> · {link} · {t("reviewOutcome.banner.rejectedHint")}
          </p>
        </>
      )}
    </section>
  );
}
