import type { ReactNode } from "react";
import type { TFunction } from "i18next";
import type { BudgetLine } from "~/domain/plan-document";
import { GRID_COLUMNS, type GridColumn, type GridErrorCode } from "./budget-grid";
import { CellEditor, CellView, NUMERIC, sameCell, shownValue, type CellWords } from "./budget-cells.client";
import { ConflictPrompt } from "./cell-presence-prompt.client";
import type { BudgetEditing } from "./use-budget-editing";
import type { Fen } from "~/domain/money";

/** What every cell of one grid render shares: made once per render of the block. */
export interface BudgetCellShared {
  editable: boolean;
  money: (amount: Fen) => string;
  words: CellWords;
  t: TFunction;
  cellLabel: (line: BudgetLine, column: GridColumn) => string;
  errorMessage: (code: GridErrorCode, column: GridColumn | null) => string;
  /** The id of the message beside the cell being edited. */
  errorId: string;
  /** The people list's id, for the owner editor; undefined when there is no one to list. */
  peopleListId: string | undefined;
}

/** One line of the grid: its cells, then (when editable) the cell its actions go into. */
export function BudgetRow(props: { line: BudgetLine; grid: BudgetEditing; shared: BudgetCellShared; actions: ReactNode; comment?: ReactNode }) {
  const { line, grid, shared } = props;
  const rowActive = grid.active?.rowId === line.id;
  const rowClasses = ["budget-line", line.income ? "is-income" : "", line.unitPriceFen === null ? "is-tbd" : "", rowActive ? "is-active-row" : ""];
  return (
    <tr data-row-id={line.id} className={rowClasses.filter(Boolean).join(" ")}>
      {GRID_COLUMNS.map((column) => (
        <BudgetCell key={column} line={line} column={column} grid={grid} shared={shared} />
      ))}
      {shared.editable ? (
        <td className="budget-actions">
          <div className="budget-row-actions" data-actions-for={line.id}>
            {props.actions}
          </div>
        </td>
      ) : null}
      {props.comment !== undefined ? <td className="budget-comment">{props.comment}</td> : null}
    </tr>
  );
}

function BudgetCell(props: { line: BudgetLine; column: GridColumn; grid: BudgetEditing; shared: BudgetCellShared }) {
  const { line, column, grid, shared } = props;
  const { active, setActive, editing, cellError, problem, focusCell, editingRef } = grid;
  const { t } = shared;
  const cell = { rowId: line.id, column };
  const isEditing = editing !== null && sameCell(editing, cell);
  const invalidHere = (isEditing && cellError !== null) || sameCell(problem?.cell ?? null, cell);
  const classes = [`budget-cell`, NUMERIC.has(column) ? "num" : "", sameCell(active, cell) ? "is-active" : "", isEditing ? "is-editing" : "", invalidHere ? "is-invalid" : ""];
  return (
    <td
      data-field={column}
      className={classes.filter(Boolean).join(" ")}
      tabIndex={sameCell(focusCell, cell) ? 0 : -1}
      aria-invalid={invalidHere || undefined}
      onFocus={(event) => {
        if (event.target === event.currentTarget && !sameCell(active, cell)) setActive(cell);
      }}
      onKeyDown={(event) => grid.onCellKeyDown(event, line, column)}
      onMouseDown={(event) => grid.onCellMouseDown(event, line, column)}
      onDoubleClick={() => grid.startEdit(line, column, null)}
    >
      {isEditing && editing ? (
        <>
          <CellEditor
            key={`${line.id}-${column}`}
            editorRef={grid.editorRef}
            column={editing.column}
            draft={editing.draft}
            label={shared.cellLabel(line, column)}
            invalid={cellError !== null}
            errorId={shared.errorId}
            listId={column === "owner" ? shared.peopleListId : undefined}
            quarterNone={t("budget.noQuarter")}
            onDraft={grid.onDraft}
            onKeyDown={grid.onEditorKeyDown}
            onBlur={() => {
              if (editingRef.current && sameCell(editingRef.current, cell)) grid.commit("leave");
            }}
          />
          {cellError ? (
            <span className="budget-cell-error" role="alert" id={shared.errorId}>
              {shared.errorMessage(cellError, column)}
            </span>
          ) : null}
          {editing.conflict ? (
            <ConflictPrompt by={editing.conflict.by} value={shownValue(line, editing.column, shared.money, shared.words.tbd)} onChoose={grid.resolveConflict} />
          ) : null}
        </>
      ) : (
        <CellView
          line={line}
          column={column}
          editable={shared.editable}
          money={shared.money}
          words={shared.words}
          label={column === "income" ? shared.cellLabel(line, column) : ""}
          onToggleIncome={() => grid.toggleIncome(line)}
        />
      )}
    </td>
  );
}
