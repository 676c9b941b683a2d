import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import { DocumentStore } from "./document-store";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export interface Connection {
  socket: WebSocket;
  userId: number;
  sessionIdHash: string;
  name: string;
  color: string;
  canEdit: boolean;
  /** Awareness client ids this connection publishes under. */
  clientIds: Set<number>;
  /** The client has sent its sync step 2 (its offline edits) since connecting. */
  sentState: boolean;
  /** Live updates that arrived before that step 2 and build on it, held until it comes. */
  held: Uint8Array[];
}

/**
 * The origin of a change the server makes itself on a member's behalf (复盘 generation):
 * stored under that member's id, and broadcast to every client, none excepted.
 */
export class ServerChange {
  constructor(readonly userId: number) {}
}

/** In `Room.authors`: the Yjs client id the server itself writes under, which no member may claim. */
export const SERVER_AUTHOR = -1;

/** One loaded plan document with its connections, awareness and store. */
export class Room {
  readonly connections = new Set<Connection>();
  readonly awareness: awarenessProtocol.Awareness;
  /** Which connection owns each awareness client id. */
  readonly clientOwners = new Map<number, Connection>();
  /** Which member wrote under each Yjs client id, so nobody can write in another's name. */
  readonly authors = new Map<number, number>();
  unloadTimer: NodeJS.Timeout | null = null;
  /** The whole document encoded, kept while it does not change if it is big (see wholeState). */
  #whole: Uint8Array | null;
  /** While `coalesce` runs: the document's updates, to be stored and sent as one. */
  #gathered: Uint8Array[] | null = null;

  constructor(
    readonly planId: string,
    readonly doc: Y.Doc,
    readonly store: DocumentStore,
    public budgetLocked: boolean,
    public bytes: number,
    /** The stored snapshot, when the document is exactly that (no updates after it). */
    snapshot: Uint8Array | null = null,
  ) {
    this.#whole = snapshot && snapshot.length >= KEEP_WHOLE_STATE_FROM ? snapshot : null;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.#whole = null;
      if (this.#gathered) return void this.#gathered.push(update);
      this.bytes += update.length;
      const from = isConnection(origin) ? origin : null;
      const author = from?.userId ?? (origin instanceof ServerChange ? origin.userId : null);
      store.append(update, author, () => this.broadcast(syncUpdateMessage(update), from));
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange) => {
      const changed = [...added, ...updated, ...removed];
      const message = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      this.broadcast(message, null);
    });
  }

  /**
   * What a client with an empty copy is sent. Encoding a big plan takes tens of
   * milliseconds, and everyone opening the plan in the morning needs the same bytes.
   */
  wholeState(): Uint8Array {
    if (this.#whole) return this.#whole;
    const whole = Y.encodeStateAsUpdate(this.doc);
    if (whole.length >= KEEP_WHOLE_STATE_FROM) this.#whole = whole;
    return whole;
  }

  /**
   * Runs `change` and stores and sends all it did to the document as one update, under `from`'s
   * member and to every connection, `from` included: a refused write and its revert never
   * reach anyone apart.
   */
  coalesce(from: Connection, change: () => void): void {
    const gathered: Uint8Array[] = [];
    this.#gathered = gathered;
    try {
      change();
    } finally {
      this.#gathered = null;
      // Also when `change` threw: what it did to the document is stored, as any update is.
      if (gathered.length > 0) {
        const update = Y.mergeUpdates(gathered);
        this.bytes += update.length;
        this.store.append(update, from.userId, () => this.broadcast(syncUpdateMessage(update), null));
      }
    }
  }

  broadcast(message: Uint8Array, except: Connection | null): void {
    for (const conn of this.connections) if (conn !== except) send(conn.socket, message);
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}

function isConnection(value: unknown): value is Connection {
  return typeof value === "object" && value !== null && "socket" in value && "userId" in value;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Smaller documents are encoded afresh: keeping a copy of each would cost more memory than time. */
const KEEP_WHOLE_STATE_FROM = 256 * 1024;

// A client that cannot keep up (16 MB unsent) is dropped rather than grow the server's memory.
const MAX_BUFFERED = 16 * 1024 * 1024;

export function send(socket: WebSocket, message: Uint8Array): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED) {
    socket.terminate();
    return;
  }
  socket.send(message, (error) => {
    if (error) socket.terminate();
  });
}

export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Sync step 2 for a client that sent `stateVector`: what it lacks of the room's document. */
export function syncStep2Message(room: Room, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  if (Y.decodeStateVector(stateVector).size === 0) {
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, room.wholeState());
  } else {
    syncProtocol.writeSyncStep2(encoder, room.doc, stateVector);
  }
  return encoding.toUint8Array(encoder);
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** y-protocols' auth message "permission denied": y-websocket clients log the reason. */
export function permissionDeniedMessage(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
