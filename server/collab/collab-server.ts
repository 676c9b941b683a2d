import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Db } from "../../db/client";
import { findPlanAccess, findPlanById } from "../../db/queries/plans";
import { resolveAuth } from "../../app/services/auth/session.server";
import { can } from "../../app/domain/policy";
import { CloseCode, MAX_MESSAGE_BYTES } from "../../app/domain/collab-codes";
import { refuseRootWrite } from "../../app/domain/doc-policy";
import { PlanIdSchema } from "../../app/domain/plan";
import type { Auth } from "../../app/services/context";
import type { Plan } from "../../db/schema";
import { rewriteAwarenessUpdate } from "./awareness-rewrite";
import { colorFor } from "../../app/domain/presence";
import { DocumentStore, loadDocument } from "./document-store";
import { inspectUpdate } from "./update-inspector";
import { Projector } from "./projector";
import { ConnectionLimits, type ConnectionSlot } from "./connection-limits";
import { UpdateLog } from "./update-log";
import { touchesProjection } from "../../app/domain/projection";
import {
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  Room,
  SERVER_AUTHOR,
  ServerChange,
  awarenessMessage,
  permissionDeniedMessage,
  send,
  syncStep1Message,
  syncStep2Message,
  type Connection,
} from "./room";

export interface CollabOptions {
  db: Db;
  allowedOrigins: () => readonly string[];
  log: (message: string, error?: unknown) => void;
  /** How long a document with no clients stays loaded. */
  unloadDelayMs?: number;
  /** The largest message the server takes; a bigger one is refused with 4413 and changes nothing. */
  maxMessageBytes?: number;
  maxDocumentBytes?: number;
  snapshotEvery?: number;
  /** Open sockets allowed overall, per client address and per member; more are closed with 4429. */
  maxConnections?: number;
  maxConnectionsPerIp?: number;
  maxConnectionsPerMember?: number;
  /** The client's address for the per-address cap (behind a proxy, the one the proxy reports). */
  clientIp?: (request: IncomingMessage) => string;
}

/** What the server reports as it works, for monitoring and for tests that wait on it. */
export interface CollabEvents {
  /** A plan's document was loaded into memory. */
  roomLoaded: [planId: string];
  /** A plan's document was stored, compacted and dropped from memory. */
  roomUnloaded: [planId: string];
  /** A socket's place under the connection caps was given back. */
  connectionReleased: [];
}

