import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ZERO_FEN, type Fen } from "~/domain/money";
import { ClientOnly } from "./client-only";
import { ScrollTable } from "./scroll-table";
import DashboardChart from "./dashboard-chart.client";
import { useMoney } from "./money";

export interface MoneyRow {
  key: string;
  label: string;
  /** Links the label to the plan, when the row is one. */
  planId?: string;
  budgetFen: Fen;
  /** null: the plan has no approved revision. */
  approvedFen: Fen | null;
  actualFen: Fen;
  varianceFen: Fen;
}

interface Totals {
  budgetFen: Fen;
  approvedFen: Fen;
  actualFen: Fen;
  varianceFen: Fen;
}

/**
 * A chart of budget, approved and actual with the same numbers in a table below it: the
 * table is what the server renders, what a screen reader reads, and what tests check.
 */
export function DashboardMoney(props: { id: string; heading: string; labelHeading: string; rows: readonly MoneyRow[]; totals: Totals }) {
  const { t } = useTranslation();
  const money = useMoney();
  const bars = props.rows.map((row) => ({ label: row.label, budgetFen: row.budgetFen, approvedFen: row.approvedFen ?? ZERO_FEN, actualFen: row.actualFen }));
  return (
    <section className="card dashboard-money" aria-labelledby={`${props.id}-heading`} data-dashboard={props.id}>
      <h3 id={`${props.id}-heading`}>{props.heading}</h3>
      {bars.some((bar) => bar.budgetFen !== 0 || bar.approvedFen !== 0 || bar.actualFen !== 0) ? (
        <figure className="dashboard-chart" role="img" aria-label={`${t("dashboard.money.chartLabel")} · ${props.heading}`}>
          <ClientOnly fallback={<p className="muted chart-placeholder">{t("dashboard.money.loading")}</p>}>{() => <DashboardChart rows={bars} money={money} />}</ClientOnly>
        </figure>
      ) : (
        // Nothing to draw: an axis of ¥0.00–¥0.01 would suggest figures that are not there.
        <p className="muted chart-empty" data-chart-empty>
          {t("polish.chart.empty")}
        </p>
      )}
      <ScrollTable label={`${props.heading} · ${t("polish.dashboard.moneyTableLabel")}`}>
        <table className="table compact dashboard-table">
          <thead>
            <tr>
              <th>{props.labelHeading}</th>
              <th className="num">{t("dashboard.money.budget")}</th>
              <th className="num">{t("dashboard.money.approved")}</th>
              <th className="num">{t("dashboard.money.actual")}</th>
              <th className="num">{t("dashboard.money.variance")}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.key} data-row={row.planId ?? row.key}>
                <td>{row.planId ? <Link to={`/plans/${row.planId}`}>{row.label}</Link> : row.label}</td>
                <td className="num" data-field="budget">
                  {money(row.budgetFen)}
                </td>
                <td className="num" data-field="approved">
                  {row.approvedFen === null ? <span className="muted">{t("dashboard.money.notApproved")}</span> : money(row.approvedFen)}
                </td>
                <td className="num" data-field="actual">
                  {money(row.actualFen)}
                </td>
                <td className={`num${row.varianceFen > 0 ? " over" : ""}`} data-field="variance">
                  {money(row.varianceFen)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-row="totals">
              <th>{t("dashboard.money.totals")}</th>
              <td className="num" data-field="budget">
                {money(props.totals.budgetFen)}
              </td>
              <td className="num" data-field="approved">
                {money(props.totals.approvedFen)}
              </td>
              <td className="num" data-field="actual">
                {money(props.totals.actualFen)}
              </td>
              <td className="num" data-field="variance">
                {money(props.totals.varianceFen)}
              </td>
            </tr>
          </tfoot>
        </table>
      </ScrollTable>
    </section>
  );
}
