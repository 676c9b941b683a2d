import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { blankRow, insertRow, type BlockRoot } from "~/domain/plan-document";
import { useCellPresence } from "./cell-presence";
import { useBlockUndoControls } from "~/collab/use-block-undo";
import { BlockUndoButtons } from "~/components/undo-buttons";
import { ScrollTable } from "~/components/scroll-table";

type TableRoot = Exclude<BlockRoot, "budget">;

export interface RowTableProps {
  doc: Y.Doc;
  root: TableRoot;
  columns: readonly string[];
  /** i18n prefix holding `columns.*`, `empty` and `add`: "timeline", "timeline.roles", "timeline.kpis". */
  textKey: string;
  editable: boolean;
  today: string;
  /** Row ids in document order: a new row's `focusColumn` cell takes the focus once it arrives. */
  rowIds: readonly string[];
  focusColumn: string;
  invalidCount: number;
  children: ReactNode;
}

/**
 * The shell the timeline, roles and KPI tables share: header, empty state, the add
 * button, focus on a row this member just added, and collaborators' cells.
 */
export function RowTable({ doc, root, columns, textKey, editable, today, rowIds, focusColumn, invalidCount, children }: RowTableProps) {
  const { t } = useTranslation();
  const tableRef = useRef<HTMLTableElement>(null);
  const focusNext = useRef<string | null>(null);
  useCellPresence(root, tableRef);
  const undo = useBlockUndoControls(root);

  useEffect(() => {
    const id = focusNext.current;
    if (!id) return;
    const input = tableRef.current?.querySelector<HTMLInputElement>(`tr[data-row-id="${id}"] td[data-field="${focusColumn}"] input`);
    if (input) {
      focusNext.current = null;
      input.focus();
    }
  }, [rowIds, focusColumn]);

  return (
    <>
      <BlockUndoButtons controls={undo} />
      {invalidCount > 0 ? <p className="notice warning">{t("timeline.invalidRows", { count: invalidCount })}</p> : null}
      {/* The wrapper catches undo keys from the cells; the scroll box (with its 左右滑动 hint) is named for screen readers. */}
      <div onKeyDown={undo.onKeyDown}>
      <ScrollTable className="block-scroll" pinFirst={false} label={t(`a11y.blockTable.${root}`)}>
        <table className={`block-table ${root}-table`} data-block={root} ref={tableRef}>
          <thead>
            <tr>
              <th className="col-index" scope="col">
                #
              </th>
              {columns.map((column) => (
                <th key={column} scope="col" className={`col-${column}`}>
                  {t(`${textKey}.columns.${column}`)}
                </th>
              ))}
              {editable ? (
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">{t(`${textKey}.columns.actions`)}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {children}
            {rowIds.length === 0 ? (
              <tr className="block-empty">
                <td colSpan={columns.length + (editable ? 2 : 1)}>{t(`${textKey}.empty`)}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollTable>
      </div>
      {editable ? (
        <button
          type="button"
          className="button small block-add"
          onClick={() => {
            focusNext.current = insertRow(doc, root, blankRow(root, today));
          }}
        >
          + {t(`${textKey}.add`)}
        </button>
      ) : null}
    </>
  );
}
