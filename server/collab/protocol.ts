import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import type { RawData } from "ws";
import { CloseCode } from "~/domain/collab-codes";
import { refuseRootWrite, type RootRefusal } from "~/domain/doc-policy";
import { rewriteAwarenessUpdate } from "./awareness-rewrite";
import { applyWithoutBudget, closingRefusal } from "./refusal";
import { inspectUpdate } from "./update-inspector";
import {
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  awarenessMessage,
  permissionDeniedMessage,
  send,
  syncStep1Message,
  syncStep2Message,
  type Connection,
  type Room,
} from "./room";

const MAX_CLIENT_IDS_PER_CONNECTION = 8;
const MAX_HELD_UPDATES = 256;
/**
 * ws reads frames up to this multiple of maxMessageBytes, so the server itself can refuse
 * one with 4413 and a reason; beyond it ws cuts the connection (1009) before buffering more.
 */
export const HARD_PAYLOAD_FACTOR = 4;

export interface ProtocolOptions {
  /** The largest message the server takes; a bigger one is refused with 4413 and changes nothing. */
  maxMessageBytes: number;
  maxDocumentBytes: number;
  log: (message: string, error?: unknown) => void;
}

/**
 * The y-websocket protocol on one connection: message framing and the size check, sync
 * (every incoming update inspected against the per-root write policy before it is applied)
 * and awareness (rewritten to the member's own name and colour).
 */
export class Protocol {
  constructor(private readonly options: ProtocolOptions) {}

  /**
   * Checked before decoding or queueing: an oversized change is refused whole, with a reason.
   * Returns false (and closes the socket) for a message over the limit.
   */
  admitSize(socket: Connection["socket"], data: RawData): boolean {
    if (byteLength(data) <= this.options.maxMessageBytes) return true;
    const megabytes = Math.round(this.options.maxMessageBytes / (1024 * 1024));
    socket.close(CloseCode.tooLarge, `message over ${megabytes} MB`);
    return false;
  }

  /** What a client is sent on joining: the server's state vector and who is present. */
  greet(room: Room, conn: Connection): void {
    send(conn.socket, syncStep1Message(room.doc));
    const states = [...room.awareness.getStates().keys()];
    if (states.length > 0) send(conn.socket, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, states)));
  }

  // Runs even after the socket closed: a client's last edit often arrives just before its close frame.
  async onMessage(room: Room, conn: Connection, data: RawData, isBinary: boolean): Promise<void> {
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
      this.options.log(`collab: malformed message on plan ${room.planId} from member ${conn.userId}: ${String(error)}`);
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
    if (room.bytes + update.length > this.options.maxDocumentBytes) {
      refuse(conn, CloseCode.tooLarge, "the document is over its size limit");
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
      refuse(conn, CloseCode.updateRefused, "the update depends on changes the server does not have");
      return false;
    }
    const refusals: RootRefusal[] = [];
    for (const root of inspection.roots) {
      const refusal = refuseRootWrite(root, { canEdit: conn.canEdit, budgetLocked: room.budgetLocked });
      if (refusal) refusals.push(refusal);
    }
    const closing = closingRefusal(refusals, conn.canEdit);
    if (closing) {
      refuse(conn, CloseCode.updateRefused, JSON.stringify(closing));
      return false;
    }
    if (!claimAuthorship(room, conn, update)) {
      refuse(conn, CloseCode.updateRefused, "the update writes under another member's client id");
      return false;
    }
    // Applied even when it changes no root's content (e.g. typing into a paragraph someone
    // deleted): skipping it would leave a hole in the client's clock and strand its later edits.
    if (refusals.length === 0) {
      Y.applyUpdate(room.doc, update, conn);
      return true;
    }
    applyWithoutBudget(room, conn, update);
    // The socket stays open: the revert reaches the sender like any update, and this says why.
    for (const refusal of refusals) send(conn.socket, permissionDeniedMessage(JSON.stringify(refusal)));
    return true;
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
}

/** Yjs trusts client ids; we tie each one to the member who first wrote under it. */
function claimAuthorship(room: Room, conn: Connection, update: Uint8Array): boolean {
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

/**
 * Tells the client why, then closes (for what cannot be reverted; see refusal.ts): it must
 * drop its copy and resync from the server's state. The close frame carries the reason too
 * (what the app's client shows); the "permission denied" message is for stock y-websocket
 * clients, which log it.
 */
function refuse(conn: Connection, code: number, reason: string): void {
  send(conn.socket, permissionDeniedMessage(reason));
  conn.socket.close(code, reason.slice(0, 120));
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
