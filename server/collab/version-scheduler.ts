import type { EventEmitter } from "node:events";
import * as Y from "yjs";
import type { Db } from "../../db/client";
import { loggedAuthorsSince } from "../../db/queries/versions";
import type { VersionPoint } from "~/services/context";
import { latestVersionVector, recordVersion } from "~/services/history.server";
import type { Room } from "./room";
import type { CollabEvents } from "./rooms";

export interface VersionTimings {
  /** Quiet time after the last edit before an automatic version is taken. */
  idleMs: number;
  /** Longest a plan that keeps being edited goes without a version. */
  everyMs: number;
}

export const DEFAULT_VERSION_TIMINGS: VersionTimings = { idleMs: 5 * 60_000, everyMs: 60 * 60_000 };

/** Time as the scheduler sees it; the bench runs an hour of edits on a clock of its own. */
export interface SchedulerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: SchedulerClock = {
  now: () => Date.now(),
  // A pending automatic version never keeps the process alive: unloading and shutdown write it.
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface VersionSchedulerOptions extends VersionTimings {
  db: Db;
  log: (message: string, error?: unknown) => void;
  events: EventEmitter<CollabEvents>;
  clock?: SchedulerClock;
}

interface Tracked {
  room: Room;
  /** Member id → the edit sequence number of their latest edit. */
  authors: Map<number, number>;
  seq: number;
  /** The state vector of the last version point; null while the plan has none. */
  versioned: Uint8Array | null;
  /** When the first edit after the last version point came; null while there is none. */
  dirtySince: number | null;
  idleTimer: unknown;
  /** Version points of one plan are taken one after another. */
  chain: Promise<unknown>;
  onUpdate: (update: Uint8Array, origin: unknown) => void;
}

/**
 * Automatic versions of the loaded plans (docs/decisions/0015): after a burst of edits
 * followed by `idleMs` of quiet, at least every `everyMs` while edits keep coming, and when
 * a room unloads with edits no version holds. Also the version point named, restored and
 * workflow versions go through, so they reset the clock and take the authors with them.
 * A version is derived from the stored document: it is taken only once every edit it holds
 * is durably in the update log, and written in one transaction.
 */
export class VersionScheduler {
  readonly #tracked = new Map<string, Tracked>();
  readonly #clock: SchedulerClock;

  constructor(private readonly options: VersionSchedulerOptions) {
    this.#clock = options.clock ?? REAL_CLOCK;
  }

  /** Starts following a freshly loaded room; a document that moved on since its last version (a crash, a first load) is due one. */
  async track(room: Room): Promise<void> {
    const { db } = this.options;
    const mark = await latestVersionVector(db, room.planId);
    const tracked: Tracked = {
      room,
      authors: new Map(),
      seq: 0,
      versioned: mark?.stateVector ?? null,
      dirtySince: null,
      idleTimer: null,
      chain: Promise.resolve(),
      onUpdate: (_update, origin) => this.#edited(tracked, authorOf(origin)),
    };
    this.#tracked.set(room.planId, tracked);
    room.doc.on("update", tracked.onUpdate);
    if (!this.#current(tracked)) {
      // Edits the last version missed, from before a crash: whoever is still in the log wrote them.
      for (const id of await loggedAuthorsSince(db, room.planId, mark?.createdAt ?? 0)) tracked.authors.set(id, 0);
      this.#dirty(tracked);
    }
  }

  /** Takes a version point now; see CollabControl.versionPoint. */
  point<T>(room: Room, write: (point: VersionPoint) => Promise<T>, state?: Uint8Array): Promise<T> {
    const tracked = this.#tracked.get(room.planId);
    if (!tracked || tracked.room !== room) throw new Error(`plan ${room.planId}: version point on a room not tracked`);
    const run = tracked.chain.then(async () => {
      await room.store.whenStored();
      const taken = state ?? Y.encodeStateAsUpdate(room.doc);
      const seq = tracked.seq;
      const result = await write({ state: taken, authors: [...tracked.authors.keys()] });
      for (const [id, at] of tracked.authors) if (at <= seq) tracked.authors.delete(id);
      tracked.versioned = Y.encodeStateVectorFromUpdate(taken);
      if (this.#current(tracked)) this.#clean(tracked);
      return result;
    });
    tracked.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops following a room that is being unloaded, writing the version its unversioned edits are due. */
  async untrack(room: Room): Promise<void> {
    const tracked = this.#tracked.get(room.planId);
    if (!tracked || tracked.room !== room) return;
    this.#clearTimer(tracked);
    if (tracked.dirtySince !== null) await this.#auto(tracked);
    else await tracked.chain;
    room.doc.off("update", tracked.onUpdate);
    this.#tracked.delete(room.planId);
  }

  #edited(tracked: Tracked, author: number | null): void {
    tracked.seq++;
    if (author !== null) tracked.authors.set(author, tracked.seq);
    this.#dirty(tracked);
    if (this.#clock.now() - tracked.dirtySince! >= this.options.everyMs) void this.#auto(tracked);
  }

  #dirty(tracked: Tracked): void {
    tracked.dirtySince ??= this.#clock.now();
    this.#clearTimer(tracked);
    tracked.idleTimer = this.#clock.setTimeout(() => {
      tracked.idleTimer = null;
      void this.#auto(tracked);
    }, this.options.idleMs);
  }

  #clean(tracked: Tracked): void {
    tracked.dirtySince = null;
    this.#clearTimer(tracked);
  }

  #clearTimer(tracked: Tracked): void {
    if (tracked.idleTimer !== null) this.#clock.clearTimeout(tracked.idleTimer);
    tracked.idleTimer = null;
  }

  /** Whether the document is exactly what the last version point holds. */
  #current(tracked: Tracked): boolean {
    const { versioned } = tracked;
    if (!versioned) return false;
    const now = Y.encodeStateVector(tracked.room.doc);
    return now.length === versioned.length && now.every((byte, i) => byte === versioned[i]);
  }

  /**
   * An automatic version, unless the document is already versioned. A failure is logged and
   * the plan stays due: the edits are safe in the update log and the next attempt (idle,
   * hourly or unload, or the next load) takes them.
   */
  async #auto(tracked: Tracked): Promise<void> {
    const { db, events, log } = this.options;
    const planId = tracked.room.planId;
    // Marked before the write, so the hourly rule does not queue a second one meanwhile.
    tracked.dirtySince = null;
    try {
      await this.point(tracked.room, async (point) => {
        if (this.#current(tracked)) return;
        events.emit("versionWriting", planId);
        const version = await recordVersion(db, { planId, kind: "auto", state: point.state, authors: point.authors, createdBy: null, at: this.#clock.now() });
        events.emit("versionWritten", planId, version.id);
      });
    } catch (error) {
      log(`plan ${planId}: writing an automatic version failed; it is retried on the next edit or unload`, error);
      tracked.dirtySince ??= this.#clock.now();
    }
  }
}

/** The member behind a change: a client connection or a server change on a member's behalf both carry one. */
function authorOf(origin: unknown): number | null {
  if (typeof origin !== "object" || origin === null || !("userId" in origin)) return null;
  return typeof origin.userId === "number" ? origin.userId : null;
}
