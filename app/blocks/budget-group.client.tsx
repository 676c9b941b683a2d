import type { ReactNode } from "react";
import type { TFunction } from "i18next";
import type { BudgetGroup } from "./budget-grid";
import { CategoryInput } from "./budget-category-input.client";

/** One category of the grid: its heading (name, line count, rename and add-line), its lines, then its subtotal. */
export function BudgetGroupBody(props: {
  group: BudgetGroup;
  columnCount: number;
  editable: boolean;
  /** The category's name is being typed anew. */
  renaming: boolean;
  onStartRename: () => void;
  onSubmitRename: (name: string) => void;
  onCancelRename: () => void;
  onAddLine: () => void;
  t: TFunction;
  /** The lines' rows. */
  children: ReactNode;
  subtotal: ReactNode;
}) {
  const { group, columnCount, t } = props;
  const name = group.category || t("budget.uncategorized");
  return (
    <tbody className="budget-group" data-category={group.category}>
      <tr className="budget-group-head">
        <th colSpan={columnCount} scope="rowgroup">
          <div className="budget-group-bar">
            {props.renaming ? (
              <CategoryInput initial={group.category} label={t("budget.renameCategory", { category: name })} onSubmit={props.onSubmitRename} onCancel={props.onCancelRename} />
            ) : (
              <>
                <span className="budget-group-name">{name}</span>
                <span className="budget-group-count">{t("budget.lineCount", { count: group.lines.length })}</span>
                {props.editable ? (
                  <span className="budget-group-actions">
                    <button
                      type="button"
                      className="budget-icon-button"
                      title={t("budget.renameCategory", { category: name })}
                      aria-label={t("budget.renameCategory", { category: name })}
                      onClick={props.onStartRename}
                    >
                      ✎
                    </button>
                    <button type="button" className="button small ghost" aria-label={t("budget.addLineTo", { category: name })} onClick={props.onAddLine}>
                      + {t("budget.addLine")}
                    </button>
                  </span>
                ) : null}
              </>
            )}
          </div>
        </th>
      </tr>
      {props.children}
      {props.subtotal}
    </tbody>
  );
}
