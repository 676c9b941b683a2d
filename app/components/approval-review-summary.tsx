import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MyDecision, TotalChange, Totals } from "~/domain/approval-review";
import type { CampaignType } from "~/domain/plan";
import type { Fen } from "~/domain/money";
import { useDateTime, usePercent } from "./approval-chain";
import { useMoney } from "./money";

/**
 * The top of the review page, in the order an approver on a phone reads it: what the plan is,
 * how much it asks for and how that moved since the last approval, and — once decided — what
 * they decided and where the budget goes next.
 */

export interface ReviewPlanSummary {
  campaignType: CampaignType;
  store: string;
  startDate: string;
  endDate: string;
  ownerName: string;
}

export function ReviewSummary({
  plan,
  revision,
}: {
  plan: ReviewPlanSummary;
  revision: { number: number; submitterName: string; submittedAt: number };
}) {
  const { t } = useTranslation();
  const when = useDateTime();
  // Wide facts take a whole row on a phone rather than wrap mid-date.
  const facts: [string, string, "wide"?][] = [
    [t("approvalReview.summary.type"), t(`campaignType.${plan.campaignType}`)],
    [t("approvalReview.summary.store"), plan.store || "—"],
    [t("approvalReview.summary.dates"), `${plan.startDate} – ${plan.endDate}`, "wide"],
    [t("approvalReview.summary.owner"), plan.ownerName],
    [t("approvalReview.summary.revision"), t("approvalReview.summary.revisionValue", { number: revision.number })],
    [t("approvalReview.summary.submitted"), t("approvalReview.summary.submittedValue", { name: revision.submitterName, time: when(revision.submittedAt) }), "wide"],
  ];
  return (
    <section className="card review-summary" aria-labelledby="review-summary-heading">
      <h2 id="review-summary-heading" className="visually-hidden">
        {t("approvalReview.summary.heading")}
      </h2>
      <dl className="review-facts">
        {facts.map(([label, value, wide]) => (
          <div key={label} className={wide}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ChangeLine({ change, baseNumber }: { change: TotalChange; baseNumber: number }) {
  const { t } = useTranslation();
  const money = useMoney();
  const percent = usePercent();
  if (change.deltaFen === 0) return <span className="total-change same">{t("approvalReview.totals.unchanged", { number: baseNumber })}</span>;
  const direction = change.deltaFen > 0 ? "up" : "down";
  return (
    <span className={`total-change ${direction}`}>
      {t("approvalReview.totals.versus", { number: baseNumber })} {change.deltaFen > 0 ? "+" : ""}
      {money(change.deltaFen)}
      {change.deltaBasisPoints !== null ? ` (${percent(change.deltaBasisPoints, { signed: true })})` : null}
    </span>
  );
}

/** 支出 / 收入 / 净支出, each with its change since the last approved revision. */
export function ReviewTotals({ totals, base, changes }: { totals: Totals; base: { number: number } | null; changes: Record<keyof Totals, TotalChange> | null }) {
  const { t } = useTranslation();
  const money = useMoney();
  const tiles: [keyof Totals, string, Fen][] = [
    ["spendFen", t("approvalReview.totals.spend"), totals.spendFen],
    ["incomeFen", t("approvalReview.totals.income"), totals.incomeFen],
    ["netFen", t("approvalReview.totals.net"), totals.netFen],
  ];
  return (
    <section className="card review-totals" aria-labelledby="review-totals-heading">
      <h2 id="review-totals-heading">{t("approvalReview.totals.heading")}</h2>
      <ul className="total-tiles">
        {tiles.map(([key, label, amount]) => (
          <li key={key} data-total={key}>
            <span className="total-label">{label}</span>
            <strong className="total-amount">{money(amount)}</strong>
            {base && changes ? <ChangeLine change={changes[key]} baseNumber={base.number} /> : null}
          </li>
        ))}
      </ul>
      {base ? null : <p className="muted total-first">{t("approvalReview.totals.first")}</p>}
    </section>
  );
}

/** After deciding: what the member decided, with their comment, and the budget's next step. */
export function ReviewOutcome({ mine }: { mine: MyDecision }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const steps = (kinds: readonly string[]) => kinds.map((kind) => t(`approval.step.${kind}`)).join(t("approval.stepSeparator"));
  const next = mine.next;
  return (
    <section className={`card review-my-decision decided-${mine.decision}`} role="status" data-my-decision={mine.decision} data-next={next.kind}>
      <h2>{t("approvalReview.outcome.heading")}</h2>
      <p className="review-my-decision-main">
        <strong>{t("approvalReview.outcome.decided", { decision: t(`approval.decision.${mine.decision}`), steps: steps(mine.kinds), time: when(mine.decidedAt) })}</strong>
      </p>
      {mine.comment ? <p className="review-my-comment">{t("approvalReview.outcome.comment", { comment: mine.comment })}</p> : null}
      <p className="review-next">
        {next.kind === "nextStep" ? t("approvalReview.outcome.next.nextStep", { title: t(`title.${next.title}`), steps: steps(next.kinds) }) : t(`approvalReview.outcome.next.${next.kind}`)}
      </p>
      <p>
        <Link to="/approvals" className="button">
          {t("approvalReview.outcome.back")}
        </Link>
      </p>
    </section>
  );
}
