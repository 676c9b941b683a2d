/**
 * Fault injection for checking the harness itself: preloaded into a server, it silently
 * drops a share (BENCH_DROP_RATE, e.g. 0.02) of the binary websocket messages the server
 * sends after each socket's first two (so clients still connect and sync once).
 */
import { WebSocket } from "ws";

const rate = Number(process.env.BENCH_DROP_RATE ?? "0.02");
const counts = new WeakMap<WebSocket, number>();
const original = Reflect.get(WebSocket.prototype, "send") as (this: WebSocket, ...args: unknown[]) => void;

WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]) {
  const count = (counts.get(this) ?? 0) + 1;
  counts.set(this, count);
  if (count > 2 && Math.random() < rate) {
    const callback = args.find((arg): arg is (error?: Error) => void => typeof arg === "function");
    callback?.();
    return;
  }
  original.apply(this, args);
} as WebSocket["send"];
