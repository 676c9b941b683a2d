import { useEffect, useLayoutEffect, type RefObject } from "react";
import type { CellPresence } from "~/domain/cell-presence";
import type { BlockRoot } from "~/domain/plan-document";
import { publishCell, useCellAwareness, usePeerCells, type PeerCell } from "~/collab/cell-awareness";

/** The attribute a collaborator's outline and name tag are drawn from (budget.css, timeline.css). */
const PEER_ATTRIBUTE = "data-peer";

/**
 * Cell presence for one block's table: publishes the cell this member has focused or open
 * (a `td[data-field]` inside a `tr[data-row-id]`), and outlines the cells collaborators are on
 * with their name. The outlines are set on the cells directly rather than rendered, so a
 * collaborator moving through a 500-line budget re-renders none of its rows.
 */
export function useCellPresence(block: BlockRoot, tableRef: RefObject<HTMLTableElement | null>): void {
  const awareness = useCellAwareness();
  const peers = usePeerCells(awareness, block);

  useEffect(() => {
    const table = tableRef.current;
    if (!table || !awareness) return;
    const cellOf = (target: EventTarget | null): CellPresence | null => {
      if (!(target instanceof Element) || !table.contains(target)) return null;
      const td = target.closest<HTMLElement>("td[data-field]");
      const rowId = td?.closest<HTMLElement>("tr[data-row-id]")?.dataset.rowId;
      const column = td?.dataset.field;
      return rowId && column ? { block, rowId, column } : null;
    };
    const onFocusIn = (event: FocusEvent) => publishCell(awareness, cellOf(event.target));
    const onFocusOut = (event: FocusEvent) => {
      if (!cellOf(event.relatedTarget)) publishCell(awareness, null);
    };
    // A focused editor that unmounts (a commit, the budget locking) sends no focusout.
    const onTableChange = () => {
      if (!table.contains(document.activeElement)) clearOwn();
    };
    const clearOwn = () => {
      const published = (awareness.getLocalState() as { cell?: { block?: unknown } } | null)?.cell;
      if (published?.block === block) publishCell(awareness, null);
    };
    const observer = new MutationObserver(onTableChange);
    observer.observe(table, { childList: true, subtree: true });
    table.addEventListener("focusin", onFocusIn);
    table.addEventListener("focusout", onFocusOut);
    return () => {
      observer.disconnect();
      table.removeEventListener("focusin", onFocusIn);
      table.removeEventListener("focusout", onFocusOut);
      clearOwn();
    };
  }, [awareness, block, tableRef]);

  useLayoutEffect(() => {
    const table = tableRef.current;
    if (!table) return;
    let marked: HTMLElement[] = [];
    const mark = () => {
      for (const cell of marked) unmark(cell);
      marked = [];
      for (const [cell, onIt] of peerCellsIn(table, peers)) {
        cell.setAttribute(PEER_ATTRIBUTE, onIt.map((peer) => peer.name).join("、"));
        cell.style.setProperty("--peer-color", onIt[0]!.color);
        marked.push(cell);
      }
    };
    mark();
    if (peers.length === 0) return;
    // Rows re-render, open editors and arrive: put the outlines back on whatever cells now hold them.
    const observer = new MutationObserver(mark);
    observer.observe(table, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      for (const cell of marked) unmark(cell);
    };
  }, [peers, tableRef]);
}

function unmark(cell: HTMLElement): void {
  cell.removeAttribute(PEER_ATTRIBUTE);
  cell.style.removeProperty("--peer-color");
}

function peerCellsIn(table: HTMLTableElement, peers: readonly PeerCell[]): Map<HTMLElement, PeerCell[]> {
  const cells = new Map<HTMLElement, PeerCell[]>();
  for (const peer of peers) {
    // Row ids and columns are plain identifiers (parseCellPresence), safe inside a selector.
    const cell = table.querySelector<HTMLElement>(`tr[data-row-id="${peer.rowId}"] > td[data-field="${peer.column}"]`);
    if (cell) cells.set(cell, [...(cells.get(cell) ?? []), peer]);
  }
  return cells;
}
