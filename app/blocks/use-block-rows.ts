import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { blockArray, readBlock, type BlockRoot, type BlockRows, type RowOf } from "~/domain/plan-document";

function sameRow(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.is(left[key], right[key]));
}

/**
 * `next`, keeping `previous`'s object for every row that did not change, and `previous` itself
 * when nothing did: a re-read that finds nothing new (the one on subscribing, or a resync to
 * the same content) then costs no render, where it used to render every line of the block again.
 */
export function shareUnchanged<T extends { id: string }>(previous: BlockRows<T>, next: BlockRows<T>): BlockRows<T> {
  const before = new Map(previous.rows.map((row) => [row.id, row]));
  let changed = previous.rows.length !== next.rows.length || JSON.stringify(previous.invalid) !== JSON.stringify(next.invalid);
  const rows = next.rows.map((row, index) => {
    const old = before.get(row.id);
    if (!old || !sameRow(old, row)) {
      changed = true;
      return row;
    }
    if (previous.rows[index] !== old) changed = true;
    return old;
  });
  return changed ? { rows, invalid: next.invalid } : previous;
}

/** The live, validated rows of one block: re-read on every change to its root, from anyone. */
export function useBlockRows<R extends BlockRoot>(doc: Y.Doc, root: R): BlockRows<RowOf[R]> {
  const [rows, setRows] = useState(() => readBlock(doc, root));
  useEffect(() => {
    const array = blockArray(doc, root);
    const update = () => {
      const next = readBlock(doc, root);
      setRows((previous) => shareUnchanged(previous, next));
    };
    array.observeDeep(update);
    // The document may have changed (or been replaced after a resync) since the first render.
    update();
    return () => array.unobserveDeep(update);
  }, [doc, root]);
  return rows;
}
