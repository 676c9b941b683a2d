import type { EventEmitter } from "node:events";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import type { Db } from "../../db/client";
import type { Plan } from "../../db/schema";
import { touchesProjection } from "~/domain/projection";
import { DocumentStore, loadDocument } from "./document-store";
import { Projector } from "./projector";
import { Room, SERVER_AUTHOR, ServerChange, type Connection } from "./room";
import { UpdateLog } from "./update-log";
import { VersionScheduler, type VersionTimings } from "./version-scheduler";
import type { VersionPoint } from "~/services/context";

/** What the server reports as it works, for monitoring and for tests that wait on it. */
export interface CollabEvents {
  /** A plan's document was loaded into memory. */
  roomLoaded: [planId: string];
  /** A plan's document was stored, compacted and dropped from memory. */
  roomUnloaded: [planId: string];
  /** A socket's place under the connection caps was given back. */
  connectionReleased: [];
  /** An automatic version of a plan is being written, and was written (version-scheduler.ts). */
  versionWriting: [planId: string];
  versionWritten: [planId: string, versionId: number];
}

export interface RoomsOptions {
  db: Db;
  log: (message: string, error?: unknown) => void;
  events: EventEmitter<CollabEvents>;
  /** How long a document with no clients stays loaded. */
  unloadDelayMs: number;
  snapshotEvery: number;
  versions: VersionTimings;
}

/**
 * The loaded plan documents: loading a room once however many connect at the same time,
 * keeping it while anyone is connected (or a server change runs), then storing, compacting
 * and unloading it after a delay. Also the projection hook and server-side changes.
 */
export class Rooms {
  readonly #rooms = new Map<string, Promise<Room>>();
  /** The rooms that finished loading, for synchronous lookups. */
  readonly #loaded = new Map<string, Room>();
  readonly #unloading = new Map<string, Promise<void>>();
  readonly #projector: Projector;
  readonly #updateLog: UpdateLog;
  readonly #versions: VersionScheduler;
  #closing = false;

  constructor(private readonly options: RoomsOptions) {
    this.#projector = new Projector({ db: options.db, log: options.log });
    this.#updateLog = new UpdateLog(options.db, options.log);
    this.#versions = new VersionScheduler({ db: options.db, log: options.log, events: options.events, ...options.versions });
  }

  get size(): number {
    return this.#rooms.size;
  }

  /** The plan's room, loading it if needed. A failed load is not cached: the next visitor tries again. */
  open(plan: Plan): Promise<Room> {
    const existing = this.#rooms.get(plan.id);
    if (existing) return existing;
    const { db, log, snapshotEvery, events } = this.options;
    const loading = (async () => {
      await this.#unloading.get(plan.id);
      const { doc, lastUpdateId, bytes, tail, snapshot } = await loadDocument(db, plan.id);
      const store = new DocumentStore(doc, { db, planId: plan.id, lastUpdateId, tail, log, snapshotEvery, updateLog: this.#updateLog });
      const room = new Room(plan.id, doc, store, plan.budget_locked === 1, bytes, tail === 0 ? snapshot : null);
      // Registered after the room's own listener, so the change is already queued for storage:
      // the projection follows only what is durably stored.
      doc.on("update", (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
        if (touchesProjection(transaction)) void store.whenStored().then(() => this.#projector.changed(plan.id, doc));
      });
      await this.#versions.track(room);
      this.#loaded.set(plan.id, room);
      events.emit("roomLoaded", plan.id);
      return room;
    })();
    this.#rooms.set(plan.id, loading);
    loading.catch(() => this.#rooms.delete(plan.id));
    return loading;
  }

  /** The room if it is loaded or loading; a failed load counts as none. */
  async find(planId: string): Promise<Room | undefined> {
    return this.#rooms.get(planId)?.catch(() => undefined);
  }

  join(room: Room, conn: Connection): void {
    this.#keep(room);
    room.connections.add(conn);
  }

  leave(room: Room, conn: Connection): void {
    if (!room.connections.delete(conn)) return;
    for (const id of conn.clientIds) room.clientOwners.delete(id);
    awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.clientIds], null);
    this.release(room);
  }

  /** Nobody needs the room any more (unless someone joins meanwhile): unload it after the delay. */
  release(room: Room): void {
    if (room.connections.size > 0 || room.unloadTimer || this.#closing) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      if (room.connections.size === 0) void this.#unload(room);
    }, this.options.unloadDelayMs);
  }

  #keep(room: Room): void {
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
  }

