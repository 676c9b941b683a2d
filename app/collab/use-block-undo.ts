import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import type * as Y from "yjs";
import type { BlockRoot } from "~/domain/plan-document";
import { BlockUndo, undoShortcut, type UndoAction, type UndoState } from "./block-undo";

/** The session's block undo, made for each document and destroyed with it (a resync brings a new one). */
export function useBlockUndo(doc: Y.Doc | undefined): BlockUndo | null {
  const [undo, setUndo] = useState<BlockUndo | null>(null);
  useEffect(() => {
    if (!doc) return;
    const next = new BlockUndo(doc);
    setUndo(next);
    return () => next.destroy();
  }, [doc]);
  // Until the effect has run for a new document, the old one's is gone.
  return undo?.doc === doc ? undo : null;
}

export interface BlockUndoScope {
  /** Null for members who cannot edit the plan (viewers, a closed connection): they have no undo. */
  undo: BlockUndo | null;
  /** The budget is in review or approved: its changes can be neither undone nor redone. */
  budgetLocked: boolean;
}

export const BlockUndoContext = createContext<BlockUndoScope>({ undo: null, budgetLocked: false });

const NOTHING: UndoState = { canUndo: false, canRedo: false };
const noSubscription = () => () => {};

export interface BlockUndoControls {
  /** False: show no undo at all. */
  available: boolean;
  state: UndoState;
  /** Why undo is refused here (the budget is locked), or null. */
  refusal: "budgetLocked" | null;
  run: (action: UndoAction) => void;
  /**
   * For the block's container: Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo the block's step. A key
   * pressed in an open cell editor is left to the browser's own text undo.
   */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  /** Set when a shortcut was refused: the block shows it. */
  refused: boolean;
}

/**
 * A text field is an open cell editor when it is the budget grid's editor or holds text
 * not yet written to the document; the always-visible inputs of the timeline, roles and
 * KPI tables mark a pending draft with `data-draft`.
 */
function inOpenCellEditor(target: EventTarget): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.classList.contains("budget-editor")) return true;
  return (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) && target.dataset.draft === "true";
}

export function useBlockUndoControls(root: BlockRoot): BlockUndoControls {
  const { undo, budgetLocked } = useContext(BlockUndoContext);
  const state = useSyncExternalStore(
    undo ? undo.subscribe : noSubscription,
    () => (undo ? undo.state(root) : NOTHING),
    () => NOTHING,
  );
  const refusal = root === "budget" && budgetLocked ? "budgetLocked" : null;
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    if (refusal === null) setRefused(false);
  }, [refusal]);

  const run = useCallback(
    (action: UndoAction) => {
      if (!undo) return;
      if (refusal) {
        setRefused(true);
        return;
      }
      undo.run(root, action);
    },
    [undo, refusal, root],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const action = undoShortcut(event);
      if (!action || !undo || event.defaultPrevented || inOpenCellEditor(event.target)) return;
      event.preventDefault();
      run(action);
    },
    [undo, run],
  );

  return { available: undo !== null, state: refusal ? NOTHING : state, refusal, run, onKeyDown, refused };
}
