import type { TFunction } from "i18next";
import type { BudgetTotals as Totals, CategoryTotals } from "~/domain/budget";
import type { Fen } from "~/domain/money";

/** A category's subtotal row: net under the amount column, spend, income and open prices beside it. */
export function BudgetSubtotal(props: { category: string; subtotal: CategoryTotals | undefined; columnCount: number; money: (amount: Fen) => string; t: TFunction }) {
  const { subtotal, money, t } = props;
  return (
    <tr className="budget-subtotal" data-category-total={props.category}>
      <th scope="row" colSpan={4}>
        {t("budget.subtotal")}
      </th>
      <td className="num" data-subtotal="net">
        {subtotal ? money(subtotal.netFen) : t("budget.overflow")}
      </td>
      <td colSpan={props.columnCount - 5} className="budget-subtotal-detail">
        {subtotal ? (
          <>
            <span data-subtotal="spend">{t("budget.subtotalDetail", { spend: money(subtotal.spendFen), income: money(subtotal.incomeFen) })}</span>
            {subtotal.tbdCount > 0 ? (
              <span className="budget-tbd-flag" data-subtotal="tbd">
                {t("budget.tbdCount", { count: subtotal.tbdCount })}
              </span>
            ) : null}
          </>
        ) : null}
      </td>
    </tr>
  );
}

/** The budget's totals under the grid, or why there are none (a sum past the safe range). */
export function BudgetTotals(props: { totals: Totals | null; money: (amount: Fen) => string; t: TFunction }) {
  const { totals, money, t } = props;
  return totals ? (
    <dl className="budget-totals" aria-label={t("budget.totals.label")}>
      <div>
        <dt>{t("budget.totals.spend")}</dt>
        <dd data-total="spend">{money(totals.spendFen)}</dd>
      </div>
      <div className="is-income">
        <dt>{t("budget.totals.income")}</dt>
        <dd data-total="income">{money(totals.incomeFen)}</dd>
      </div>
      <div className="is-net">
        <dt>{t("budget.totals.net")}</dt>
        <dd data-total="net">{money(totals.netFen)}</dd>
      </div>
      <div className={totals.tbdCount > 0 ? "is-tbd" : undefined}>
        <dt className="visually-hidden">{t("budget.tbd")}</dt>
        <dd data-total="tbd" data-count={totals.tbdCount}>
          {t("budget.tbdCount", { count: totals.tbdCount })}
        </dd>
      </div>
    </dl>
  ) : (
    <p className="budget-problem" role="alert">
      {t("budget.error.totalTooLarge")}
    </p>
  );
}
