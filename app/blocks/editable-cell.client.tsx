import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as Y from "yjs";
import { blockArray, moveRow, type BlockRoot, type CellErrorCode } from "~/domain/plan-document";
import { useRowWriter } from "~/collab/cell-awareness";
import type { Person } from "./block-props";
import { ConflictPrompt } from "./cell-presence-prompt.client";

/**
 * Table cells shared by the timeline, roles and KPI blocks. A text cell keeps what the
 * member types as a local draft and writes it only on blur or Enter, through the block's
 * `onCommit`; a refusal stays beside the cell (role="alert") with the draft kept for
 * fixing, and nothing is written. Escape drops the draft and shows the stored value. When a
 * collaborator saves the cell while a draft is open, the cell shows their value and writes
 * nothing until the member chooses between theirs and the draft.
 */

/** What a commit answers: null when written, otherwise the message to show beside the cell. */
export type CommitResult = string | null;

/** The Chinese (or English) message for a cell parser's refusal. */
export function useCellMessage(): (code: CellErrorCode | "cycle" | "yearOutOfRange" | "rowGone", values?: Record<string, unknown>) => string {
  const { t } = useTranslation();
  return (code, values) => t(`timeline.errors.${code}`, values ?? {});
}

export function CellError({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <span id={id} role="alert" className="cell-error">
      {message}
    </span>
  ) : null;
}

interface TextCellProps {
  value: string;
  /** The input's accessible name, e.g. 任务（第 3 行）. */
  label: string;
  onCommit: (text: string) => CommitResult;
  multiline?: boolean;
  type?: "text" | "date";
  /** Id of a <datalist> to suggest from. */
  list?: string;
  placeholder?: string;
  title?: string;
  className?: string;
  /** Shown after the input (a 待定 badge, a member mark). */
  adornment?: ReactNode;
}

export function TextCell({ value, label, onCommit, multiline = false, type = "text", list, placeholder, title, className, adornment }: TextCellProps) {
  const [draft, setDraft] = useState<string | null>(null);
  /** The stored value when the draft began. */
  const [base, setBase] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const cellRef = useRef<HTMLDivElement>(null);
  const rowWriter = useRowWriter();
  const conflict = draft !== null && value !== base && draft !== value;

  const write = (text: string) => {
    const refusal = onCommit(text);
    setError(refusal);
    if (refusal === null) setDraft(null);
  };
  const commit = () => {
    if (draft !== null && !conflict) write(draft);
  };
  const revert = () => {
    setDraft(null);
    setError(null);
  };
  const edit = (text: string) => {
    if (draft === null) setBase(value);
    setDraft(text);
  };
  const resolve = (choice: "mine" | "theirs") => {
    if (choice === "theirs" || draft === null) {
      revert();
      return;
    }
    // Theirs is now what the draft replaces: a refusal of the draft then reads as one, not as the conflict.
    setBase(value);
    write(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      revert();
    } else if (event.key === "Enter" && !event.nativeEvent.isComposing && (!multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      commit();
    }
  };
  const shared = {
    "aria-label": label,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    // Ctrl+Z undoes the typing while a draft is open, and the block's last change once it is written.
    "data-draft": draft !== null || undefined,
    value: draft ?? value,
    placeholder,
    title,
    onBlur: commit,
    onKeyDown,
  };
  const rowId = cellRef.current?.closest<HTMLElement>("tr[data-row-id]")?.dataset.rowId;
  return (
    <div ref={cellRef} className={`cell-edit${className ? ` ${className}` : ""}`}>
      <div className="cell-control">
        {multiline ? (
          <textarea {...shared} rows={Math.min(6, Math.max(2, (draft ?? value).split("\n").length))} onChange={(e) => edit(e.target.value)} />
        ) : (
          <input {...shared} type={type} list={list} onChange={(e) => edit(e.target.value)} />
        )}
        {adornment}
      </div>
      <CellError id={errorId} message={error} />
      {conflict ? <ConflictPrompt by={rowId ? rowWriter(rowId) : null} value={value} onChoose={resolve} /> : null}
    </div>
  );
}

/** A select that writes on change; a refused choice snaps back and says why beside it. */
export function SelectCell<V extends string>({
  value,
  label,
  options,
  onCommit,
}: {
  value: V;
  label: string;
  options: readonly { value: V; label: string; disabled?: boolean }[];
  onCommit: (value: V) => CommitResult;
}) {
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  return (
    <div className="cell-edit">
      <select
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={value}
        onChange={(e) => setError(onCommit(e.target.value as V))}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      <CellError id={errorId} message={error} />
    </div>
  );
}

/** A cell naming a person: a member when the text is exactly a member's name, otherwise free text. */
export function matchPerson(people: readonly Person[], text: string): { name: string; userId: number | null } {
  const name = text.trim();
  const member = people.find((person) => person.name === name);
  return { name, userId: member ? member.id : null };
}

/** The name a person cell shows: the member's current name when linked, else the stored text. */
export function personName(people: readonly Person[], userId: number | null, text: string): string {
  return (userId !== null ? people.find((person) => person.id === userId)?.name : undefined) ?? text;
}

export function PeopleList({ id, people }: { id: string; people: readonly Person[] }) {
  return (
    <datalist id={id}>
      {people.map((person) => (
        <option key={person.id} value={person.name} />
      ))}
    </datalist>
  );
}

/**
 * Moves a row past its visible neighbour. Rows the schema skipped still sit in the Y.Array,
 * so the target is the neighbour's index there, not in the list on screen.
 */
export function moveRowBy(doc: Y.Doc, root: BlockRoot, rows: readonly { id: string }[], index: number, delta: -1 | 1): void {
  const row = rows[index];
  const neighbour = rows[index + delta];
  if (!row || !neighbour) return;
  const to = blockArray(doc, root)
    .toArray()
    .findIndex((entry) => entry instanceof Y.Map && entry.get("id") === neighbour.id);
  if (to >= 0) moveRow(doc, root, row.id, to);
}

export function RowActions({
  row,
  count,
  index,
  onMove,
  onRemove,
}: {
  /** Label of the row, e.g. 第 3 行, for the buttons' accessible names. */
  row: number;
  count: number;
  index: number;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const name = (action: string) => t("timeline.cellLabel", { column: t(`timeline.${action}`), row });
  return (
    <div className="row-actions">
      <button type="button" title={t("timeline.moveUp")} aria-label={name("moveUp")} disabled={index === 0} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" title={t("timeline.moveDown")} aria-label={name("moveDown")} disabled={index === count - 1} onClick={() => onMove(1)}>
        ↓
      </button>
      <button type="button" className="danger" title={t("timeline.remove")} aria-label={name("remove")} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}
