import type { ClipboardEvent } from "react";
import type { TFunction } from "i18next";
import type * as Y from "yjs";
import type { BudgetLine } from "~/domain/plan-document";
import { GRID_COLUMNS, applyPaste, cellText, insertIndexFor, parseTsv, planPaste, tsvCell, type BudgetGroup, type GridColumn, type GridErrorCode } from "./budget-grid";
import type { CellRef } from "./budget-cells.client";
import type { BudgetEditing } from "./use-budget-editing";

/**
 * Copy and paste on the grid: a copy takes the active cell's text; a paste of tab-separated text
 * is planned from the active (or edited) cell down its category (planPaste) and written in one
 * go, or refused with a message and the bad cell marked.
 */
export function useBudgetClipboard({
  doc,
  editable,
  today,
  lines,
  groups,
  grid,
  errorMessage,
  t,
}: {
  doc: Y.Doc;
  editable: boolean;
  today: string;
  lines: readonly BudgetLine[];
  groups: readonly BudgetGroup[];
  grid: BudgetEditing;
  errorMessage: (code: GridErrorCode, column: GridColumn | null) => string;
  t: TFunction;
}) {
  const { editingRef, active, activeLine, lineById, cancelEdit, setProblem, activate } = grid;

  function onPaste(event: ClipboardEvent<HTMLTableElement>) {
    if (!editable) return;
    const text = event.clipboardData.getData("text/plain");
    const edit = editingRef.current;
    // Plain text pasted into the cell being edited is the input's business.
    if (edit && !/[\t\r\n]/.test(text)) return;
    const anchor: CellRef | null = edit ?? (activeLine ? active : null);
    const line = anchor ? lineById(anchor.rowId) : undefined;
    if (!anchor || !line) return;
    event.preventDefault();
    if (edit) cancelEdit();
    const group = groups.find((candidate) => candidate.category === line.category);
    const below = group ? group.lines.slice(group.lines.indexOf(line)) : [line];
    const plan = planPaste(parseTsv(text), { lines: below, planLines: lines, startColumn: GRID_COLUMNS.indexOf(anchor.column), category: line.category, today });
    if (!plan.ok) {
      const { row, column, code, text: bad } = plan.error;
      const message = errorMessage(code, column);
      const target = below[row - 1];
      setProblem({
        message: column ? t("budget.pasteRefused", { row, field: t(`budget.field.${column}`), text: bad, message }) : t("budget.pasteRefusedRow", { row, message }),
        cell: target && column ? { rowId: target.id, column } : null,
      });
      return;
    }
    applyPaste(doc, plan, insertIndexFor(doc, line.category));
    setProblem(null);
    activate(anchor);
  }

  function onCopy(event: ClipboardEvent<HTMLTableElement>) {
    const selection = window.getSelection();
    if (editingRef.current || !activeLine || !active || (selection && !selection.isCollapsed)) return;
    event.preventDefault();
    event.clipboardData.setData("text/plain", tsvCell(cellText(activeLine, active.column)));
  }

  return { onPaste, onCopy };
}
