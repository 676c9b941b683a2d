import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import { rewriteAwarenessUpdate } from "./awareness-rewrite";

function encode(states: { clientId: number; state: unknown }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, states.length);
  for (const { clientId, state } of states) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

function decode(update: Uint8Array): Map<number, unknown> {
  const decoder = decoding.createDecoder(update);
  const states = new Map<number, unknown>();
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    states.set(clientId, JSON.parse(decoding.readVarString(decoder)));
  }
  return states;
}

const identity = { id: 7, name: "王芳", color: "#3370ff" };

describe("rewriteAwarenessUpdate", () => {
  it("keeps a valid cell and stamps the session's identity over a forged one", () => {
    const cell = { block: "budget", rowId: "abc123def456", column: "unitPrice" };
    const out = decode(rewriteAwarenessUpdate(encode([{ clientId: 1, state: { user: { name: "老板", color: "red" }, cell } }]), identity, () => true));
    expect(out.get(1)).toEqual({ user: identity, cell });
  });

  it("drops a cell of the wrong shape and keeps the rest of the state", () => {
    const cursor = { anchor: { type: null }, head: null };
    const forged = { block: "budget", rowId: "abc123def456", column: "item", label: "<b>王芳</b>" };
    const out = decode(rewriteAwarenessUpdate(encode([{ clientId: 1, state: { cursor, cell: forged } }]), identity, () => true));
    expect(out.get(1)).toEqual({ cursor, user: identity, cell: null });
  });

  it("leaves a removed state removed and skips client ids the connection may not use", () => {
    const out = decode(
      rewriteAwarenessUpdate(
        encode([
          { clientId: 1, state: null },
          { clientId: 2, state: { cell: null } },
        ]),
        identity,
        (clientId) => clientId === 1,
      ),
    );
    expect([...out.entries()]).toEqual([[1, null]]);
  });
});
