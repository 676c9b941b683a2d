import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from "react";
import { createPortal, flushSync } from "react-dom";
import { useTranslation } from "react-i18next";
import type { Fen } from "../domain/money";
import { blankRow, insertRow, moveRow, QUARTERS, removeRow, renameCategory, updateRow, type BudgetLine } from "../domain/plan-rows";
import { DEFAULT_LOCALE, LocaleSchema } from "../domain/roles";
import { formatMoney } from "../i18n/format";
import type { BlockProps } from "./block-props";
import {
  GRID_COLUMNS,
  MAX_PASTE_ROWS,
  applyPaste,
  TEXT_LIMITS,
  arrayIndexOf,
  cellText,
  commitCell,
  groupLines,
  insertIndexFor,
  isEditable,
  knownCategories,
  moveCell,
  parseCategoryName,
  parseQuarterCell,
  parseTsv,
  planPaste,
  safeLineAmount,
  safeTotals,
  tabCell,
  tsvCell,
  type BudgetGroup,
  type CellPosition,
  type EditableColumn,
  type GridColumn,
  type GridErrorCode,
  type GridMove,
} from "./budget-grid";
import { useBlockRows } from "./use-block-rows";

interface CellRef {
  rowId: string;
  column: GridColumn;
}

interface Editing {
  rowId: string;
  column: EditableColumn;
  draft: string;
  /** The cell's text when editing began: an untouched draft writes nothing, so it cannot undo a collaborator's change. */
  initial: string;
}

interface PasteProblem {
  message: string;
  /** The existing cell the bad text would have gone to, to mark it. */
  cell: CellRef | null;
}

type CategoryEdit = { kind: "rename"; category: string } | { kind: "add" } | { kind: "move"; rowId: string };

/** The option value that opens the new-category input; a category name never holds a NUL. */
const NEW_CATEGORY = "\u0000new";

const NUMERIC: ReadonlySet<GridColumn> = new Set(["quantity", "unitPrice", "amount"]);

function sameCell(a: CellRef | null, b: CellRef | null): boolean {
  return a !== null && b !== null && a.rowId === b.rowId && a.column === b.column;
}

function isComposing(event: KeyboardEvent): boolean {
  return event.nativeEvent.isComposing || event.key === "Process" || event.keyCode === 229;
}

/**
 * The budget (预算明细) block: a spreadsheet of the plan's budget lines grouped by
 * category, with live subtotals and totals. Each committed cell writes only its own key
 * (updateRow), so collaborators editing other cells of the same line keep their change;
 * text that does not parse is refused beside the cell and writes nothing.
 */
