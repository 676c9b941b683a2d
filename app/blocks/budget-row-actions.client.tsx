import { useEffect, useState, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";
import type { TFunction } from "i18next";
import type { BudgetLine } from "~/domain/plan-document";
import type { BudgetGroup } from "./budget-grid";
import { CategoryInput } from "./budget-category-input.client";

/** The option value that opens the new-category input; a category name never holds a NUL. */
export const NEW_CATEGORY = "\u0000new";

/** Move, change category and remove, for the active line and the line under the pointer. */
export function BudgetRowActions(props: {
  line: BudgetLine;
  group: BudgetGroup | undefined;
  /** The line's name as the labels say it. */
  item: string;
  /** The line is the active one: its actions are in the tab order. */
  active: boolean;
  /** The line is being moved to a new category: its actions are that category's input. */
  moving: boolean;
  categoryOptions: ReactNode;
  onMove: (step: -1 | 1) => void;
  onPickCategory: (value: string) => void;
  onRemove: () => void;
  onSubmitCategory: (name: string) => void;
  onCancelCategory: () => void;
  t: TFunction;
}) {
  const { line, group, item, t } = props;
  const index = group ? group.lines.indexOf(line) : -1;
  const changeCategoryLabel = t("budget.changeCategory", { item });
  if (props.moving) {
    return <CategoryInput initial="" label={changeCategoryLabel} onSubmit={props.onSubmitCategory} onCancel={props.onCancelCategory} />;
  }
  const tabIndex = props.active ? 0 : -1;
  const moveUpLabel = t("budget.moveUp", { item });
  const moveDownLabel = t("budget.moveDown", { item });
  const removeLabel = t("budget.remove", { item });
  return (
    <>
      <button
        type="button"
        className="budget-icon-button"
        tabIndex={tabIndex}
        title={moveUpLabel}
        aria-label={moveUpLabel}
        disabled={!group || index <= 0}
        onClick={() => group && props.onMove(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="budget-icon-button"
        tabIndex={tabIndex}
        title={moveDownLabel}
        aria-label={moveDownLabel}
        disabled={!group || index === group.lines.length - 1}
        onClick={() => group && props.onMove(1)}
      >
        ↓
      </button>
      <select
        className="budget-category-select"
        tabIndex={tabIndex}
        aria-label={changeCategoryLabel}
        title={changeCategoryLabel}
        value={line.category}
        onChange={(event) => props.onPickCategory(event.target.value)}
      >
        {props.categoryOptions}
      </select>
      <button type="button" className="budget-icon-button danger" tabIndex={tabIndex} title={removeLabel} aria-label={removeLabel} onClick={props.onRemove}>
        ✕
      </button>
    </>
  );
}

/**
 * The actions of the line under the pointer, rendered into that line's actions cell. Only the
 * active line renders its own: when every line did, a 500-line budget carried 2,000 controls,
 * nearly all never touched, and styling and laying them out was a third of the page's load.
 * Kept while focus is inside them (an open category menu), so the pointer leaving the line
 * does not pull them away.
 */
export function HoveredRowActions(props: { tableRef: RefObject<HTMLTableElement>; ownRowIds: readonly (string | null)[]; render: (rowId: string) => ReactNode }) {
  const { tableRef } = props;
  const [holder, setHolder] = useState<HTMLElement | null>(null);
  useEffect(() => {
    const table = tableRef.current;
    if (!table) return;
    const show = (next: HTMLElement | null) => setHolder((current) => next ?? (current?.contains(document.activeElement) ? current : null));
    const onOver = (event: globalThis.MouseEvent) => {
      const row = event.target instanceof Element ? event.target.closest("tr[data-row-id]") : null;
      show(row?.querySelector<HTMLElement>(".budget-row-actions") ?? null);
    };
    const onLeave = () => show(null);
    const onFocusOut = (event: FocusEvent) => {
      setHolder((current) => (current && !current.contains(event.relatedTarget as Node | null) && !current.closest("tr")?.matches(":hover") ? null : current));
    };
    table.addEventListener("mouseover", onOver);
    table.addEventListener("mouseleave", onLeave);
    table.addEventListener("focusout", onFocusOut);
    return () => {
      table.removeEventListener("mouseover", onOver);
      table.removeEventListener("mouseleave", onLeave);
      table.removeEventListener("focusout", onFocusOut);
    };
  }, [tableRef]);
  const rowId = holder?.dataset.actionsFor;
  if (!holder?.isConnected || !rowId || props.ownRowIds.includes(rowId)) return null;
  return createPortal(props.render(rowId), holder);
}
