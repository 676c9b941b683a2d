import * as Y from "yjs";

/** Edits to the same part of a plan this close together are one change: a typed sentence is one, not forty keystrokes. */
export const CHANGE_BURST_MS = 5_000;

/** The top-level parts of the document (a section, the budget, …) a transaction changed, as one key. */
export function touchedPartsKey(transaction: Y.Transaction): string {
  const roots = new Set<string>();
  for (const type of transaction.changed.keys()) {
    let root = type;
    for (let parent = root.parent; parent; parent = parent.parent) root = parent as typeof root;
    roots.add(Y.findRootTypeKey(root));
  }
  return [...roots].sort().join("\n");
}

/**
 * Counts the changes made while the server could not receive them, the way a planner would
 * count them: a burst of edits to one part of the plan is one change.
 */
export class ChangeCounter {
  #count = 0;
  #lastKey = "";
  #lastAt = Number.NEGATIVE_INFINITY;

  get count(): number {
    return this.#count;
  }

  /** Records one local transaction; true when it began a new change. */
  record(partsKey: string, at: number): boolean {
    const sameBurst = partsKey === this.#lastKey && at - this.#lastAt < CHANGE_BURST_MS;
    this.#lastKey = partsKey;
    this.#lastAt = at;
    if (sameBurst) return false;
    this.#count += 1;
    return true;
  }

  /** Changes counted before (a stored count from an earlier visit). */
  add(changes: number): void {
    this.#count += changes;
  }

  reset(): void {
    this.#count = 0;
    this.#lastKey = "";
    this.#lastAt = Number.NEGATIVE_INFINITY;
  }
}
