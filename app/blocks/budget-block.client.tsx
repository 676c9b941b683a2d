import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { BudgetLine } from "~/domain/plan-document";
import { useMoney } from "~/components/money";
import { BlockUndoButtons } from "~/components/undo-buttons";
import { useBlockUndoControls } from "~/collab/use-block-undo";
import { useCommentsContext } from "~/collab/use-comments";
import { CommentButton } from "~/components/comments/comment-button";
import type { BlockProps } from "./block-props";
import { GRID_COLUMNS, MAX_PASTE_ROWS, TEXT_LIMITS, groupLines, knownCategories, safeTotals, type GridColumn, type GridErrorCode } from "./budget-grid";
import { NUMERIC, UnsavedNotice, type CellWords } from "./budget-cells.client";
import { BudgetGroupBody } from "./budget-group.client";
import { BudgetRow, type BudgetCellShared } from "./budget-row.client";
import { BudgetRowActions, HoveredRowActions, NEW_CATEGORY } from "./budget-row-actions.client";
import { BudgetToolbar } from "./budget-toolbar.client";
import { BudgetSubtotal, BudgetTotals } from "./budget-totals.client";
import { useBlockRows } from "./use-block-rows";
import { useBudgetClipboard } from "./use-budget-clipboard";
import { useBudgetEditing } from "./use-budget-editing";
import { useBudgetLines } from "./use-budget-lines";
import { BudgetCards } from "./budget-cards.client";
import { PHONE_QUERY, useMediaQuery } from "~/components/use-media-query";

/**
 * The budget (预算明细) block: a spreadsheet of the plan's budget lines grouped by
 * category, with live subtotals and totals. Each committed cell writes only its own key
 * (updateRow), so collaborators editing other cells of the same line keep their change;
 * text that does not parse is refused beside the cell and writes nothing.
 */
