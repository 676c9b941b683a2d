import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { flushSync } from "react-dom";
import type { TFunction } from "i18next";
import type * as Y from "yjs";
import { updateRow, type BudgetLine } from "~/domain/plan-document";
import { GRID_COLUMNS, cellText, commitCell, isEditable, moveCell, parseQuarterCell, tabCell, type CellPosition, type EditableColumn, type GridColumn, type GridErrorCode, type GridMove } from "./budget-grid";
import { isComposing, sameCell, type CellRef } from "./budget-cells.client";
import { useCellPresence } from "./cell-presence";
import { useRowWriter } from "~/collab/cell-awareness";

export interface Editing {
  rowId: string;
  column: EditableColumn;
  draft: string;
  /** The cell's text when editing began: an untouched draft writes nothing, so it cannot undo a collaborator's change. */
  initial: string;
  /** A collaborator saved this cell while it was open: nothing is written until the member chooses. */
  conflict: { by: string | null } | null;
}

export interface PasteProblem {
  message: string;
  /** The existing cell the bad text would have gone to, to mark it. */
  cell: CellRef | null;
}

/**
 * The grid's keyboard and pointer state: the active cell, the open edit and its draft, the
 * refused-text messages, and committing or cancelling an edit. Each committed cell writes only
 * its own key (updateRow); text that does not parse is refused beside the cell and writes nothing.
 */