  async #unload(room: Room): Promise<void> {
    this.#rooms.delete(room.planId);
    this.#loaded.delete(room.planId);
    const done = this.#store(room);
    this.#unloading.set(room.planId, done);
    try {
      await done;
    } finally {
      this.#unloading.delete(room.planId);
    }
    this.options.events.emit("roomUnloaded", room.planId);
  }

  async #store(room: Room): Promise<void> {
    await room.store.whenStored();
    // While the document is still in memory: edits no version holds get one before it goes.
    await this.#versions.untrack(room);
    await this.#projector.release(room.planId);
    await room.store.compact();
    room.destroy();
  }

  /** The plan's document as stored or live, for server rendering; never keeps a room open. */
  async documentState(planId: string, options: { stored?: boolean } = {}): Promise<Uint8Array> {
    const live = this.#rooms.get(planId);
    if (live) {
      const room = await live;
      // For a snapshot that must match the durable log (an approval revision), wait for the log.
      if (options.stored) await room.store.whenStored();
      return Y.encodeStateAsUpdate(room.doc);
    }
    // A room being unloaded may still be writing its last updates and compacting.
    await this.#unloading.get(planId);
    let doc: Y.Doc;
    try {
      ({ doc } = await loadDocument(this.options.db, planId));
    } catch (error) {
      this.options.log(`collab: plan ${planId} failed to load for reading`, error);
      throw error;
    }
    try {
      return Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
  }

  async projectionCurrent(planId: string): Promise<void> {
    const room = await this.find(planId);
    // The projection hook waits for storage too, and was registered first: it has run when this resumes.
    if (room) await room.store.whenStored();
    await this.#projector.flush(planId);
  }

  /** Runs a server change in the plan's room (loaded if needed) and resolves once it is durably stored. */
  async applyServerChange<T>(plan: Plan, actorId: number, change: (doc: Y.Doc) => T): Promise<T> {
    let room: Room;
    try {
      room = await this.open(plan);
    } catch (error) {
      this.options.log(`collab: plan ${plan.id} failed to load for a server change`, error);
      throw error;
    }
    this.#keep(room);
    try {
      // Yjs gives the server's doc a fresh client id whenever a client writes under it, so
      // this claim never takes an id from a member; it stops one from writing under ours.
      room.authors.set(room.doc.clientID, SERVER_AUTHOR);
      const result = room.doc.transact(() => change(room.doc), new ServerChange(actorId));
      await room.store.whenStored();
      return result;
    } finally {
      this.release(room);
    }
  }

  /** A version point of the plan's room (loaded if needed); see CollabControl.versionPoint. */
  async versionPoint<T>(plan: Plan, write: (point: VersionPoint) => Promise<T>, state?: Uint8Array): Promise<T> {
    const room = await this.open(plan);
    this.#keep(room);
    try {
      return await this.#versions.point(room, write, state);
    } finally {
      this.release(room);
    }
  }

  /** The connections of every loaded room, or of one plan's. */
  *connections(planId?: string): Generator<Connection> {
    for (const [id, room] of this.#loaded) {
      if (planId === undefined || id === planId) yield* room.connections;
    }
  }

  /** Stores every document and drops it from memory. */
  async close(): Promise<void> {
    this.#closing = true;
    const rooms = await Promise.allSettled([...this.#rooms.values()]);
    for (const result of rooms) {
      if (result.status !== "fulfilled") continue;
      const room = result.value;
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      await this.#store(room);
    }
    await Promise.allSettled([...this.#unloading.values()]);
    await this.#projector.close();
    this.#rooms.clear();
    this.#loaded.clear();
  }
}
