import * as Y from "yjs";
import { BLOCK_ROOTS, blockArray, type BlockRoot } from "~/domain/plan-document";

/**
 * Changes closer together than this are one undo step: one committed cell, one paste
 * (written in several transactions to stay under the message limit), one row move.
 */
export const CAPTURE_TIMEOUT_MS = 500;

export type UndoAction = "undo" | "redo";

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

const NOTHING: UndoState = { canUndo: false, canRedo: false };

/**
 * Undo and redo of one member's own changes to the structured blocks (timeline, roles,
 * budget, KPIs) of one plan document.
 *
 * Only transactions whose origin is null are recorded: the plan-document mutators write
 * with `doc.transact` and no origin, while the y-websocket provider applies everything
 * from the server with itself as origin (and y-indexeddb with its own), so neither a
 * collaborator's edit nor a server-side change such as a restore is ever undone here.
 * Yjs also refuses to bring back a cell value someone has overwritten since.
 *
 * One Y.UndoManager per block, not one for all: Ctrl+Z in the timeline must not reach
 * into a budget the member is not looking at, and a locked budget must not block undoing
 * the other blocks. Lives exactly as long as its document (a resync brings a new one).
 */
export class BlockUndo {
  readonly #managers: ReadonlyMap<BlockRoot, Y.UndoManager>;
  readonly #listeners = new Set<() => void>();
  /** A stable object per block until its stacks change, as React's useSyncExternalStore needs. */
  readonly #states = new Map<BlockRoot, UndoState>();

  /** `captureTimeout`: tests pass 0 to make every transaction a step of its own. */
  constructor(
    readonly doc: Y.Doc,
    { captureTimeout = CAPTURE_TIMEOUT_MS }: { captureTimeout?: number } = {},
  ) {
    this.#managers = new Map(
      BLOCK_ROOTS.map((root) => {
        const manager = new Y.UndoManager(blockArray(doc, root), { captureTimeout, trackedOrigins: new Set([null]) });
        const changed = () => this.#changed(root);
        manager.on("stack-item-added", changed);
        manager.on("stack-item-popped", changed);
        manager.on("stack-cleared", changed);
        return [root, manager];
      }),
    );
  }

  state(root: BlockRoot): UndoState {
    let state = this.#states.get(root);
    if (!state) {
      const manager = this.#managers.get(root);
      state = manager ? { canUndo: manager.canUndo(), canRedo: manager.canRedo() } : NOTHING;
      this.#states.set(root, state);
    }
    return state;
  }

  /** Undoes or redoes this member's last step in one block; false when nothing changed. */
  run(root: BlockRoot, action: UndoAction): boolean {
    const manager = this.#managers.get(root);
    if (!manager) return false;
    return (action === "undo" ? manager.undo() : manager.redo()) !== null;
  }

  /** Bound, so React's useSyncExternalStore keeps one subscription per instance. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  destroy(): void {
    for (const manager of this.#managers.values()) {
      manager.destroy();
      // Y.UndoManager leaves its listener on the document, which outlives it after a remount.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- Yjs binds destroy in the constructor: this is the function it registered.
      this.doc.off("destroy", manager.destroy);
    }
    this.#listeners.clear();
  }

  #changed(root: BlockRoot): void {
    const before = this.#states.get(root);
    this.#states.delete(root);
    const after = this.state(root);
    if (before && before.canUndo === after.canUndo && before.canRedo === after.canRedo) {
      this.#states.set(root, before);
      return;
    }
    for (const listener of this.#listeners) listener();
  }
}

/**
 * The undo shortcut a key press asks for: Ctrl+Z / ⌘Z undo; Ctrl+Shift+Z, ⌘⇧Z and
 * Ctrl+Y redo. The physical key counts when the layout does not type Latin letters.
 */
export function undoShortcut(event: { key: string; code: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): UndoAction | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const letter = /^[a-z]$/i.test(event.key) ? event.key.toLowerCase() : event.code === "KeyZ" ? "z" : event.code === "KeyY" ? "y" : "";
  if (letter === "z") return event.shiftKey ? "redo" : "undo";
  if (letter === "y" && !event.shiftKey) return "redo";
  return null;
}
