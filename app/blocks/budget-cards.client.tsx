import type { ReactNode } from "react";
import type { TFunction } from "i18next";
import { fen, type Fen } from "~/domain/money";
import type { BudgetLine } from "~/domain/plan-document";
import { cellText, safeLineAmount, type BudgetGroup } from "./budget-grid";

/**
 * The budget on a phone: each line a card (item and amount first, then quantity × price), grouped by
 * category. Twelve grid columns cannot be read at 390 px, let alone edited; this view is read-only.
 */
export function BudgetCards(props: {
  groups: readonly BudgetGroup[];
  money: (amount: Fen) => string;
  t: TFunction;
  comment?: (line: BudgetLine) => ReactNode;
}) {
  const { groups, money, t } = props;
  if (groups.length === 0) return <p className="budget-cards-empty muted">{t("budget.empty")}</p>;
  return (
    <div className="budget-cards" data-block="budget">
      {groups.map((group) => (
        <section key={group.category} className="budget-cards-group" data-category={group.category}>
          <h3>
            {group.category || t("budget.uncategorized")} <span className="budget-group-count">{t("budget.lineCount", { count: group.lines.length })}</span>
          </h3>
          <ul>
            {group.lines.map((line) => (
              <li key={line.id} className="budget-card" data-line-id={line.id}>
                <div className="budget-card-head">
                  <span className="budget-card-item">
                    {line.income ? <span className="budget-income-tag">{t("budget.incomeTag")}</span> : null}
                    {line.item || t("budget.untitled")}
                  </span>
                  <span className="budget-card-amount">{amountText(line, money, t)}</span>
                </div>
                <div className="budget-card-meta">
                  <span>
                    {cellText(line, "quantity")} {line.unit} × {line.unitPriceFen === null ? t("budget.tbd") : money(fen(line.unitPriceFen))}
                  </span>
                  {line.owner ? <span>{line.owner}</span> : null}
                  {line.quarter ? <span>{line.quarter}</span> : null}
                  {props.comment?.(line)}
                </div>
                {line.note ? <p className="budget-card-note">{line.note}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function amountText(line: BudgetLine, money: (amount: Fen) => string, t: TFunction): string {
  const amount = safeLineAmount(line);
  if (amount === null) return t("budget.tbd");
  if (amount === "overflow") return t("budget.overflow");
  return money(amount);
}
