import type { TFunction } from "i18next";
import { CategoryInput } from "./budget-category-input.client";

/** The buttons under the grid: add a category (its name typed in place) and add a line. */
export function BudgetToolbar(props: {
  /** A new category's name is being typed. */
  adding: boolean;
  onStartAdd: () => void;
  onSubmitCategory: (name: string) => void;
  onCancelCategory: () => void;
  /** There is a category to add a line to. */
  canAddLine: boolean;
  onAddLine: () => void;
  t: TFunction;
}) {
  const { t } = props;
  return (
    <div className="budget-footer-actions">
      {props.adding ? (
        <CategoryInput initial="" label={t("budget.categoryName")} onSubmit={props.onSubmitCategory} onCancel={props.onCancelCategory} />
      ) : (
        <button type="button" className="button small" onClick={props.onStartAdd}>
          + {t("budget.addCategory")}
        </button>
      )}
      {props.canAddLine ? (
        <button type="button" className="button small" onClick={props.onAddLine}>
          + {t("budget.addLine")}
        </button>
      ) : null}
    </div>
  );
}
