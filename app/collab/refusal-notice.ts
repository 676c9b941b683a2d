import * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";

/** y-protocols' auth message, whose only kind is "permission denied" with a reason. */
const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;

/** A part of this member's change the server refused and reverted; the rest was kept. */
export interface Refusal {
  /** The root type refused ("budget"), or "" when the server gave no structured reason. */
  root: string;
  /** The write policy's reason ("budgetLocked"), or the server's text. */
  reason: string;
  /** Counts refusals in this session, so the same one twice still shows again. */
  seq: number;
}

/**
 * Takes the server's "permission denied" message from the provider. The stock handler only
 * logs it; the server sends it when it reverted part of an update and kept the socket open.
 */
export function listenForRefusals(provider: WebsocketProvider, listener: (refusal: Omit<Refusal, "seq">) => void): void {
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
    listener(parseReason(decoding.readVarString(decoder)));
  };
}

function parseReason(text: string): Omit<Refusal, "seq"> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "root" in parsed && "reason" in parsed) {
      const { root, reason } = parsed;
      if (typeof root === "string" && typeof reason === "string") return { root, reason };
    }
  } catch {
    // Not the write policy's JSON: shown as the server's own words.
  }
  return { root: "", reason: text };
}
