/**
 * Fault injection for checking the harness itself: preloaded into a server, it silently
 * drops a share (BENCH_DROP_RATE, e.g. 0.02) of the live edits the server relays. Only
 * sync-update messages are dropped, never a handshake (sync step 1/2) or awareness, so
 * every client still connects and syncs once; and the drops are every n-th relayed edit
 * rather than random, so a short run cannot by chance lose nothing.
 */
import { WebSocket } from "ws";

const rate = Number(process.env.BENCH_DROP_RATE ?? "0.02");
const every = Math.max(1, Math.round(1 / rate));
const original = Reflect.get(WebSocket.prototype, "send") as (this: WebSocket, ...args: unknown[]) => void;
let relayedEdits = 0;

// y-protocols framing: message type 0 (sync), then sync type 2 (update); both one-byte varUints.
function isRelayedEdit(data: unknown): boolean {
  return data instanceof Uint8Array && data.length > 2 && data[0] === 0 && data[1] === 2;
}

WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]) {
  if (isRelayedEdit(args[0])) {
    relayedEdits += 1;
    if (relayedEdits % every === 0) {
      const callback = args.find((arg): arg is (error?: Error) => void => typeof arg === "function");
      callback?.();
      return;
    }
  }
  original.apply(this, args);
} as WebSocket["send"];
