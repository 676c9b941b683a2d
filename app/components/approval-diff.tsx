import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SnapshotLine } from "~/domain/approval";
import type { BudgetDiff, LineDiff } from "~/domain/budget-diff";
import type { Fen } from "~/domain/money";
import { formatQuantityHundredths } from "~/domain/plan-document";
import { usePercent } from "./approval-chain";
import { useMoney } from "./money";
import { ScrollTable } from "./scroll-table";

/**
 * The review page's diff against the last approved revision: per line what changed and by how
 * much, and for a changed line each field's old → new, so an approver sees that 单价 went up
 * rather than only that the amount did. `lineExtra` fills a last cell per line (comment buttons).
 */

/** The compared fields in the budget grid's column order. */
const FIELD_ORDER: readonly (keyof SnapshotLine)[] = ["category", "item", "quantityHundredths", "unit", "unitPriceFen", "income", "owner", "quarter", "note"];

function lineOf(diff: LineDiff): SnapshotLine {
  return (diff.after ?? diff.before)!;
}

function useFieldValue(): (line: SnapshotLine, field: keyof SnapshotLine) => string {
  const { t } = useTranslation();
  const money = useMoney();
  return (line, field) => {
    switch (field) {
      case "quantityHundredths":
        return formatQuantityHundredths(line.quantityHundredths);
      case "unitPriceFen":
        return money(line.unitPriceFen);
      case "income":
        return t(line.income ? "reviewOutcome.fields.incomeYes" : "reviewOutcome.fields.incomeNo");
      default: {
        const value = String(line[field]);
        return value === "" ? t("reviewOutcome.fields.empty") : value;
      }
    }
  };
}

function FieldChanges({ line }: { line: LineDiff }) {
  const { t } = useTranslation();
  const value = useFieldValue();
  const { before, after } = line;
  if (line.change !== "changed" || !before || !after) return <>—</>;
  const fields = FIELD_ORDER.filter((field) => line.fields.includes(field));
  return (
    <ul className="diff-fields">
      {fields.map((field) => (
        <li key={field} data-field={field}>
          <span className="diff-field-name">{t(`reviewOutcome.fields.${field as Exclude<keyof SnapshotLine, "id" | "amountFen">}`)}</span>
          {t("reviewOutcome.fields.separator")}
          <del>{value(before, field)}</del> → <ins>{value(after, field)}</ins>
        </li>
      ))}
    </ul>
  );
}

export function ApprovalDiff({
  diff,
  base,
  changeLimitPercent,
  lineExtra,
}: {
  diff: BudgetDiff | null;
  base: { number: number } | null;
  changeLimitPercent: number;
  lineExtra?: (lineId: string) => ReactNode;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const percent = usePercent();
  const signed = (amount: Fen) => (amount > 0 ? `+${money(amount)}` : money(amount));
  if (!diff || !base) {
    return (
      <section className="card approval-diff">
        <p className="muted">{t("approval.review.firstApproval")}</p>
      </section>
    );
  }
  return (
    <section className="card approval-diff">
      <h2>{t("approval.review.diffHeading", { number: base.number })}</h2>
      <p className="muted">{t("approval.review.diffIntro", { limit: changeLimitPercent })}</p>
      {diff.lines.length === 0 ? (
        <p>{t("approval.review.noChanges")}</p>
      ) : (
        <ScrollTable label={t("approvalReview.diff.cardLabel")} className="diff-scroll">
          <table className="table compact diff-table">
            <thead>
              <tr>
                <th scope="col">{t("approval.review.item")}</th>
                <th scope="col">{t("approval.review.category")}</th>
                <th scope="col">{t("reviewOutcome.fields.heading")}</th>
                <th scope="col" className="num">
                  {t("approval.review.before")}
                </th>
                <th scope="col" className="num">
                  {t("approval.review.after")}
                </th>
                <th scope="col" className="num">
                  {t("approval.review.delta")}
                </th>
                {lineExtra ? <td /> : null}
              </tr>
            </thead>
            <tbody>
              {diff.lines.map((line) => (
                <tr key={line.id} data-diff-line={line.id} className={`diff-${line.change}${line.overLimit ? " over-limit" : ""}`}>
                  {/* data-label names each cell where a phone shows the row as a card, without the header row. */}
                  <td className="diff-item">
                    <span className="diff-item-name">{lineOf(line).item}</span>{" "}
                    <span className={`badge diff-change diff-change-${line.change}`}>{t(`approval.review.${line.change}`)}</span>
                    {line.overLimit ? <span className="badge over-limit-badge">{t("approval.review.overLimit", { limit: changeLimitPercent })}</span> : null}
                  </td>
                  <td data-label={t("approval.review.category")}>{lineOf(line).category || "—"}</td>
                  <td data-label={t("reviewOutcome.fields.heading")} className="diff-what">
                    <FieldChanges line={line} />
                  </td>
                  <td data-label={t("approval.review.before")} className="num">
                    {line.before ? money(line.before.amountFen) : "—"}
                  </td>
                  <td data-label={t("approval.review.after")} className="num">
                    {line.after ? money(line.after.amountFen) : "—"}
                  </td>
                  <td data-label={t("approval.review.delta")} className="num diff-delta">
                    <span>
                      {signed(line.deltaFen)}
                      {line.deltaBasisPoints !== null ? <span className="muted"> ({percent(line.deltaBasisPoints, { signed: true })})</span> : null}
                    </span>
                  </td>
                  {lineExtra ? <td className="diff-line-extra">{lineExtra(line.id)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {diff.categories.length > 0 ? (
        <>
          <h3>{t("approval.review.categoryDeltas")}</h3>
          <ul className="approval-category-deltas">
            {diff.categories.map((c) => (
              <li key={c.category} data-category={c.category}>
                {c.category || "—"}: {money(c.beforeNetFen)} → {money(c.afterNetFen)} ({signed(c.deltaFen)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <strong>{t("approval.review.totalDelta", { spend: signed(diff.spendDeltaFen), income: signed(diff.incomeDeltaFen), net: signed(diff.netDeltaFen) })}</strong>
      </p>
    </section>
  );
}
