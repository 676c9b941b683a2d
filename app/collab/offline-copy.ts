import type * as Y from "yjs";
import { IndexeddbPersistence, clearDocument } from "y-indexeddb";
import { ChangeCounter, touchedPartsKey } from "./offline-pending";

/** Every offline copy's database name starts so; the rest names its member and plan. */
const COPY_PREFIX = "campaigndesk/plan/";
const PENDING_KEY = "pendingChanges";
const SERVER_STATE_KEY = "hasServerState";
/** A copy that has not loaded by then (storage blocked or broken) is given up: collaboration must not wait on it. */
const LOAD_TIMEOUT_MS = 5_000;

/** Per member: two accounts on one browser never open each other's copies. */
export function offlineCopyName(memberId: number, planId: string): string {
  return `${COPY_PREFIX}${memberId}/${planId}`;
}

/** False in Node (tests, the server) and in browsers without IndexedDB. */
export function canKeepOfflineCopies(): boolean {
  return typeof indexedDB !== "undefined";
}

/**
 * Deletes the copies of every member but `memberId` (all of them for null): whoever signs in
 * on this browser never sees what someone else left here.
 */
export async function deleteOfflineCopies(exceptMemberId: number | null): Promise<void> {
  // indexedDB.databases() is missing in older browsers; their copies stay until sign-out clears site data.
  if (!canKeepOfflineCopies() || typeof indexedDB.databases !== "function") return;
  const keep = exceptMemberId === null ? null : `${COPY_PREFIX}${exceptMemberId}/`;
  const databases = await indexedDB.databases();
  const doomed = databases.flatMap(({ name }) => (name?.startsWith(COPY_PREFIX) && (keep === null || !name.startsWith(keep)) ? [name] : []));
  await Promise.all(doomed.map((name) => clearDocument(name)));
}

export interface CopyLoad {
  /** The copy holds a state that was synced with the server once: it can be shown and edited without it. */
  hasServerState: boolean;
}

/**
 * A plan document kept in IndexedDB (y-indexeddb), so a reload or a closed laptop while
 * offline keeps the edits; they merge through the normal sync on reconnect. It also counts
 * the local changes the server has not received, and keeps that count across reloads.
 */
export class OfflineCopy {
  readonly #persistence: IndexeddbPersistence;
  readonly #counter = new ChangeCounter();
  readonly #listeners = new Set<(pending: number) => void>();
  #hasServerState = false;
  #detached = false;

  /** `isLive`: the server receives local edits as they happen (connected and synced). */
  constructor(
    readonly name: string,
    private readonly doc: Y.Doc,
    private readonly isLive: () => boolean,
  ) {
    this.#persistence = new IndexeddbPersistence(name, doc);
    doc.on("update", this.#onUpdate);
  }

  get pending(): number {
    return this.#counter.count;
  }

  onPending(listener: (pending: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Applies the stored copy to the document; resolves with no server state if storage does not answer in time. */
  async load(): Promise<CopyLoad> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), LOAD_TIMEOUT_MS)));
    const loaded = await Promise.race([this.#persistence.whenSynced, timedOut]).finally(() => clearTimeout(timer));
    if (loaded === "timeout" || this.#detached) {
      this.destroy();
      return { hasServerState: false };
    }
    const [pending, hasServerState] = await Promise.all([this.#stored(PENDING_KEY), this.#stored(SERVER_STATE_KEY)]);
    this.#hasServerState = hasServerState === 1;
    // Edits made while this copy loaded are already counted; the stored ones come on top.
    if (typeof pending === "number" && pending > 0) {
      this.#counter.add(pending);
      this.#store(PENDING_KEY, this.#counter.count);
    }
    return { hasServerState: this.#hasServerState };
  }

  /** The server has the document and every local edit made so far. */
  markServerSynced(): void {
    if (this.#detached) return;
    this.#counter.reset();
    this.#store(PENDING_KEY, 0);
    if (!this.#hasServerState) {
      this.#hasServerState = true;
      this.#store(SERVER_STATE_KEY, 1);
    }
  }

  /** Deletes the stored copy (its document is being dropped); resolves once a new copy of the same name may open. */
  async discard(): Promise<void> {
    this.#detach();
    await this.#persistence.destroy();
    await clearDocument(this.name);
  }

  destroy(): void {
    if (this.#detached) return;
    this.#detach();
    void this.#persistence.destroy();
  }

  #detach(): void {
    this.#detached = true;
    this.doc.off("update", this.#onUpdate);
    this.#listeners.clear();
  }

  readonly #onUpdate = (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    // Remote updates (the server's, the stored copy's) are not local: they never wait for the server.
    if (!transaction.local || this.isLive()) return;
    if (this.#counter.record(touchedPartsKey(transaction), Date.now())) this.#store(PENDING_KEY, this.#counter.count);
  };

  async #stored(key: string): Promise<unknown> {
    return (await this.#persistence.get(key)) as unknown;
  }

  // The badge shows a count only once it is stored: a reload right after still finds it.
  #store(key: string, value: number): void {
    const notify = () => {
      if (this.#detached) return;
      for (const listener of this.#listeners) listener(this.#counter.count);
    };
    this.#persistence.set(key, value).then(notify, (error: unknown) => {
      console.warn(`offline copy ${this.name}: could not store ${key}`, error);
      notify();
    });
  }
}
