import { useLayoutEffect, useState, type KeyboardEvent } from "react";
import type { TFunction } from "i18next";
import { QUARTERS, type BudgetLine } from "~/domain/plan-document";
import { cellText, safeLineAmount, type EditableColumn, type GridColumn } from "./budget-grid";
import { fen, type Fen } from "~/domain/money";

/** One cell of the budget grid, by line and column. */
export interface CellRef {
  rowId: string;
  column: GridColumn;
}

export const NUMERIC: ReadonlySet<GridColumn> = new Set(["quantity", "unitPrice", "amount"]);

export function sameCell(a: CellRef | null, b: CellRef | null): boolean {
  return a !== null && b !== null && a.rowId === b.rowId && a.column === b.column;
}

export function isComposing(event: KeyboardEvent): boolean {
  return event.nativeEvent.isComposing || event.key === "Process" || event.keyCode === 229;
}

/** The fixed words of the cells, translated once per grid render rather than once per cell. */
export interface CellWords {
  tbd: string;
  overflow: string;
  incomeTag: string;
}

/** What a cell shows when it is not being edited. */
export function CellView(props: {
  line: BudgetLine;
  column: GridColumn;
  editable: boolean;
  money: (amount: Fen) => string;
  words: CellWords;
  /** The checkbox's accessible name; only the income cell has one. */
  label: string;
  onToggleIncome: () => void;
}) {
  const { line, column, money, words } = props;
  switch (column) {
    case "unitPrice":
      return line.unitPriceFen === null ? <span className="budget-tbd">{words.tbd}</span> : <>{money(fen(line.unitPriceFen))}</>;
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

/** A cell's value as a collaborator's change shows it: a price formatted as money. */
export function shownValue(line: BudgetLine, column: EditableColumn, money: (amount: Fen) => string, tbd: string): string {
  if (column === "unitPrice") return line.unitPriceFen === null ? tbd : money(fen(line.unitPriceFen));
  return cellText(line, column);
}

/** The input (a select for the quarter) of the cell being edited. */
export function CellEditor(props: {
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

/** Text the budget lock kept from being saved, with a way to copy it before it is dismissed. */
export function UnsavedNotice({ text, onDismiss, t }: { text: string; onDismiss: () => void; t: TFunction }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="budget-unsaved" role="alert" data-unsaved>
      <span>
        {t("presence.unsaved")}
        <span className="budget-unsaved-text">{text}</span>
      </span>
      <button
        type="button"
        className="button small"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? t("presence.copied") : t("presence.copy")}
      </button>
      <button type="button" className="button small ghost" onClick={onDismiss}>
        {t("presence.dismiss")}
      </button>
    </div>
  );
}
