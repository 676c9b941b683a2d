import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { parseCellPresence } from "~/domain/cell-presence";

export interface AwarenessIdentity {
  id: number;
  name: string;
  color: string;
}

/**
 * Rewrites a client's awareness update so every state it publishes carries the identity
 * from its session, and drops entries for client ids another connection already owns.
 * A client therefore cannot appear under someone else's name or erase their cursor. The
 * `cell` a member is on is kept only in its bounded shape (null otherwise), since every
 * collaborator's screen renders it.
 */
export function rewriteAwarenessUpdate(
  update: Uint8Array,
  identity: AwarenessIdentity,
  mayUseClientId: (clientId: number) => boolean,
): Uint8Array {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: { clientId: number; clock: number; state: string }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarString(decoder);
    if (!mayUseClientId(clientId)) continue;
    const parsed: unknown = JSON.parse(raw);
    let state = "null";
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const published = parsed as Record<string, unknown>;
      state = JSON.stringify({ ...published, user: identity, cell: parseCellPresence(published.cell) });
    }
    entries.push({ clientId, clock, state });
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}
