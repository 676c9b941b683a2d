import { useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReviewActionResult } from "~/routes/_app.plans.$planId_.review";
import { CsrfInput } from "./csrf";

/** 生成复盘: writes the plan's 总结复盘 sections through the live document, so open editors see them appear. */
export function ReviewButton({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<ReviewActionResult>();
  const busy = fetcher.state !== "idle";
  const result = busy ? undefined : fetcher.data;
  return (
    <fetcher.Form method="post" action={`/plans/${planId}/review`} className="review-button">
      <CsrfInput />
      <button type="submit" className="button ghost" disabled={busy} title={t("review.hint")} aria-describedby={result ? `review-result-${planId}` : undefined}>
        {busy ? t("review.generating") : t("review.generate")}
      </button>
      {result ? (
        <span id={`review-result-${planId}`} role={result.ok ? "status" : "alert"} className={result.ok ? "muted" : "form-error"} data-review-result={result.ok ? "ok" : result.code}>
          {result.ok ? t(result.notesCreated ? "review.generatedWithNotes" : "review.generated") : t(`review.error.${result.code}`)}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