const PATH = /^\/collab\/([^/?#]+)\/?(?:\?.*)?$/;
const MAX_CLIENT_IDS_PER_CONNECTION = 8;
const MAX_HELD_UPDATES = 256;
/**
 * ws reads frames up to this multiple of maxMessageBytes, so the server itself can refuse
 * one with 4413 and a reason; beyond it ws cuts the connection (1009) before buffering more.
 */
const HARD_PAYLOAD_FACTOR = 4;

/**
 * The y-websocket protocol server for plan documents: authenticates the upgrade with the
 * session cookie, asks the one policy function, inspects every incoming update against the
 * per-root write policy before applying it, and stores it before anyone else sees it.
 */
export class CollabServer {
  readonly #wss: WebSocketServer;
  readonly #rooms = new Map<string, Promise<Room>>();
  /** The rooms that finished loading, for synchronous lookups. */
  readonly #loaded = new Map<string, Room>();
  readonly #unloading = new Map<string, Promise<void>>();
  readonly #options: Required<CollabOptions>;
  #closing = false;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #projector: Projector;
  readonly #updateLog: UpdateLog;
  readonly #limits: ConnectionLimits;
  readonly events = new EventEmitter<CollabEvents>();

  constructor(options: CollabOptions) {
    this.#options = {
      unloadDelayMs: 5_000,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      maxDocumentBytes: 32 * 1024 * 1024,
      snapshotEvery: 500,
      maxConnections: 2_000,
      maxConnectionsPerIp: 200,
      maxConnectionsPerMember: 20,
      clientIp: (request) => request.socket.remoteAddress ?? "unknown",
      ...options,
    };
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#options.maxMessageBytes * HARD_PAYLOAD_FACTOR });
    this.#limits = new ConnectionLimits({
      total: this.#options.maxConnections,
      perIp: this.#options.maxConnectionsPerIp,
      perMember: this.#options.maxConnectionsPerMember,
    });
    this.#heartbeat = setInterval(() => this.#ping(), 30_000);
    this.#heartbeat.unref();
    this.#projector = new Projector({ db: this.#options.db, log: this.#options.log });
    this.#updateLog = new UpdateLog(this.#options.db, this.#options.log);
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Sockets counted against the connection caps. */
  get connectionCount(): number {
    return this.#limits.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = PATH.exec(request.url ?? "");
    const planId = match ? decodeURIComponent(match[1]!) : null;
    if (this.#closing || !planId || !PlanIdSchema.safeParse(planId).success) return rejectUpgrade(socket, 404);
    const origin = request.headers.origin;
    // Browsers always send Origin; a foreign one is a cross-site page riding the member's cookie.
    if (origin !== undefined && !this.#options.allowedOrigins().includes(origin)) return rejectUpgrade(socket, 403);
    // Counted before anything asynchronous, so a burst of upgrades cannot slip past the cap together.
    const slot = this.#limits.open(this.#options.clientIp(request));
    // The TCP socket closes however the connection ends, a failed handshake included.
    if (slot) {
      socket.once("close", () => {
        slot.release();
        this.events.emit("connectionReleased");
      });
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      // Upgraded anyway, so the client gets a close code it understands and stops reconnecting.
      if (!slot) {
        // A bad frame before the close completes is an 'error' event; unheard, it would throw.
        ws.on("error", () => ws.terminate());
        return ws.close(CloseCode.tooManyConnections, "too many connections");
      }
      void this.#accept(ws, request, planId, slot);
    });
  }

  async #accept(ws: WebSocket, request: IncomingMessage, planId: string, slot: ConnectionSlot): Promise<void> {
    // Messages that arrive while we authenticate and load are kept, in order.
    const early: Array<[RawData, boolean]> = [];
    let deliver = (data: RawData, isBinary: boolean) => void early.push([data, isBinary]);
    let refused = false;
    ws.on("message", (data, isBinary) => {
      if (refused) return;
      // Checked before decoding or queueing: an oversized change is refused whole, with a reason.
      if (byteLength(data) > this.#options.maxMessageBytes) {
        refused = true;
        const megabytes = Math.round(this.#options.maxMessageBytes / (1024 * 1024));
        return ws.close(CloseCode.tooLarge, `message over ${megabytes} MB`);
      }
      deliver(data, isBinary);
    });
    ws.on("error", () => ws.terminate());
    try {
      const auth = await resolveAuth(this.#options.db, request.headers.cookie, Date.now());
      if (!auth) return ws.close(CloseCode.unauthenticated, "not signed in");
      if (!slot.claimMember(auth.user.id)) return ws.close(CloseCode.tooManyConnections, "too many connections for this member");
      const plan = await findPlanById(this.#options.db, planId);
      const access = plan ? await this.#planAccess(auth, plan) : null;
      if (!plan || !access?.read) return ws.close(CloseCode.forbidden, "no access to this plan");
      let room: Room;
      try {
        room = await this.#room(plan);
      } catch (error) {
        this.#options.log(`collab: plan ${planId} failed to load`, error);
        return ws.close(CloseCode.loadFailed, "the document could not be loaded");
      }
      if (ws.readyState !== ws.OPEN) return this.#maybeUnload(room);
      const conn: Connection = {
        socket: ws,
        userId: auth.user.id,
        sessionIdHash: auth.sessionIdHash,
        name: auth.user.name,
        color: colorFor(auth.user.id),
        canEdit: access.edit,
        clientIds: new Set(),
        sentState: false,
        held: [],
      };
      this.#join(room, conn);
      let chain = Promise.resolve();
      deliver = (data, isBinary) => {
        chain = chain.then(() => this.#onMessage(room, conn, data, isBinary));
      };
      for (const [data, isBinary] of early.splice(0)) deliver(data, isBinary);
      ws.on("close", () => this.#leave(room, conn));
    } catch (error) {
      this.#options.log(`collab: connection to plan ${planId} failed`, error);
      ws.close(CloseCode.loadFailed, "server error");
    }
  }

  async #planAccess(auth: Auth, plan: Plan): Promise<{ read: boolean; edit: boolean }> {
    const target = {
      kind: "plan" as const,
      ownerId: plan.owner_id,
      status: plan.status,
      access: await findPlanAccess(this.#options.db, plan.id, auth.user.id),
    };
    return { read: can(auth.actor, "plan:read", target), edit: can(auth.actor, "plan:edit", target) };
  }

  #room(plan: Plan): Promise<Room> {
    const existing = this.#rooms.get(plan.id);
    if (existing) return existing;
    const loading = (async () => {
      await this.#unloading.get(plan.id);
      const { doc, lastUpdateId, bytes, tail, snapshot } = await loadDocument(this.#options.db, plan.id);
      const store = new DocumentStore(doc, {
        db: this.#options.db,
        planId: plan.id,
        lastUpdateId,
        tail,
        log: this.#options.log,
        snapshotEvery: this.#options.snapshotEvery,
        updateLog: this.#updateLog,
      });
      const room = new Room(plan.id, doc, store, plan.budget_locked === 1, bytes, tail === 0 ? snapshot : null);
      // Registered after the room's own listener, so the change is already queued for storage:
      // the projection follows only what is durably stored.
      doc.on("update", (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
        if (touchesProjection(transaction)) void store.whenStored().then(() => this.#projector.changed(plan.id, doc));
      });
      this.#loaded.set(plan.id, room);
      this.events.emit("roomLoaded", plan.id);
      return room;
    })();
    this.#rooms.set(plan.id, loading);
    // A failed load is not cached: the next visitor tries again, and nothing was written.
    loading.catch(() => this.#rooms.delete(plan.id));
    return loading;
  }

  #join(room: Room, conn: Connection): void {
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
    room.connections.add(conn);
    send(conn.socket, syncStep1Message(room.doc));
    const states = [...room.awareness.getStates().keys()];
    if (states.length > 0) send(conn.socket, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, states)));
  }

  #leave(room: Room, conn: Connection): void {
    if (!room.connections.delete(conn)) return;
    for (const id of conn.clientIds) room.clientOwners.delete(id);
    awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.clientIds], null);
    this.#maybeUnload(room);
  }

  #maybeUnload(room: Room): void {
    if (room.connections.size > 0 || room.unloadTimer || this.#closing) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      if (room.connections.size === 0) void this.#unload(room);
    }, this.#options.unloadDelayMs);
  }

  async #unload(room: Room): Promise<void> {
    this.#rooms.delete(room.planId);
    this.#loaded.delete(room.planId);
    const done = (async () => {
      await room.store.whenStored();
      await this.#projector.release(room.planId);
      await room.store.compact();
      room.destroy();
    })();
    this.#unloading.set(room.planId, done);
    try {
      await done;
    } finally {
      this.#unloading.delete(room.planId);
    }
    this.events.emit("roomUnloaded", room.planId);
  }

  // Runs even after the socket closed: a client's last edit often arrives just before its close frame.
  async #onMessage(room: Room, conn: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (!isBinary) return conn.socket.close(CloseCode.badMessage, "binary y-websocket messages only");
    try {
      const bytes = toUint8Array(data);
      const decoder = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) await this.#onSync(room, conn, decoder);
      else if (type === MESSAGE_AWARENESS) this.#onAwareness(room, conn, decoding.readVarUint8Array(decoder));
      else if (type === MESSAGE_QUERY_AWARENESS) {
        const states = [...room.awareness.getStates().keys()];
        send(conn.socket, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, states)));
      } else conn.socket.close(CloseCode.badMessage, "unknown message type");
    } catch (error) {
      this.#options.log(`collab: malformed message on plan ${room.planId} from member ${conn.userId}: ${String(error)}`);
      conn.socket.close(CloseCode.badMessage, "malformed message");
    }
  }

  async #onSync(room: Room, conn: Connection, decoder: decoding.Decoder): Promise<void> {
    const step = decoding.readVarUint(decoder);
    if (step === 0) {
      const stateVector = decoding.readVarUint8Array(decoder);
      // Never hand out state that is not yet on disk.
      await room.store.whenStored();
      send(conn.socket, syncStep2Message(room, stateVector));
      return;
    }
    if (step !== 1 && step !== 2) throw new Error(`unknown sync step ${step}`);
    const update = decoding.readVarUint8Array(decoder);
    if (step === 2) {
      this.#applyClientUpdate(room, conn, update, !conn.sentState);
      return;
    }
    // Sync step 2: the client's own state, possibly offline edits that held live updates build on.
    if (!this.#applyClientUpdate(room, conn, update, false)) return;
    conn.sentState = true;
    for (const held of conn.held.splice(0)) if (!this.#applyClientUpdate(room, conn, held, false)) return;
  }

  /** Inspects, judges and applies one update; false when the connection was refused. */
  #applyClientUpdate(room: Room, conn: Connection, update: Uint8Array, mayHold: boolean): boolean {
    if (room.bytes + update.length > this.#options.maxDocumentBytes) {
      this.#refuse(conn, CloseCode.tooLarge, "the document is over its size limit");
      return false;
    }
    const inspection = inspectUpdate(room.doc, update);
    if (!inspection.ok) {
      if (inspection.reason === "malformed") throw new Error("malformed update");
      // y-websocket may send a live edit before the offline edits it builds on (its step 2).
      if (mayHold && conn.held.length < MAX_HELD_UPDATES) {
        conn.held.push(update);
        return true;
      }
      this.#refuse(conn, CloseCode.updateRefused, "the update depends on changes the server does not have");
      return false;
    }
    for (const root of inspection.roots) {
      const refusal = refuseRootWrite(root, { canEdit: conn.canEdit, budgetLocked: room.budgetLocked });
      if (refusal) {
        this.#refuse(conn, CloseCode.updateRefused, JSON.stringify(refusal));
        return false;
      }
    }
    if (!this.#claimAuthorship(room, conn, update)) {
      this.#refuse(conn, CloseCode.updateRefused, "the update writes under another member's client id");
      return false;
    }
    // Applied even when it changes no root's content (e.g. typing into a paragraph someone
    // deleted): skipping it would leave a hole in the client's clock and strand its later edits.
    Y.applyUpdate(room.doc, update, conn);
    return true;
  }

  /** Yjs trusts client ids; we tie each one to the member who first wrote under it. */
  #claimAuthorship(room: Room, conn: Connection, update: Uint8Array): boolean {
    const { to } = Y.parseUpdateMeta(update);
    const fresh: number[] = [];
    for (const [client, clock] of to) {
      if (clock <= Y.getState(room.doc.store, client)) continue;
      const author = room.authors.get(client);
      if (author !== undefined && author !== conn.userId) return false;
      if (author === undefined) fresh.push(client);
    }
    for (const client of fresh) room.authors.set(client, conn.userId);
    return true;
  }

  /** Tells the client why, then closes: it must drop its copy and resync from the server's state. */
  #refuse(conn: Connection, code: number, reason: string): void {
    send(conn.socket, permissionDeniedMessage(reason));
    conn.socket.close(code, reason.slice(0, 120));
  }

  #onAwareness(room: Room, conn: Connection, update: Uint8Array): void {
    const rewritten = rewriteAwarenessUpdate(update, { id: conn.userId, name: conn.name, color: conn.color }, (clientId) => {
      const owner = room.clientOwners.get(clientId);
      if (owner === conn) return true;
      if (owner || conn.clientIds.size >= MAX_CLIENT_IDS_PER_CONNECTION) return false;
      room.clientOwners.set(clientId, conn);
      conn.clientIds.add(clientId);
      return true;
    });
    awarenessProtocol.applyAwarenessUpdate(room.awareness, rewritten, conn);
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
      ({ doc } = await loadDocument(this.#options.db, planId));
    } catch (error) {
      this.#options.log(`collab: plan ${planId} failed to load for reading`, error);
      throw error;
    }
    try {
      return Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
  }

  async projectionCurrent(planId: string): Promise<void> {
    const room = await this.#rooms.get(planId)?.catch(() => undefined);
    // The projection hook waits for storage too, and was registered first: it has run when this resumes.
    if (room) await room.store.whenStored();
    await this.#projector.flush(planId);
  }

  /**
   * Changes a plan's content from the server side (复盘 generation) through the live room, so
   * it takes the clients' path: appended to the log under the member's id before it is
   * broadcast to every connected client. Not inspected: the caller authorized the member and
   * the change is the server's own code. Loads the room if needed (it unloads again after the
   * usual delay when nobody is connected) and resolves once the change is durably stored.
   */
  async applyServerChange<T>(planId: string, actorId: number, change: (doc: Y.Doc) => T): Promise<T> {
    if (this.#closing) throw new Error("the collaboration server is shutting down");
    const plan = await findPlanById(this.#options.db, planId);
    if (!plan) throw new Error(`plan ${planId} does not exist`);
    let room: Room;
    try {
      room = await this.#room(plan);
    } catch (error) {
      this.#options.log(`collab: plan ${planId} failed to load for a server change`, error);
      throw error;
    }
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
    try {
      // Yjs gives the server's doc a fresh client id whenever a client writes under it, so
      // this claim never takes an id from a member; it stops one from writing under ours.
      room.authors.set(room.doc.clientID, SERVER_AUTHOR);
      const result = room.doc.transact(() => change(room.doc), new ServerChange(actorId));
      await room.store.whenStored();
      return result;
    } finally {
      this.#maybeUnload(room);
    }
  }

  /** Closes a member's sockets (all plans, or one), e.g. on deactivation or removal. */
  closeMemberSockets(userId: number, code: number, reason: string, planId?: string): void {
    for (const conn of this.#connections(planId)) if (conn.userId === userId) conn.socket.close(code, reason);
  }

  closeSessionSockets(sessionIdHash: string): void {
    for (const conn of this.#connections()) {
      if (conn.sessionIdHash === sessionIdHash) conn.socket.close(CloseCode.unauthenticated, "signed out");
    }
  }

  /** Access to a plan changed (archived, membership, lock): every client reconnects and is re-judged. */
  async planChanged(planId: string): Promise<void> {
    // A room still loading was built from the plan row as it was before this change.
    const room = await this.#rooms.get(planId)?.catch(() => undefined);
    const plan = await findPlanById(this.#options.db, planId);
    if (!room || !plan) return;
    room.budgetLocked = plan.budget_locked === 1;
    for (const conn of room.connections) conn.socket.close(CloseCode.accessChanged, "access changed");
  }

  *#connections(planId?: string): Generator<Connection> {
    for (const [id, room] of this.#loaded) {
      if (planId === undefined || id === planId) yield* room.connections;
    }
  }

  #ping(): void {
    for (const ws of this.#wss.clients) {
      const alive = (ws as WebSocket & { alive?: boolean }).alive;
      if (alive === false) {
        ws.terminate();
        continue;
      }
      (ws as WebSocket & { alive?: boolean }).alive = false;
      ws.once("pong", () => ((ws as WebSocket & { alive?: boolean }).alive = true));
      ws.ping();
    }
  }

  /** Stop accepting, close every socket, store every document. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearInterval(this.#heartbeat);
    for (const ws of this.#wss.clients) ws.close(CloseCode.goingAway, "server shutting down");
    const rooms = await Promise.allSettled([...this.#rooms.values()]);
    for (const result of rooms) {
      if (result.status !== "fulfilled") continue;
      const room = result.value;
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      await room.store.whenStored();
      await this.#projector.release(room.planId);
      await room.store.compact();
      room.destroy();
    }
    await Promise.allSettled([...this.#unloading.values()]);
    await this.#projector.close();
    this.#rooms.clear();
    this.#loaded.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    for (const ws of this.#wss.clients) ws.terminate();
  }
}

function rejectUpgrade(socket: Duplex, status: 403 | 404): void {
  socket.write(`HTTP/1.1 ${status} ${status === 403 ? "Forbidden" : "Not Found"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  return data.byteLength;
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