export default function BudgetBlock({ doc, editable: mayEdit, people, today }: BlockProps) {
  const { t } = useTranslation();
  const phone = useMediaQuery(PHONE_QUERY);
  const editable = mayEdit && !phone;
  const money = useMoney();
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

  const grid = useBudgetEditing({ doc, editable, lines, order, t });
  const undo = useBlockUndoControls("budget");
  const peopleListId = useId();
  const errorId = useId();

  const itemName = (line: BudgetLine) => line.item || t("budget.untitled");
  const cellLabel = (line: BudgetLine, column: GridColumn) => t("budget.cellLabel", { field: t(`budget.field.${column}`), item: itemName(line) });
  const errorMessage = (code: GridErrorCode, column: GridColumn | null) => {
    const max = code === "tooManyRows" ? MAX_PASTE_ROWS : column !== null && column in TEXT_LIMITS ? TEXT_LIMITS[column as keyof typeof TEXT_LIMITS] : 0;
    return t(column ? [`budget.error.${column}.${code}`, `budget.error.${code}`] : `budget.error.${code}`, { max });
  };

  const { onPaste, onCopy } = useBudgetClipboard({ doc, editable, today, lines, groups, grid, errorMessage, t });
  const structure = useBudgetLines({ doc, today, order, grid, itemName, t });
  const { categoryEdit, setCategoryEdit, movingRowId, submitCategory } = structure;
  const { active, activeLine, problem, tableRef } = grid;

  const rowActions = (line: BudgetLine) => {
    const group = groups.find((candidate) => candidate.category === line.category);
    return (
      <BudgetRowActions
        line={line}
        group={group}
        item={itemName(line)}
        active={active?.rowId === line.id}
        moving={categoryEdit?.kind === "move" && categoryEdit.rowId === line.id}
        categoryOptions={categoryOptions}
        onMove={(step) => group && structure.moveWithinGroup(group, line, step)}
        onPickCategory={(value) => structure.pickCategory(line, value)}
        onRemove={() => void structure.remove(line)}
        onSubmitCategory={(value) => categoryEdit && submitCategory(categoryEdit, value)}
        onCancelCategory={() => setCategoryEdit(null)}
        t={t}
      />
    );
  };

  const shared: BudgetCellShared = { editable, money, words, t, cellLabel, errorMessage, errorId, peopleListId: people.length > 0 ? peopleListId : undefined };
  // Everyone who reads the plan sees the comment column, viewers and locked budgets included.
  const commenting = useCommentsContext() !== null;
  const columnCount = GRID_COLUMNS.length + (editable ? 1 : 0) + (commenting ? 1 : 0);

  if (phone) {
    return (
      <div className="budget-block budget-block-phone" data-editable={false}>
        {mayEdit ? (
          <p className="notice muted-notice" data-budget-phone-readonly="">
            {t("layout.budgetReadOnlyPhone")}
          </p>
        ) : null}
        <BudgetCards
          groups={groups}
          money={money}
          t={t}
          comment={commenting ? (line) => <CommentButton anchor={{ kind: "budgetLine", lineId: line.id }} name={itemName(line)} /> : undefined}
        />
        <div className="budget-footer">
          <BudgetTotals totals={totals} money={money} t={t} />
        </div>
      </div>
    );
  }

  return (
    <div className="budget-block" data-editable={editable} onKeyDown={undo.onKeyDown}>
      {structure.removeDialog}
      <BlockUndoButtons controls={undo} />
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
      {grid.unsaved !== null ? <UnsavedNotice text={grid.unsaved} onDismiss={grid.dismissUnsaved} t={t} /> : null}
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
            {commenting ? <col className="budget-col-comment" /> : null}
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
              {commenting ? (
                <th scope="col" className="budget-comment-head">
                  <span className="visually-hidden">{t("comments.panelTitle")}</span>
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
          {groups.map((group) => (
            <BudgetGroupBody
              key={group.category}
              group={group}
              columnCount={columnCount}
              editable={editable}
              renaming={categoryEdit?.kind === "rename" && categoryEdit.category === group.category}
              onStartRename={() => setCategoryEdit({ kind: "rename", category: group.category })}
              onSubmitRename={(value) => categoryEdit && submitCategory(categoryEdit, value)}
              onCancelRename={() => setCategoryEdit(null)}
              onAddLine={() => structure.addLine(group.category)}
              t={t}
              subtotal={
                <BudgetSubtotal
                  category={group.category}
                  subtotal={totals?.byCategory.find((entry) => entry.category === group.category)}
                  columnCount={columnCount}
                  money={money}
                  t={t}
                />
              }
            >
              {group.lines.map((line) => (
                <BudgetRow
                  key={line.id}
                  line={line}
                  grid={grid}
                  shared={shared}
                  actions={active?.rowId === line.id || movingRowId === line.id ? rowActions(line) : null}
                  comment={commenting ? <CommentButton anchor={{ kind: "budgetLine", lineId: line.id }} name={line.item || t("budget.untitled")} /> : undefined}
                />
              ))}
            </BudgetGroupBody>
          ))}
        </table>
        {editable ? (
          <HoveredRowActions
            tableRef={tableRef}
            ownRowIds={[active?.rowId ?? null, movingRowId]}
            render={(rowId) => {
              const line = grid.lineById(rowId);
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
          <BudgetToolbar
            adding={categoryEdit?.kind === "add"}
            onStartAdd={() => setCategoryEdit({ kind: "add" })}
            onSubmitCategory={(value) => categoryEdit && submitCategory(categoryEdit, value)}
            onCancelCategory={() => setCategoryEdit(null)}
            canAddLine={groups.length > 0}
            onAddLine={() => structure.addLine((activeLine ?? order[order.length - 1])?.category ?? "")}
            t={t}
          />
        ) : null}
        <BudgetTotals totals={totals} money={money} t={t} />
      </div>
    </div>
  );
}
