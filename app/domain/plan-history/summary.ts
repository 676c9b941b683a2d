import type * as Y from "yjs";
import type { Fen } from "~/domain/money";
import {
  BLOCK_ROOTS,
  readBlock,
  readPlanDoc,
  sectionFragment,
  totalsOf,
  type BlockRoot,
  type RowOf,
} from "~/domain/plan-document";

/**
 * Comparing two plan documents (版本历史): what a version changed against the one before
 * it, and what the current document would change to become a version again. Both read the
 * documents only through the plan-document readers, so a malformed entry is skipped the
 * same way everywhere.
 */

export const VERSION_KINDS = ["auto", "named", "submitted", "approved", "reopened", "restored"] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export interface TotalsFigures {
  spendFen: Fen;
  incomeFen: Fen;
  netFen: Fen;
  tbdCount: number;
}

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
}

export interface VersionSummary {
  /** Section titles (as they read after the change) whose text changed, was added or removed. */
  sections: { added: string[]; changed: string[]; removed: string[] };
  /** Rows of each structured block added / changed / removed against the previous version. */
  blocks: Record<BlockRoot, ChangeCounts>;
  totals: { before: TotalsFigures; after: TotalsFigures };
}

/** From `base` to `other`: "added" is in `other` only, "removed" in `base` only. */
export type Change = "added" | "removed" | "changed" | "same";

export interface RowComparison<T> {
  row: T;
  change: Change;
  /** The cells that differ, for "changed". */
  fields: string[];
}

export interface SectionComparison {
  id: string;
  title: string;
  change: Change;
}

export interface DocComparison {
  /** `other`'s sections in its order, then the ones only `base` has. */
  sections: SectionComparison[];
  blocks: { [R in BlockRoot]: RowComparison<RowOf[R]>[] };
  totals: { base: TotalsFigures; other: TotalsFigures };
}

/** Rows by id: `other`'s rows in its order, each compared with `base`'s row of that id, then `base`'s rows `other` lacks. */
export function compareRows<T extends { id: string }>(base: readonly T[], other: readonly T[]): RowComparison<T>[] {
  const before = new Map(base.map((row) => [row.id, row]));
  const kept = new Set<string>();
  const result: RowComparison<T>[] = other.map((row) => {
    const old = before.get(row.id);
    if (!old) return { row, change: "added", fields: [] };
    kept.add(row.id);
    const fields = differingFields(old, row);
    return { row, change: fields.length > 0 ? "changed" : "same", fields };
  });
  for (const row of base) if (!kept.has(row.id)) result.push({ row, change: "removed", fields: [] });
  return result;
}

function differingFields(a: object, b: object): string[] {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].filter((key) => key !== "id" && !sameValue(left[key], right[key]));
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function figures(doc: Y.Doc): TotalsFigures {
  const { spendFen, incomeFen, netFen, tbdCount } = totalsOf(readBlock(doc, "budget").rows);
  return { spendFen, incomeFen, netFen, tbdCount };
}

/** A section changed when its heading or its rich text did (block sections keep their rows in the blocks). */
export function compareDocs(base: Y.Doc, other: Y.Doc): DocComparison {
  const baseSections = new Map(readPlanDoc(base).sections.map((s) => [s.id, s]));
  const sections: SectionComparison[] = [];
  const seen = new Set<string>();
  for (const section of readPlanDoc(other).sections) {
    seen.add(section.id);
    const old = baseSections.get(section.id);
    const change: Change = !old
      ? "added"
      : old.heading !== section.heading || sectionFragment(base, section.id).toString() !== sectionFragment(other, section.id).toString()
        ? "changed"
        : "same";
    sections.push({ id: section.id, title: section.heading, change });
  }
  for (const [id, section] of baseSections) if (!seen.has(id)) sections.push({ id, title: section.heading, change: "removed" });
  const block = <R extends BlockRoot>(root: R) => compareRows(readBlock(base, root).rows, readBlock(other, root).rows);
  return {
    sections,
    blocks: { timeline: block("timeline"), roles: block("roles"), budget: block("budget"), kpis: block("kpis") },
    totals: { base: figures(base), other: figures(other) },
  };
}

function counts(rows: readonly { change: Change }[]): ChangeCounts {
  const count = (change: Change) => rows.filter((row) => row.change === change).length;
  return { added: count("added"), changed: count("changed"), removed: count("removed") };
}

/** What `next` changed against `previous` (an empty document for a plan's first version). */
export function summarize(previous: Y.Doc, next: Y.Doc): VersionSummary {
  const { sections, blocks, totals } = compareDocs(previous, next);
  const titles = (change: Change) => sections.filter((s) => s.change === change).map((s) => s.title);
  return {
    sections: { added: titles("added"), changed: titles("changed"), removed: titles("removed") },
    blocks: Object.fromEntries(BLOCK_ROOTS.map((root) => [root, counts(blocks[root])])) as Record<BlockRoot, ChangeCounts>,
    totals: { before: totals.base, after: totals.other },
  };
}
