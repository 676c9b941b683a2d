import { useState } from "react";
import type { TFunction } from "i18next";
import type * as Y from "yjs";
import { useConfirm } from "~/components/dialogs";
import { blankRow, insertRow, moveRow, removeRow, renameCategory, updateRow, type BudgetLine } from "~/domain/plan-document";
import { arrayIndexOf, insertIndexFor, type BudgetGroup } from "./budget-grid";
import { NEW_CATEGORY } from "./budget-row-actions.client";
import type { BudgetEditing } from "./use-budget-editing";

export type CategoryEdit = { kind: "rename"; category: string } | { kind: "add" } | { kind: "move"; rowId: string };

/**
 * The grid's structure: adding, moving and removing lines, and renaming, adding and changing
 * categories (with the category name being typed, when one is).
 */
export function useBudgetLines({
  doc,
  today,
  order,
  grid,
  itemName,
  t,
}: {
  doc: Y.Doc;
  today: string;
  order: readonly BudgetLine[];
  grid: BudgetEditing;
  itemName: (line: BudgetLine) => string;
  t: TFunction;
}) {
  const { active, setActive, editingRef, setEdit, setProblem, setCellError } = grid;
  const [categoryEdit, setCategoryEdit] = useState<CategoryEdit | null>(null);
  const [confirm, removeDialog] = useConfirm();

  function addLine(category: string) {
    const id = insertRow(doc, "budget", { ...blankRow("budget", today), category }, insertIndexFor(doc, category));
    setProblem(null);
    setCellError(null);
    setActive({ rowId: id, column: "item" });
    setEdit({ rowId: id, column: "item", draft: "", initial: "", conflict: null });
  }

  function moveWithinGroup(group: BudgetGroup, line: BudgetLine, step: -1 | 1) {
    const neighbour = group.lines[group.lines.indexOf(line) + step];
    if (neighbour) moveRow(doc, "budget", line.id, arrayIndexOf(doc, neighbour.id));
  }

  async function remove(line: BudgetLine) {
    if (!(await confirm({ message: t("budget.removeConfirm", { item: itemName(line) }), confirmLabel: t("budget.remove", { item: itemName(line) }), danger: true }))) return;
    if (editingRef.current?.rowId === line.id) setEdit(null);
    if (active?.rowId === line.id) {
      const index = order.indexOf(line);
      const neighbour = order[index + 1] ?? order[index - 1];
      setActive(neighbour ? { rowId: neighbour.id, column: active.column } : null);
    }
    removeRow(doc, "budget", line.id);
  }

  function submitCategory(edit: CategoryEdit, name: string) {
    setCategoryEdit(null);
    if (edit.kind === "rename" && name !== edit.category) renameCategory(doc, edit.category, name);
    else if (edit.kind === "add") addLine(name);
    else if (edit.kind === "move") updateRow(doc, "budget", edit.rowId, { category: name });
  }

  const movingRowId = categoryEdit?.kind === "move" ? categoryEdit.rowId : null;

  /** The category menu of a line: a known category moves it there; the last option asks for a new one. */
  function pickCategory(line: BudgetLine, value: string) {
    if (value === NEW_CATEGORY) setCategoryEdit({ kind: "move", rowId: line.id });
    else updateRow(doc, "budget", line.id, { category: value });
  }

  return { categoryEdit, setCategoryEdit, movingRowId, addLine, moveWithinGroup, remove, submitCategory, pickCategory, removeDialog };
}
