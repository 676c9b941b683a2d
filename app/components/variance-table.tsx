import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { basisPoints, subtractFen, type BasisPoints, type Fen } from "~/domain/money";
import type { Variance } from "~/domain/variance";
import { usePercent } from "./approval-chain";
import { useMoney } from "./money";
import { ScrollTable } from "./scroll-table";

export interface LineName {
  id: string;
  category: string;
  item: string;
}

function Figures({
  budgetFen,
  actualFen,
  varianceFen,
  varianceBasisPoints,
}: {
  budgetFen: Fen;
  actualFen: Fen;
  varianceFen: Fen;
  varianceBasisPoints: BasisPoints | null;
}) {
  const money = useMoney();
  const percent = usePercent();
  return (
    <>
      <td className="num">{money(budgetFen)}</td>
      <td className="num">{money(actualFen)}</td>
      <td className={`num${varianceFen > 0 ? " variance-up" : varianceFen < 0 ? " variance-down" : ""}`}>
        {varianceFen > 0 ? `+${money(varianceFen)}` : money(varianceFen)}
      </td>
      <td className="num">{varianceBasisPoints === null ? "—" : percent(varianceBasisPoints, { signed: true })}</td>
    </>
  );
}

/**
 * The variance table (实际对比): spend lines by category with subtotals, then income lines,
 * then the spend, income and net totals. Every figure comes from computeVariance, the
 * same numbers the workbook's 实际对比 sheet shows.
 */
export function VarianceTable({ variance, names }: { variance: Variance; names: readonly LineName[] }) {
  const { t } = useTranslation();
  const { lines, categories, totals, unbudgeted } = variance;
  if (lines.length === 0 && unbudgeted.length === 0) return <p className="muted">{t("actuals.variance.empty")}</p>;
  const spendLines = lines.filter((line) => !line.income);
  const incomeLines = lines.filter((line) => line.income);
  const nameOf = new Map(names.map((line) => [line.id, line]));
  const spendVariance = subtractFen(totals.actualSpendFen, totals.budgetSpendFen);
  const incomeVariance = subtractFen(totals.actualIncomeFen, totals.budgetIncomeFen);

  const lineRow = (line: (typeof lines)[number]) => (
    <tr key={line.id} data-line-id={line.id} data-over-budget={line.overBudget ? "true" : undefined} className={line.overBudget ? "over-budget" : undefined}>
      <td>
        {line.item}
        {line.overBudget ? <span className="badge over-budget-badge">{t("actuals.variance.overBudget")}</span> : null}
        {line.tbd ? (
          <span className="badge tbd-badge" title={t("actuals.variance.tbdHint")}>
            {t("actuals.variance.tbd")}
          </span>
        ) : null}
      </td>
      <Figures {...line} />
    </tr>
  );

  return (
    <>
      <ScrollTable label={t("actuals.variance.caption")}>
        <table className="table variance-table">
          <caption className="visually-hidden">{t("actuals.variance.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("actuals.variance.item")}</th>
              <th scope="col" className="num">
                {t("actuals.variance.budget")}
              </th>
              <th scope="col" className="num">
                {t("actuals.variance.actual")}
              </th>
              <th scope="col" className="num">
                {t("actuals.variance.variance")}
              </th>
              <th scope="col" className="num">
                {t("actuals.variance.variancePercent")}
              </th>
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => (
              <Fragment key={category.category}>
                <tr className="category-row">
                  <th colSpan={5} scope="rowgroup">
                    {category.category}
                  </th>
                </tr>
                {spendLines.filter((line) => line.category === category.category).map(lineRow)}
                <tr
                  className={`subtotal-row${category.overBudget ? " over-budget" : ""}`}
                  data-category={category.category}
                  data-over-budget={category.overBudget ? "true" : undefined}
                >
                  <td>{t("actuals.variance.subtotal", { category: category.category })}</td>
                  <Figures {...category} />
                </tr>
              </Fragment>
            ))}
            {incomeLines.length > 0 ? (
              <>
                <tr className="category-row">
                  <th colSpan={5} scope="rowgroup">
                    {t("actuals.variance.income")}
                  </th>
                </tr>
                {incomeLines.map(lineRow)}
              </>
            ) : null}
          </tbody>
          <tfoot>
            <tr data-total="spend">
              <th scope="row">{t("actuals.variance.spendTotal")}</th>
              <Figures
                budgetFen={totals.budgetSpendFen}
                actualFen={totals.actualSpendFen}
                varianceFen={spendVariance}
                varianceBasisPoints={basisPoints(spendVariance, totals.budgetSpendFen)}
              />
            </tr>
            <tr data-total="income">
              <th scope="row">{t("actuals.variance.incomeTotal")}</th>
              <Figures
                budgetFen={totals.budgetIncomeFen}
                actualFen={totals.actualIncomeFen}
                varianceFen={incomeVariance}
                varianceBasisPoints={basisPoints(incomeVariance, totals.budgetIncomeFen)}
              />
            </tr>
            <tr data-total="net" className="net-row">
              <th scope="row">{t("actuals.variance.netTotal")}</th>
              <Figures
                budgetFen={totals.budgetNetFen}
                actualFen={totals.actualNetFen}
                varianceFen={totals.varianceFen}
                varianceBasisPoints={totals.varianceBasisPoints}
              />
            </tr>
          </tfoot>
        </table>
      </ScrollTable>
      {unbudgeted.length > 0 ? <Unbudgeted rows={unbudgeted} nameOf={nameOf} /> : null}
    </>
  );
}

function Unbudgeted({ rows, nameOf }: { rows: Variance["unbudgeted"]; nameOf: ReadonlyMap<string, LineName> }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <div className="variance-unbudgeted">
      <h3>{t("actuals.variance.unbudgeted")}</h3>
      <p className="muted">{t("actuals.variance.unbudgetedHint")}</p>
      <ScrollTable label={t("actuals.variance.unbudgeted")}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("actuals.variance.category")}</th>
              <th scope="col">{t("actuals.variance.item")}</th>
              <th scope="col" className="num">
                {t("actuals.variance.actual")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const line = nameOf.get(row.id);
              return (
                <tr key={row.id} data-unbudgeted-line={row.id}>
                  <td>{line?.category ?? "—"}</td>
                  <td>{line?.item ?? t("actuals.variance.deletedLine", { id: row.id })}</td>
                  <td className="num">{money(row.actualFen)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
    </div>
  );
}
