import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { blockArray, readBlock, type BlockRoot, type BlockRows, type RowOf } from "../domain/plan-rows";

/** The live, validated rows of one block: re-read on every change to its root, from anyone. */
export function useBlockRows<R extends BlockRoot>(doc: Y.Doc, root: R): BlockRows<RowOf[R]> {
  const [rows, setRows] = useState(() => readBlock(doc, root));
  useEffect(() => {
    const array = blockArray(doc, root);
    const update = () => setRows(readBlock(doc, root));
    array.observeDeep(update);
    update();
    return () => array.unobserveDeep(update);
  }, [doc, root]);
  return rows;
}
