import * as Y from "yjs";
import { BLOCK_ROOTS, blockArray, metaMap, ROOT, sectionFragment, sectionsArray } from "~/domain/plan-document";
import { sameValue } from "./summary";

export interface RestoreResult {
  /** Whether anything was written to the live document. */
  changed: boolean;
  /** The budget was left as it is although the version's differs (it is locked). */
  budgetKept: boolean;
}

/**
 * Makes the live document's content equal to `version` as new changes on top of it: the
 * history stays, collaborators receive the restore like any edit, and only what differs is
 * written (an unchanged 5,000-line budget costs a comparison, not a rewrite). With
 * `keepBudget` the budget root is not touched, only compared, to report that it was kept.
 */
export function restoreInto(live: Y.Doc, version: Y.Doc, options: { keepBudget: boolean }): RestoreResult {
  let changed = false;
  let budgetKept = false;
  const wrote = () => (changed = true);
  live.transact(() => {
    restoreMap(metaMap(live), metaMap(version), wrote);
    restoreSectionTexts(live, version, wrote);
    restoreEntries(sectionsArray(live), sectionsArray(version), wrote);
    for (const root of BLOCK_ROOTS) {
      if (root === ROOT.budget && options.keepBudget) {
        restoreEntries(blockArray(live, root), blockArray(version, root), () => (budgetKept = true), { dryRun: true });
        continue;
      }
      restoreEntries(blockArray(live, root), blockArray(version, root), wrote);
    }
  });
  return { changed, budgetKept };
}

/** Sets the keys whose value differs and deletes the keys the version lacks. */
function restoreMap(live: Y.Map<unknown>, version: Y.Map<unknown>, wrote: () => void, dryRun = false): void {
  for (const [key, value] of version.entries()) {
    const current: unknown = live.get(key);
    if (live.has(key) && sameValue(plain(current), plain(value))) continue;
    wrote();
    if (!dryRun) live.set(key, plain(value));
  }
  for (const key of [...live.keys()]) {
    if (version.has(key)) continue;
    wrote();
    if (!dryRun) live.delete(key);
  }
}

/** The rich text of every section either document lists; a section the version lacks is emptied, as removing one does. */
function restoreSectionTexts(live: Y.Doc, version: Y.Doc, wrote: () => void): void {
  const ids = new Set([...entryIds(sectionsArray(live)), ...entryIds(sectionsArray(version))]);
  for (const id of ids) {
    const target = sectionFragment(live, id);
    const source = sectionFragment(version, id);
    if (target.toString() === source.toString()) continue;
    wrote();
    target.delete(0, target.length);
    // TipTap writes elements and text only; a hook (never written by our editors) is dropped like the renderer drops it.
    target.insert(0, source.toArray().flatMap((node) => (node instanceof Y.XmlHook ? [] : [node.clone()])));
  }
}

function entryIds(array: Y.Array<unknown>): string[] {
  return array.toArray().flatMap((entry) => (entry instanceof Y.Map && typeof entry.get("id") === "string" ? [entry.get("id") as string] : []));
}

/**
 * Makes an array of id'd rows (sections, block rows) equal to the version's: rows the version
 * lacks (and malformed entries) are deleted; the rows that keep their relative order — the
 * longest run of the version's order found in the live array — are updated in place, cell by
 * cell; the rest are (re-)inserted as copies where the version has them. Yjs cannot move an
 * item, so a moved row is a delete and an insert, as moveRow does.
 */
function restoreEntries(live: Y.Array<unknown>, version: Y.Array<unknown>, wrote: () => void, options: { dryRun?: boolean } = {}): void {
  const wanted: Y.Map<unknown>[] = [];
  const wantedAt = new Map<string, number>();
  for (const entry of version.toArray()) {
    if (!(entry instanceof Y.Map)) continue;
    const id: unknown = entry.get("id");
    if (typeof id !== "string" || wantedAt.has(id)) continue;
    wantedAt.set(id, wanted.length);
    wanted.push(entry);
  }
  const current = live.toArray();
  const claimed = new Set<string>();
  // For each live entry: its place in the version, or -1 when it is to go.
  const places = current.map((entry) => {
    const id: unknown = entry instanceof Y.Map ? entry.get("id") : undefined;
    if (typeof id !== "string" || claimed.has(id)) return -1;
    const at = wantedAt.get(id);
    if (at === undefined) return -1;
    claimed.add(id);
    return at;
  });
  const keep = longestIncreasing(places);
  const kept = new Map<number, Y.Map<unknown>>();
  for (let i = current.length - 1; i >= 0; i--) {
    if (keep.has(i)) {
      kept.set(places[i]!, current[i] as Y.Map<unknown>);
      continue;
    }
    wrote();
    if (!options.dryRun) live.delete(i, 1);
  }
  wanted.forEach((entry, at) => {
    const row = kept.get(at);
    if (row) return restoreMap(row, entry, wrote, options.dryRun);
    wrote();
    if (!options.dryRun) live.insert(at, [copyMap(entry)]);
  });
}

/** Indexes (into `places`) of a longest strictly increasing run of non-negative values. */
function longestIncreasing(places: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(places.length).fill(-1);
  places.forEach((place, i) => {
    if (place < 0) return;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (places[tails[mid]!]! < place) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = i;
  });
  const result = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) result.add(i);
  return result;
}

/** Rows and meta hold plain values; a nested shared type (never written by our editors) is compared and copied as its JSON. */
function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

function copyMap(source: Y.Map<unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of source.entries()) map.set(key, plain(value));
  return map;
}
