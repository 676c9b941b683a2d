import { createContext, useContext, useEffect, useState } from "react";
import * as Y from "yjs";
import type { Awareness } from "y-protocols/awareness";
import { parseCellPresence, type CellPresence } from "~/domain/cell-presence";
import { BLOCK_ROOTS, blockArray, type BlockRoot } from "~/domain/plan-document";

/** The plan session's awareness, for the structured blocks (null before the session starts). */
export const CellAwarenessContext = createContext<Awareness | null>(null);

export function useCellAwareness(): Awareness | null {
  return useContext(CellAwarenessContext);
}

/** A collaborator on a cell: name and colour as the server stamped them, never client text. */
export interface PeerCell {
  clientId: number;
  name: string;
  color: string;
  rowId: string;
  column: string;
}

const COLOR = /^#[0-9a-fA-F]{3,8}$/;

function identityOf(state: unknown): { name: string; color: string } | null {
  const user = (state as { user?: { name?: unknown; color?: unknown } } | null)?.user;
  if (typeof user?.name !== "string" || user.name === "") return null;
  return { name: user.name, color: typeof user.color === "string" && COLOR.test(user.color) ? user.color : "#888888" };
}

/** Says which cell this member is on (null: none); an unchanged cell sends nothing. */
export function publishCell(awareness: Awareness, cell: CellPresence | null): void {
  const current = parseCellPresence((awareness.getLocalState() as { cell?: unknown } | null)?.cell);
  const same = current === cell || (current !== null && cell !== null && current.block === cell.block && current.rowId === cell.rowId && current.column === cell.column);
  if (!same) awareness.setLocalStateField("cell", cell);
}

/** The cells collaborators are on in one block, live. */
export function usePeerCells(awareness: Awareness | null, block: BlockRoot): readonly PeerCell[] {
  const [peers, setPeers] = useState<readonly PeerCell[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const next: PeerCell[] = [];
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === awareness.clientID) return;
        const cell = parseCellPresence((state as { cell?: unknown }).cell);
        const identity = identityOf(state);
        if (cell?.block === block && identity) next.push({ clientId, ...identity, rowId: cell.rowId, column: cell.column });
      });
      // Cursor moves in rich text change awareness too: re-render only when this block's cells did.
      setPeers((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
    };
    awareness.on("change", update);
    update();
    return () => {
      awareness.off("change", update);
      setPeers([]);
    };
  }, [awareness, block]);
  return peers;
}

/** Per document, the Yjs client that last wrote each row of a block: who changed a cell under an open editor. */
const rowWriters = new WeakMap<Y.Doc, Map<string, number>>();

function writersOf(doc: Y.Doc): Map<string, number> {
  let writers = rowWriters.get(doc);
  if (writers) return writers;
  const map = new Map<string, number>();
  writers = map;
  rowWriters.set(doc, map);
  for (const root of BLOCK_ROOTS) {
    blockArray(doc, root).observeDeep((events, transaction) => {
      const writer = writerOf(transaction);
      if (writer === null) return;
      for (const event of events) {
        const rowId: unknown = event.target instanceof Y.Map ? event.target.get("id") : null;
        if (typeof rowId === "string") map.set(rowId, writer);
      }
    });
  }
  return map;
}

/** The client whose new content a transaction applied (one update from the server is one sender's). */
function writerOf(transaction: Y.Transaction): number | null {
  for (const [client, clock] of transaction.afterState) {
    if (clock > (transaction.beforeState.get(client) ?? 0)) return client;
  }
  return null;
}

/**
 * Who last changed a row of the session's document, by name (null when they are not connected
 * or it was this member). Tracking starts when the block mounts, before any change to name.
 */
export function useRowWriter(): (rowId: string) => string | null {
  const awareness = useCellAwareness();
  useEffect(() => {
    if (awareness) writersOf(awareness.doc);
  }, [awareness]);
  return (rowId) => {
    if (!awareness) return null;
    const client = writersOf(awareness.doc).get(rowId);
    if (client === undefined || client === awareness.clientID) return null;
    return identityOf(awareness.getStates().get(client))?.name ?? null;
  };
}
