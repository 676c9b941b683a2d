import * as Y from "yjs";
import type { Db } from "../../db/client";
import { appendUpdates, loadStoredDocument, writeSnapshot } from "../../db/queries/documents";

export class DocumentLoadError extends Error {
  override name = "DocumentLoadError";
}

/** Builds the document from its snapshot and the updates after it. Throws, writing nothing, if any is corrupt. */
export async function loadDocument(db: Db, planId: string): Promise<{ doc: Y.Doc; lastUpdateId: number; bytes: number; tail: number }> {
  // One transaction: a compaction between reading the snapshot and the log would drop updates.
  const stored = await db.transaction().execute((trx) => loadStoredDocument(trx, planId));
  const doc = new Y.Doc();
  let bytes = 0;
  try {
    if (stored.snapshot) {
      Y.applyUpdate(doc, stored.snapshot);
      bytes += stored.snapshot.length;
    }
    for (const update of stored.updates) {
      Y.applyUpdate(doc, update.data);
      bytes += update.data.length;
    }
  } catch (error) {
    doc.destroy();
    throw new DocumentLoadError(`plan ${planId}: stored document is unreadable`, { cause: error });
  }
  // An update that Yjs could not integrate leaves structs pending: the history has a hole.
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    doc.destroy();
    throw new DocumentLoadError(`plan ${planId}: stored document has missing updates`);
  }
  return { doc, lastUpdateId: stored.lastUpdateId, bytes, tail: stored.updates.length };
}

interface Pending {
  data: Uint8Array;
  userId: number | null;
  afterStore: () => void;
}

export interface StoreOptions {
  db: Db;
  planId: string;
  lastUpdateId: number;
  tail: number;
  log: (message: string, error?: unknown) => void;
  /** Compact into a snapshot once this many updates, or this many bytes, follow the last one. */
  snapshotEvery: number;
  snapshotEveryBytes?: number;
}

/**
 * The durability rule: an accepted update is appended to SQLite — batched per event-loop
 * tick, one transaction — before anyone else is sent it (`afterStore`). A failed write keeps
 * the batch in memory and retries with back-off; it is logged, never dropped.
 */
export class DocumentStore {
  #queue: Pending[] = [];
  #scheduled = false;
  #flushing: Promise<void> | null = null;
  #retryDelay = 0;
  #lastUpdateId: number;
  #sinceSnapshot: number;
  #bytesSinceSnapshot = 0;
  #idle: Array<() => void> = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly options: StoreOptions,
  ) {
    this.#lastUpdateId = options.lastUpdateId;
    this.#sinceSnapshot = options.tail;
  }

  get pending(): number {
    return this.#queue.length;
  }

  append(data: Uint8Array, userId: number | null, afterStore: () => void): void {
    this.#queue.push({ data, userId, afterStore });
    this.#schedule();
  }

  /** Resolves once everything appended so far is on disk. */
  whenStored(): Promise<void> {
    if (this.#queue.length === 0 && !this.#flushing) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = null;
        if (this.#queue.length > 0) this.#schedule();
        else for (const resolve of this.#idle.splice(0)) resolve();
      });
    };
    if (this.#retryDelay > 0) setTimeout(run, this.#retryDelay);
    else setImmediate(run);
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.slice();
    if (batch.length === 0) return;
    const { db, planId } = this.options;
    try {
      this.#lastUpdateId = await db.transaction().execute((trx) =>
        appendUpdates(trx, planId, batch.map((p) => ({ data: p.data, userId: p.userId })), Date.now()),
      );
    } catch (error) {
      this.#retryDelay = Math.min(Math.max(this.#retryDelay * 2, 250), 10_000);
      this.options.log(`plan ${planId}: storing ${batch.length} update(s) failed; retrying in ${this.#retryDelay} ms`, error);
      return;
    }
    this.#retryDelay = 0;
    this.#queue.splice(0, batch.length);
    this.#sinceSnapshot += batch.length;
    for (const pending of batch) this.#bytesSinceSnapshot += pending.data.length;
    for (const pending of batch) pending.afterStore();
    const bytesLimit = this.options.snapshotEveryBytes ?? 4 * 1024 * 1024;
    if (this.#sinceSnapshot >= this.options.snapshotEvery || this.#bytesSinceSnapshot >= bytesLimit) await this.compact();
  }

  /**
   * Replaces snapshot + updates with one snapshot of the current state. The state may
   * already contain updates still queued; they are stored again later, which is harmless
   * because applying a Yjs update twice changes nothing.
   */
  async compact(): Promise<void> {
    if (this.#sinceSnapshot === 0) return;
    const { db, planId } = this.options;
    const state = Y.encodeStateAsUpdate(this.doc);
    const through = this.#lastUpdateId;
    try {
      await db.transaction().execute((trx) => writeSnapshot(trx, planId, state, through, Date.now()));
      this.#sinceSnapshot = 0;
      this.#bytesSinceSnapshot = 0;
    } catch (error) {
      this.options.log(`plan ${planId}: writing a snapshot failed; the update log is kept`, error);
    }
  }
}
