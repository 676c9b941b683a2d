import * as Y from "yjs";
import type { Db } from "../../db/client";
import { loadStoredDocument, writeSnapshot } from "../../db/queries/documents";
import { UpdateLog } from "./update-log";

export class DocumentLoadError extends Error {
  override name = "DocumentLoadError";
}

/** Builds the document from its snapshot and the updates after it. Throws, writing nothing, if any is corrupt. */
export async function loadDocument(db: Db, planId: string): Promise<{ doc: Y.Doc; lastUpdateId: number; bytes: number; tail: number; snapshot: Uint8Array | null }> {
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
  return { doc, lastUpdateId: stored.lastUpdateId, bytes, tail: stored.updates.length, snapshot: stored.snapshot };
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
  /** The writer shared by every open plan; a store on its own gets one of its own. */
  updateLog?: UpdateLog;
}

/**
 * The durability rule for one plan: an accepted update is appended to SQLite (through the
 * shared update log: every plan's updates of an event-loop tick in one statement) before anyone else is
 * sent it (`afterStore`). Compacts the log into a snapshot now and then.
 */
export class DocumentStore {
  readonly #updateLog: UpdateLog;
  #pending = 0;
  #compacting: Promise<void> | null = null;
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
    this.#updateLog = options.updateLog ?? new UpdateLog(options.db, options.log);
  }

  get pending(): number {
    return this.#pending;
  }

  append(data: Uint8Array, userId: number | null, afterStore: () => void): void {
    this.#pending++;
    this.#updateLog.append({
      planId: this.options.planId,
      data,
      userId,
      stored: (lastUpdateId) => {
        this.#pending--;
        this.#lastUpdateId = Math.max(this.#lastUpdateId, lastUpdateId);
        this.#sinceSnapshot++;
        this.#bytesSinceSnapshot += data.length;
        afterStore();
        this.#maybeCompact();
        this.#wakeIfIdle();
      },
    });
  }

  /** Resolves once everything appended so far is on disk (and any compaction is done). */
  whenStored(): Promise<void> {
    if (this.#pending === 0 && !this.#compacting) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #maybeCompact(): void {
    const bytesLimit = this.options.snapshotEveryBytes ?? 4 * 1024 * 1024;
    if (!this.#compacting && (this.#sinceSnapshot >= this.options.snapshotEvery || this.#bytesSinceSnapshot >= bytesLimit)) void this.compact();
  }

  #wakeIfIdle(): void {
    if (this.#pending === 0 && !this.#compacting) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /**
   * Replaces snapshot + updates with one snapshot of the current state. The state may
   * already contain updates still queued; they are stored again later, which is harmless
   * because applying a Yjs update twice changes nothing.
   */
  compact(): Promise<void> {
    this.#compacting ??= this.#compact().finally(() => {
      this.#compacting = null;
      this.#wakeIfIdle();
    });
    return this.#compacting;
  }

  async #compact(): Promise<void> {
    if (this.#sinceSnapshot === 0) return;
    const { db, planId } = this.options;
    const state = Y.encodeStateAsUpdate(this.doc);
    const through = this.#lastUpdateId;
    const counted = { updates: this.#sinceSnapshot, bytes: this.#bytesSinceSnapshot };
    try {
      await db.transaction().execute((trx) => writeSnapshot(trx, planId, state, through, Date.now()));
      // Updates stored while the snapshot was written still count towards the next one.
      this.#sinceSnapshot -= counted.updates;
      this.#bytesSinceSnapshot -= counted.bytes;
    } catch (error) {
      this.options.log(`plan ${planId}: writing a snapshot failed; the update log is kept`, error);
    }
  }
}
