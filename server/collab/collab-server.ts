import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type * as Y from "yjs";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Db } from "../../db/client";
import { findPlanById } from "../../db/queries/plans";
import { CloseCode, MAX_MESSAGE_BYTES } from "~/domain/collab-codes";
import { colorFor } from "~/domain/presence";
import { ConnectionLimits, type ConnectionSlot } from "./connection-limits";
import { HARD_PAYLOAD_FACTOR, Protocol } from "./protocol";
import type { Connection, Room } from "./room";
import { Rooms, type CollabEvents } from "./rooms";
import { DEFAULT_VERSION_TIMINGS } from "./version-scheduler";
import type { VersionPoint } from "~/services/context";
import { admit, checkUpgrade, rejectUpgrade } from "./upgrade";

export type { CollabEvents };

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
  /** Automatic versions: after this much quiet following edits, and at least this often while edits go on. */
  versionIdleMs?: number;
  versionEveryMs?: number;
}

/**
 * The y-websocket protocol server for plan documents, composed of its parts: the upgrade
 * checks and connection caps (upgrade.ts, connection-limits.ts), the protocol with its
 * per-root write policy (protocol.ts), and the loaded documents, stored before anyone else
 * sees a change (rooms.ts, room.ts, document-store.ts).
 */
export class CollabServer {
  readonly #wss: WebSocketServer;
  readonly #options: Required<CollabOptions>;
  #closing = false;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #limits: ConnectionLimits;
  readonly #rooms: Rooms;
  readonly #protocol: Protocol;
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
      versionIdleMs: DEFAULT_VERSION_TIMINGS.idleMs,
      versionEveryMs: DEFAULT_VERSION_TIMINGS.everyMs,
      ...options,
    };
    const { db, log, unloadDelayMs, snapshotEvery, maxMessageBytes, maxDocumentBytes } = this.#options;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes * HARD_PAYLOAD_FACTOR });
    this.#limits = new ConnectionLimits({
      total: this.#options.maxConnections,
      perIp: this.#options.maxConnectionsPerIp,
      perMember: this.#options.maxConnectionsPerMember,
    });
    this.#heartbeat = setInterval(() => this.#ping(), 30_000);
    this.#heartbeat.unref();
    const versions = { idleMs: this.#options.versionIdleMs, everyMs: this.#options.versionEveryMs };
    this.#rooms = new Rooms({ db, log, events: this.events, unloadDelayMs, snapshotEvery, versions });
    this.#protocol = new Protocol({ maxMessageBytes, maxDocumentBytes, log });
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Sockets counted against the connection caps. */
  get connectionCount(): number {
    return this.#limits.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing) return rejectUpgrade(socket, 404);
    const checked = checkUpgrade(request, this.#options.allowedOrigins());
    if ("status" in checked) return rejectUpgrade(socket, checked.status);
    const { planId } = checked;
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
      if (!this.#protocol.admitSize(ws, data)) {
        refused = true;
        return;
      }
      deliver(data, isBinary);
    });
    ws.on("error", () => ws.terminate());
    try {
      const admission = await admit(this.#options.db, request, planId, slot);
      if (!admission.ok) return ws.close(admission.code, admission.reason);
      const { auth, plan } = admission;
      let room: Room;
      try {
        room = await this.#rooms.open(plan);
      } catch (error) {
        this.#options.log(`collab: plan ${planId} failed to load`, error);
        return ws.close(CloseCode.loadFailed, "the document could not be loaded");
      }
      if (ws.readyState !== ws.OPEN) return this.#rooms.release(room);
      const conn: Connection = {
        socket: ws,
        userId: auth.user.id,
        sessionIdHash: auth.sessionIdHash,
        name: auth.user.name,
        color: colorFor(auth.user.id),
        canEdit: admission.canEdit,
        clientIds: new Set(),
        sentState: false,
        held: [],
      };
      this.#rooms.join(room, conn);
      this.#protocol.greet(room, conn);
      let chain = Promise.resolve();
      deliver = (data, isBinary) => {
        chain = chain.then(() => this.#protocol.onMessage(room, conn, data, isBinary));
      };
      for (const [data, isBinary] of early.splice(0)) deliver(data, isBinary);
      ws.on("close", () => this.#rooms.leave(room, conn));
    } catch (error) {
      this.#options.log(`collab: connection to plan ${planId} failed`, error);
      ws.close(CloseCode.loadFailed, "server error");
    }
  }

  /** The plan's document as stored or live, for server rendering; never keeps a room open. */
  documentState(planId: string, options: { stored?: boolean } = {}): Promise<Uint8Array> {
    return this.#rooms.documentState(planId, options);
  }

  projectionCurrent(planId: string): Promise<void> {
    return this.#rooms.projectionCurrent(planId);
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
    return this.#rooms.applyServerChange(plan, actorId, change);
  }

  /** A version point of the plan's live document (版本历史); see CollabControl.versionPoint. */
  async versionPoint<T>(planId: string, write: (point: VersionPoint) => Promise<T>, options: { state?: Uint8Array } = {}): Promise<T> {
    if (this.#closing) throw new Error("the collaboration server is shutting down");
    const plan = await findPlanById(this.#options.db, planId);
    if (!plan) throw new Error(`plan ${planId} does not exist`);
    return this.#rooms.versionPoint(plan, write, options.state);
  }

  /** Closes a member's sockets (all plans, or one), e.g. on deactivation or removal. */
  closeMemberSockets(userId: number, code: number, reason: string, planId?: string): void {
    for (const conn of this.#rooms.connections(planId)) if (conn.userId === userId) conn.socket.close(code, reason);
  }

  closeSessionSockets(sessionIdHash: string): void {
    for (const conn of this.#rooms.connections()) {
      if (conn.sessionIdHash === sessionIdHash) conn.socket.close(CloseCode.unauthenticated, "signed out");
    }
  }

  /** Access to a plan changed (archived, membership, lock): every client reconnects and is re-judged. */
  async planChanged(planId: string): Promise<void> {
    // A room still loading was built from the plan row as it was before this change.
    const room = await this.#rooms.find(planId);
    const plan = await findPlanById(this.#options.db, planId);
    if (!room || !plan) return;
    room.budgetLocked = plan.budget_locked === 1;
    for (const conn of room.connections) conn.socket.close(CloseCode.accessChanged, "access changed");
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
    await this.#rooms.close();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    for (const ws of this.#wss.clients) ws.terminate();
  }
}
