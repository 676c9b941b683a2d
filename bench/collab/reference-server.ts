/**
 * The reference: the stock y-websocket server (`setupWSConnection` from
 * @y/websocket-server 0.1.1), as its README runs it — no authentication, no write policy,
 * no storage. Documents start from the states in --states (what our server has stored for
 * the same plans), through the package's own content initializer.
 *
 *   node --import tsx bench/collab/reference-server.ts --port 0 --states /tmp/states.json
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import * as Y from "yjs";
import { WebSocketServer } from "ws";
import { setContentInitializor, setupWSConnection } from "@y/websocket-server/utils";

const { values } = parseArgs({ options: { port: { type: "string" }, states: { type: "string" } } });
const states = new Map<string, Uint8Array>(
  values.states ? Object.entries(JSON.parse(readFileSync(values.states, "utf8")) as Record<string, string>).map(([room, base64]) => [room, Buffer.from(base64, "base64")]) : [],
);

setContentInitializor((doc) => {
  const state = states.get((doc as Y.Doc & { name: string }).name);
  if (state) Y.applyUpdate(doc, state);
  return Promise.resolve();
});

const server = http.createServer((_request, response) => {
  response.writeHead(200, { "Content-Type": "text/plain" });
  response.end("okay");
});
const wss = new WebSocketServer({ noServer: true });
wss.on("connection", setupWSConnection);
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
});
server.listen(Number(values.port ?? "0"), "127.0.0.1", () => {
  console.log(`reference y-websocket server on ${(server.address() as AddressInfo).port}`);
});
// Exit normally on the driver's SIGTERM, so `--cpu-prof` (BENCH_CPU_PROF) can write its profile.
process.once("SIGTERM", () => process.exit(0));
