import { BLOCK_ROOTS, RowIdSchema, type BlockRoot } from "./plan-document";

/**
 * The `cell` a member publishes in awareness: the structured-block cell they have focused or
 * open, so collaborators can outline it. Awareness is client-written, so the server keeps this
 * field only in this bounded shape and drops anything else; browsers read it the same way.
 */
export interface CellPresence {
  block: BlockRoot;
  rowId: string;
  column: string;
}

/** Columns are field names: short, plain identifiers. */
const COLUMN = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/** A valid `cell` value, or null for anything else (missing, oversized, extra keys, unknown block). */
export function parseCellPresence(value: unknown): CellPresence | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const { block, rowId, column, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return null;
  const root = BLOCK_ROOTS.find((candidate) => candidate === block);
  if (!root || !RowIdSchema.safeParse(rowId).success || typeof column !== "string" || !COLUMN.test(column)) return null;
  return { block: root, rowId: rowId as string, column };
}