export function useBudgetEditing({ doc, editable, lines, order, t }: { doc: Y.Doc; editable: boolean; lines: readonly BudgetLine[]; order: readonly BudgetLine[]; t: TFunction }) {
  const [active, setActive] = useState<CellRef | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [cellError, setCellError] = useState<GridErrorCode | null>(null);
  const [problem, setProblem] = useState<PasteProblem | null>(null);
  /** Text typed into a cell when the budget locked under it (submitted for approval): kept to copy, never written. */
  const [unsaved, setUnsaved] = useState<string | null>(null);

  // Handlers read the edit through a ref: a blur that follows a commit must see it already finished.
  const editingRef = useRef<Editing | null>(null);
  const editorRef = useRef<HTMLInputElement | HTMLSelectElement | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const focusPending = useRef(false);
  useCellPresence("budget", tableRef);
  const rowWriter = useRowWriter();

  const lineById = (id: string) => lines.find((line) => line.id === id);

  const activeLine = active ? lineById(active.rowId) : undefined;
  const focusCell: CellRef | null = activeLine && active ? active : order[0] ? { rowId: order[0].id, column: "item" } : null;

  function setEdit(next: Editing | null) {
    editingRef.current = next;
    setEditing(next);
  }

  // The budget locked while a cell was open: close the edit during this render, before a blur of
  // the unmounting editor could write it, and keep what was typed to show and copy.
  if (!editable && editing) {
    editingRef.current = null;
    setEditing(null);
    setCellError(null);
    if (editing.draft !== editing.initial) setUnsaved(editing.draft);
  }

  // A collaborator saved the open cell: show their value and ask before writing over it.
  useEffect(() => {
    const edit = editingRef.current;
    const line = edit ? lines.find((candidate) => candidate.id === edit.rowId) : undefined;
    if (!edit || !line) return;
    const now = cellText(line, edit.column);
    if (now === edit.initial) return;
    const conflict = edit.draft === now ? null : { by: rowWriter(line.id) };
    setEdit({ ...edit, initial: now, conflict });
  });

  // The cell keeps the keyboard between edits; only moves the person made take it there.
  useEffect(() => {
    if (!focusPending.current || editing || !active) return;
    focusPending.current = false;
    tableRef.current?.querySelector<HTMLElement>(`tr[data-row-id="${active.rowId}"] td[data-field="${active.column}"]`)?.focus();
  });

  // A collaborator deleted the line being edited: say so rather than lose the text silently.
  useEffect(() => {
    if (editing && !lines.some((line) => line.id === editing.rowId)) {
      editingRef.current = null;
      setEditing(null);
      setCellError(null);
      setProblem({ message: t("budget.rowGone"), cell: null });
    }
  }, [editing, lines, t]);

  function activate(cell: CellRef) {
    setActive(cell);
    focusPending.current = true;
  }

  function goTo(position: CellPosition | null) {
    const line = position ? order[position.row] : undefined;
    const column = position ? GRID_COLUMNS[position.column] : undefined;
    if (line && column) activate({ rowId: line.id, column });
  }

  function positionOf(cell: CellRef): CellPosition {
    return { row: order.findIndex((line) => line.id === cell.rowId), column: GRID_COLUMNS.indexOf(cell.column) };
  }

  function startEdit(line: BudgetLine, column: GridColumn, typed: string | null) {
    if (!editable || !isEditable(column) || column === "income") return;
    const initial = cellText(line, column);
    let draft = typed ?? initial;
    if (column === "quarter" && typed !== null) {
      const quarter = parseQuarterCell(typed);
      draft = quarter.ok ? quarter.value : initial;
    }
    setActive({ rowId: line.id, column });
    setProblem(null);
    setCellError(null);
    setEdit({ rowId: line.id, column, draft, initial, conflict: null });
  }

  /** Writes the edit if it parses; false (and the message beside the cell) if it does not. */
  function commit(then: "down" | "up" | "tab" | "tabBack" | "leave"): boolean {
    const edit = editingRef.current;
    if (!edit) return true;
    if (edit.conflict) return false;
    const line = lineById(edit.rowId);
    if (!line) {
      setEdit(null);
      setProblem({ message: t("budget.rowGone"), cell: null });
      return false;
    }
    if (edit.draft !== edit.initial) {
      const result = commitCell(line, edit.column, edit.draft, lines);
      if (!result.ok) {
        setCellError(result.code);
        return false;
      }
      updateRow(doc, "budget", line.id, result.value);
    }
    setEdit(null);
    setCellError(null);
    const from = positionOf(edit);
    if (then === "down" || then === "up") goTo(moveCell(from, then, order.length));
    else if (then === "tab" || then === "tabBack") goTo(tabCell(from, then === "tabBack", order.length) ?? from);
    return true;
  }

  /** The member's answer to a conflict: write their draft over the collaborator's value, or keep it. */
  function resolveConflict(choice: "mine" | "theirs") {
    const edit = editingRef.current;
    if (!edit) return;
    if (choice === "theirs") {
      cancelEdit();
      return;
    }
    setEdit({ ...edit, conflict: null });
    if (!commit("leave")) editorRef.current?.focus();
  }

  function cancelEdit() {
    const edit = editingRef.current;
    setEdit(null);
    setCellError(null);
    if (edit) activate(edit);
  }

  function toggleIncome(line: BudgetLine) {
    // A click on the checkbox while a refused edit stays open must not change anything either.
    if (editable && !editingRef.current) updateRow(doc, "budget", line.id, { income: !line.income });
  }

  function onCellKeyDown(event: KeyboardEvent<HTMLTableCellElement>, line: BudgetLine, column: GridColumn) {
    if (event.target !== event.currentTarget) return;
    const from = positionOf({ rowId: line.id, column });
    const arrows: Record<string, GridMove> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right", Home: "home", End: "end" };
    const move = arrows[event.key];
    if (move) {
      event.preventDefault();
      goTo(moveCell(from, move, order.length));
      return;
    }
    if (event.key === "Tab") {
      // Past the row's ends the keyboard leaves the grid, to the row's actions or beyond.
      const next = moveCell(from, event.shiftKey ? "left" : "right", order.length);
      if (next.column === from.column) return;
      event.preventDefault();
      goTo(next);
      return;
    }
    if (event.key === "Escape") {
      setProblem(null);
      return;
    }
    if (!editable) return;
    if (column === "income") {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggleIncome(line);
      }
      return;
    }
    if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      startEdit(line, column, null);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      startEdit(line, column, "");
    } else if (isComposing(event)) {
      // An input method is starting: open the editor now so the composition lands in it.
      flushSync(() => startEdit(line, column, ""));
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      startEdit(line, column, event.key);
    }
  }

  function onCellMouseDown(event: MouseEvent<HTMLTableCellElement>, line: BudgetLine, column: GridColumn) {
    const cell = { rowId: line.id, column };
    // Read-only cells take focus the ordinary way, so text can still be selected and copied.
    if (!editable || event.button !== 0 || sameCell(editingRef.current, cell)) return;
    // Keep focus from jumping to the checkbox or off the editor until the edit is settled.
    event.preventDefault();
    if (!commit("leave")) {
      editorRef.current?.focus();
      return;
    }
    activate(cell);
  }

  function onEditorKeyDown(event: KeyboardEvent<HTMLInputElement | HTMLSelectElement>) {
    if (isComposing(event)) return;
    if (event.key === "Enter") {
      event.preventDefault();
      commit(event.shiftKey ? "up" : "down");
    } else if (event.key === "Tab") {
      event.preventDefault();
      commit(event.shiftKey ? "tabBack" : "tab");
    } else if (event.key === "Escape") {
      event.preventDefault();
      cancelEdit();
    }
  }

  function onDraft(draft: string) {
    const edit = editingRef.current;
    if (!edit) return;
    setEdit({ ...edit, draft });
    const line = lineById(edit.rowId);
    if (cellError && line && commitCell(line, edit.column, draft, lines).ok) setCellError(null);
  }

  return {
    active,
    setActive,
    activeLine,
    focusCell,
    editing,
    editingRef,
    setEdit,
    cellError,
    setCellError,
    problem,
    setProblem,
    unsaved,
    dismissUnsaved: () => setUnsaved(null),
    editorRef,
    tableRef,
    lineById,
    activate,
    startEdit,
    commit,
    cancelEdit,
    resolveConflict,
    toggleIncome,
    onCellKeyDown,
    onCellMouseDown,
    onEditorKeyDown,
    onDraft,
  };
}

export type BudgetEditing = ReturnType<typeof useBudgetEditing>;