export default function BudgetBlock({ doc, editable, people, today }: BlockProps) {
  const { t, i18n } = useTranslation();
  const locale = LocaleSchema.safeParse(i18n.language).data ?? DEFAULT_LOCALE;
  const money = (amount: number) => formatMoney(amount as Fen, locale);
  const { rows: lines, invalid } = useBlockRows(doc, "budget");
  const groups = useMemo(() => groupLines(lines), [lines]);
  /** The lines in the order they are shown: the grid's rows. */
  const order = useMemo(() => groups.flatMap((group) => group.lines), [groups]);
  const totals = useMemo(() => safeTotals(lines), [lines]);
  const categories = useMemo(() => knownCategories(lines), [lines]);
  // Every shown category menu lists the same options: built once per change of the categories.
  const categoryOptions = useMemo(
    () => [
      ...categories.map((category) => (
        <option key={category} value={category}>
          {category || t("budget.uncategorized")}
        </option>
      )),
      <option key={NEW_CATEGORY} value={NEW_CATEGORY}>
        {t("budget.newCategoryOption")}
      </option>,
    ],
    [categories, t],
  );
  const words = useMemo<CellWords>(() => ({ tbd: t("budget.tbd"), overflow: t("budget.overflow"), incomeTag: t("budget.incomeTag") }), [t]);

  const [active, setActive] = useState<CellRef | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [cellError, setCellError] = useState<GridErrorCode | null>(null);
  const [problem, setProblem] = useState<PasteProblem | null>(null);
  const [categoryEdit, setCategoryEdit] = useState<CategoryEdit | null>(null);

  // Handlers read the edit through a ref: a blur that follows a commit must see it already finished.
  const editingRef = useRef<Editing | null>(null);
  const editorRef = useRef<HTMLInputElement | HTMLSelectElement | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const focusPending = useRef(false);
  const peopleListId = useId();
  const errorId = useId();

  const lineById = (id: string) => lines.find((line) => line.id === id);
  const itemName = (line: BudgetLine) => line.item || t("budget.untitled");
  const cellLabel = (line: BudgetLine, column: GridColumn) => t("budget.cellLabel", { field: t(`budget.field.${column}`), item: itemName(line) });
  const errorMessage = (code: GridErrorCode, column: GridColumn | null) => {
    const max = code === "tooManyRows" ? MAX_PASTE_ROWS : column !== null && column in TEXT_LIMITS ? TEXT_LIMITS[column as keyof typeof TEXT_LIMITS] : 0;
    return t(column ? [`budget.error.${column}.${code}`, `budget.error.${code}`] : `budget.error.${code}`, { max });
  };

  const activeLine = active ? lineById(active.rowId) : undefined;
  const focusCell: CellRef | null = activeLine && active ? active : order[0] ? { rowId: order[0].id, column: "item" } : null;

  function setEdit(next: Editing | null) {
    editingRef.current = next;
    setEditing(next);
  }

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
    setEdit({ rowId: line.id, column, draft, initial });
  }

  /** Writes the edit if it parses; false (and the message beside the cell) if it does not. */
  function commit(then: "down" | "up" | "tab" | "tabBack" | "leave"): boolean {
    const edit = editingRef.current;
    if (!edit) return true;
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

  function addLine(category: string) {
    const id = insertRow(doc, "budget", { ...blankRow("budget", today), category }, insertIndexFor(doc, category));
    setProblem(null);
    setCellError(null);
    setActive({ rowId: id, column: "item" });
    setEdit({ rowId: id, column: "item", draft: "", initial: "" });
  }

  function moveWithinGroup(group: BudgetGroup, line: BudgetLine, step: -1 | 1) {
    const neighbour = group.lines[group.lines.indexOf(line) + step];
    if (neighbour) moveRow(doc, "budget", line.id, arrayIndexOf(doc, neighbour.id));
  }

  function remove(line: BudgetLine) {
    if (!window.confirm(t("budget.removeConfirm", { item: itemName(line) }))) return;
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

  /** Move, change category and remove, for the active line and the line under the pointer. */
  function rowActions(line: BudgetLine): ReactNode {
    const group = groups.find((candidate) => candidate.category === line.category);
    const index = group ? group.lines.indexOf(line) : -1;
    const item = itemName(line);
    const changeCategoryLabel = t("budget.changeCategory", { item });
    if (categoryEdit?.kind === "move" && categoryEdit.rowId === line.id) {
      return <CategoryInput initial="" label={changeCategoryLabel} onSubmit={(value) => submitCategory(categoryEdit, value)} onCancel={() => setCategoryEdit(null)} />;
    }
    const tabIndex = active?.rowId === line.id ? 0 : -1;
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
          onClick={() => group && moveWithinGroup(group, line, -1)}
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
          onClick={() => group && moveWithinGroup(group, line, 1)}
        >
          ↓
        </button>
        <select
          className="budget-category-select"
          tabIndex={tabIndex}
          aria-label={changeCategoryLabel}
          title={changeCategoryLabel}
          value={line.category}
          onChange={(event) => {
            const value = event.target.value;
            if (value === NEW_CATEGORY) setCategoryEdit({ kind: "move", rowId: line.id });
            else updateRow(doc, "budget", line.id, { category: value });
          }}
        >
          {categoryOptions}
        </select>
        <button type="button" className="budget-icon-button danger" tabIndex={tabIndex} title={removeLabel} aria-label={removeLabel} onClick={() => remove(line)}>
          ✕
        </button>
      </>
    );
  }

  function renderCell(line: BudgetLine, column: GridColumn): ReactNode {
    const cell = { rowId: line.id, column };
    const isEditing = editing !== null && sameCell(editing, cell);
    const invalidHere = (isEditing && cellError !== null) || sameCell(problem?.cell ?? null, cell);
    const classes = [`budget-cell`, NUMERIC.has(column) ? "num" : "", sameCell(active, cell) ? "is-active" : "", isEditing ? "is-editing" : "", invalidHere ? "is-invalid" : ""];
    return (
      <td
        key={column}
        data-field={column}
        className={classes.filter(Boolean).join(" ")}
        tabIndex={sameCell(focusCell, cell) ? 0 : -1}
        aria-invalid={invalidHere || undefined}
        onFocus={(event) => {
          if (event.target === event.currentTarget && !sameCell(active, cell)) setActive(cell);
        }}
        onKeyDown={(event) => onCellKeyDown(event, line, column)}
        onMouseDown={(event) => onCellMouseDown(event, line, column)}
        onDoubleClick={() => startEdit(line, column, null)}
      >
        {isEditing && editing ? (
          <>
            <CellEditor
              key={`${line.id}-${column}`}
              editorRef={editorRef}
              column={editing.column}
              draft={editing.draft}
              label={cellLabel(line, column)}
              invalid={cellError !== null}
              errorId={errorId}
              listId={column === "owner" && people.length > 0 ? peopleListId : undefined}
              quarterNone={t("budget.noQuarter")}
              onDraft={onDraft}
              onKeyDown={onEditorKeyDown}
              onBlur={() => {
                if (editingRef.current && sameCell(editingRef.current, cell)) commit("leave");
              }}
            />
            {cellError ? (
              <span className="budget-cell-error" role="alert" id={errorId}>
                {errorMessage(cellError, column)}
              </span>
            ) : null}
          </>
        ) : (
          <CellView
            line={line}
            column={column}
            editable={editable}
            money={money}
            words={words}
            label={column === "income" ? cellLabel(line, column) : ""}
            onToggleIncome={() => toggleIncome(line)}
          />
        )}
      </td>
    );
  }

  const columnCount = GRID_COLUMNS.length + (editable ? 1 : 0);

  return (
    <div className="budget-block" data-editable={editable}>
      {editable ? <p className="budget-hint">{t("budget.hint")}</p> : null}
      {invalid.length > 0 ? (
        <p className="notice warning" role="status">
          {t("budget.invalidRows", { count: invalid.length })}
        </p>
      ) : null}
      {problem ? (
        <p className="budget-problem" role="alert">
          {problem.message}
        </p>
      ) : null}
      <div className="budget-scroll">
        <table
          ref={tableRef}
          className="budget-table"
          data-block="budget"
          role="grid"
          aria-label={t("budget.caption")}
          aria-readonly={!editable || undefined}
          onPaste={onPaste}
          onCopy={onCopy}
        >
          <colgroup>
            {GRID_COLUMNS.map((column) => (
              <col key={column} className={`budget-col-${column}`} />
            ))}
            {editable ? <col className="budget-col-actions" /> : null}
          </colgroup>
          <thead>
            <tr>
              {GRID_COLUMNS.map((column) => (
                <th key={column} scope="col" data-field={column} className={NUMERIC.has(column) ? "num" : undefined}>
                  {t(`budget.header.${column}`)}
                </th>
              ))}
              {editable ? (
                <th scope="col" className="budget-actions-head">
                  <span className="visually-hidden">{t("budget.header.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          {groups.length === 0 ? (
            <tbody>
              <tr>
                <td colSpan={columnCount} className="budget-empty">
                  {t("budget.empty")}
                </td>
              </tr>
            </tbody>
          ) : null}
          {groups.map((group) => {
            const subtotal = totals?.byCategory.find((entry) => entry.category === group.category);
            const name = group.category || t("budget.uncategorized");
            const renaming = categoryEdit?.kind === "rename" && categoryEdit.category === group.category;
            return (
              <tbody key={group.category} className="budget-group" data-category={group.category}>
                <tr className="budget-group-head">
                  <th colSpan={columnCount} scope="rowgroup">
                    <div className="budget-group-bar">
                      {renaming ? (
                        <CategoryInput
                          initial={group.category}
                          label={t("budget.renameCategory", { category: name })}
                          onSubmit={(value) => submitCategory(categoryEdit, value)}
                          onCancel={() => setCategoryEdit(null)}
                        />
                      ) : (
                        <>
                          <span className="budget-group-name">{name}</span>
                          <span className="budget-group-count">{t("budget.lineCount", { count: group.lines.length })}</span>
                          {editable ? (
                            <span className="budget-group-actions">
                              <button
                                type="button"
                                className="budget-icon-button"
                                title={t("budget.renameCategory", { category: name })}
                                aria-label={t("budget.renameCategory", { category: name })}
                                onClick={() => setCategoryEdit({ kind: "rename", category: group.category })}
                              >
                                ✎
                              </button>
                              <button type="button" className="button small ghost" aria-label={t("budget.addLineTo", { category: name })} onClick={() => addLine(group.category)}>
                                + {t("budget.addLine")}
                              </button>
                            </span>
                          ) : null}
                        </>
                      )}
                    </div>
                  </th>
                </tr>
                {group.lines.map((line) => {
                  const rowActive = active?.rowId === line.id;
                  const rowClasses = ["budget-line", line.income ? "is-income" : "", line.unitPriceFen === null ? "is-tbd" : "", rowActive ? "is-active-row" : ""];
                  return (
                    <tr key={line.id} data-row-id={line.id} className={rowClasses.filter(Boolean).join(" ")}>
                      {GRID_COLUMNS.map((column) => renderCell(line, column))}
                      {editable ? (
                        <td className="budget-actions">
                          <div className="budget-row-actions" data-actions-for={line.id}>
                            {rowActive || movingRowId === line.id ? rowActions(line) : null}
                          </div>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
                <tr className="budget-subtotal" data-category-total={group.category}>
                  <th scope="row" colSpan={4}>
                    {t("budget.subtotal")}
                  </th>
                  <td className="num" data-subtotal="net">
                    {subtotal ? money(subtotal.netFen) : t("budget.overflow")}
                  </td>
                  <td colSpan={columnCount - 5} className="budget-subtotal-detail">
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
              </tbody>
            );
          })}
        </table>
        {editable ? (
          <HoveredRowActions
            tableRef={tableRef}
            ownRowIds={[active?.rowId ?? null, movingRowId]}
            render={(rowId) => {
              const line = lineById(rowId);
              return line ? rowActions(line) : null;
            }}
          />
        ) : null}
      </div>
      {people.length > 0 ? (
        <datalist id={peopleListId}>
          {people.map((person) => (
            <option key={person.id} value={person.name} />
          ))}
        </datalist>
      ) : null}
      <div className="budget-footer">
        {editable ? (
          <div className="budget-footer-actions">
            {categoryEdit?.kind === "add" ? (
              <CategoryInput
                initial=""
                label={t("budget.categoryName")}
                onSubmit={(value) => submitCategory(categoryEdit, value)}
                onCancel={() => setCategoryEdit(null)}
              />
            ) : (
              <button type="button" className="button small" onClick={() => setCategoryEdit({ kind: "add" })}>
                + {t("budget.addCategory")}
              </button>
            )}
            {groups.length > 0 ? (
              <button type="button" className="button small" onClick={() => addLine((activeLine ?? order[order.length - 1])?.category ?? "")}>
                + {t("budget.addLine")}
              </button>
            ) : null}
          </div>
        ) : null}
        {totals ? (
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
        )}
      </div>
    </div>
  );
}

/**
 * The actions of the line under the pointer, rendered into that line's actions cell. Only the
 * active line renders its own: when every line did, a 500-line budget carried 2,000 controls,
 * nearly all never touched, and styling and laying them out was a third of the page's load.
 * Kept while focus is inside them (an open category menu), so the pointer leaving the line
 * does not pull them away.
 */
function HoveredRowActions(props: { tableRef: RefObject<HTMLTableElement>; ownRowIds: readonly (string | null)[]; render: (rowId: string) => ReactNode }) {
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

/** The fixed words of the cells, translated once per grid render rather than once per cell. */
interface CellWords {
  tbd: string;
  overflow: string;
  incomeTag: string;
}

function CellView(props: {
  line: BudgetLine;
  column: GridColumn;
  editable: boolean;
  money: (amount: number) => string;
  words: CellWords;
  /** The checkbox's accessible name; only the income cell has one. */
  label: string;
  onToggleIncome: () => void;
}) {
  const { line, column, money, words } = props;
  switch (column) {
    case "unitPrice":
      return line.unitPriceFen === null ? <span className="budget-tbd">{words.tbd}</span> : <>{money(line.unitPriceFen)}</>;
    case "amount": {
      const amount = safeLineAmount(line);
      if (amount === null) return <span className="budget-tbd">{words.tbd}</span>;
      if (amount === "overflow") return <span className="budget-overflow">{words.overflow}</span>;
      return (
        <>
          {line.income ? <span className="budget-income-tag">{words.incomeTag}</span> : null}
          <span className="budget-amount">{money(amount)}</span>
        </>
      );
    }
    case "income":
      return props.editable ? (
        <input type="checkbox" tabIndex={-1} checked={line.income} aria-label={props.label} onChange={props.onToggleIncome} />
      ) : line.income ? (
        <span className="budget-check">
          <span aria-hidden="true">✓</span>
          <span className="visually-hidden">{words.incomeTag}</span>
        </span>
      ) : null;
    case "note":
      return (
        <span className="budget-clamp" title={line.note || undefined}>
          {line.note}
        </span>
      );
    case "item":
    case "quantity":
    case "unit":
    case "owner":
    case "quarter":
      return <>{cellText(line, column)}</>;
  }
}

function CellEditor(props: {
  editorRef: { current: HTMLInputElement | HTMLSelectElement | null };
  column: EditableColumn;
  draft: string;
  label: string;
  invalid: boolean;
  errorId: string;
  listId: string | undefined;
  quarterNone: string;
  onDraft: (draft: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement | HTMLSelectElement>) => void;
  onBlur: () => void;
}) {
  const { editorRef } = props;
  // Focus in the same frame the editor appears, so the keystroke (or input method) that opened it lands here.
  useLayoutEffect(() => {
    const element = editorRef.current;
    element?.focus();
    if (element instanceof HTMLInputElement) element.setSelectionRange(element.value.length, element.value.length);
  }, [editorRef]);
  const shared = {
    "aria-label": props.label,
    "aria-invalid": props.invalid || undefined,
    "aria-describedby": props.invalid ? props.errorId : undefined,
    className: "budget-editor",
    onKeyDown: props.onKeyDown,
    onBlur: props.onBlur,
  };
  if (props.column === "quarter") {
    return (
      <select
        {...shared}
        ref={(element) => {
          editorRef.current = element;
        }}
        value={props.draft}
        onChange={(event) => props.onDraft(event.target.value)}
      >
        {QUARTERS.map((quarter) => (
          <option key={quarter} value={quarter}>
            {quarter || props.quarterNone}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...shared}
      ref={(element) => {
        editorRef.current = element;
      }}
      type="text"
      inputMode={props.column === "quantity" || props.column === "unitPrice" ? "decimal" : undefined}
      list={props.listId}
      autoComplete="off"
      value={props.draft}
      onChange={(event) => props.onDraft(event.target.value)}
    />
  );
}

function CategoryInput(props: { initial: string; label: string; onSubmit: (name: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(props.initial);
  const [code, setCode] = useState<GridErrorCode | null>(null);
  const errorId = useId();
  const submit = () => {
    const parsed = parseCategoryName(draft);
    if (parsed.ok) props.onSubmit(parsed.value);
    else setCode(parsed.code);
  };
  return (
    <span className="budget-category-input">
      <input
        type="text"
        autoFocus
        value={draft}
        aria-label={props.label}
        placeholder={t("budget.categoryName")}
        aria-invalid={code !== null || undefined}
        aria-describedby={code ? errorId : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          if (code && parseCategoryName(event.target.value).ok) setCode(null);
        }}
        onKeyDown={(event) => {
          if (isComposing(event)) return;
          if (event.key === "Enter") {
            event.preventDefault();
            submit();
          } else if (event.key === "Escape") {
            event.preventDefault();
            props.onCancel();
          }
        }}
      />
      <button type="button" className="button small primary" onClick={submit}>
        {t("budget.save")}
      </button>
      <button type="button" className="button small ghost" onClick={props.onCancel}>
        {t("budget.cancel")}
      </button>
      {code ? (
        <span className="budget-cell-error static" role="alert" id={errorId}>
          {t(`budget.error.${code}`, { max: TEXT_LIMITS.category })}
        </span>
      ) : null}
    </span>
  );
}
