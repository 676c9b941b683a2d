import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { percentile } from "../report";
import { fingerprint, stateVectorOf } from "./doc-ops";
import { openProvider } from "./provider";
import type { Arrival, ClientSpec, DriverMessage, Fingerprint, LoadSpec, SentEdit, WorkerMessage } from "./protocol";
import type { BenchServer } from "./servers";

/** One document under load and the session cookies of its editors (empty strings for the reference). */
export interface RoomSpec {
  room: string;
  cookies: string[];
}

export interface LoadResult {
  edits: number;
  /** Per edit: ms until every other editor of the document had it. */
  latenciesMs: number[];
  p50: number;
  p95: number;
  p99: number;
  /** (edit, peer) pairs that arrived. */
  deliveries: number;
  /** Edits that some peer or the fresh verifier never got. */
  lostEdits: number;
  divergentDocs: number;
  serverCpuMicros: number;
  cpuMicrosPerDelivery: number;
  /** From the first connect to every client synced. */
  connectAllMs: number;
  joinMs: number[];
}

const WORKER = fileURLToPath(new URL("./client-worker.ts", import.meta.url));

/** A client worker process and a way to ask it something and wait for its answer. */
class Worker {
  readonly #child: ChildProcess;
  readonly #waiting: Array<(message: WorkerMessage) => void> = [];
  #failure: Error | null = null;

  constructor() {
    this.#child = fork(WORKER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.#child.on("message", (message: WorkerMessage) => {
      if (message.type === "failed") this.#failure = new Error(`client worker failed: ${message.error}`);
      this.#waiting.shift()?.(message);
    });
    this.#child.on("exit", (code) => {
      if (code !== 0 && this.#waiting.length > 0) this.#failure = new Error(`client worker exited with ${code}`);
      for (const wake of this.#waiting.splice(0)) wake({ type: "failed", error: `exited with ${code}` });
    });
  }

  async ask<T extends WorkerMessage["type"]>(message: DriverMessage, expect: T): Promise<Extract<WorkerMessage, { type: T }>> {
    const answer = new Promise<WorkerMessage>((resolve) => this.#waiting.push(resolve));
    this.#child.send(message);
    const reply = await answer;
    if (this.#failure) throw this.#failure;
    if (reply.type !== expect) throw new Error(`client worker answered ${reply.type} to ${message.type}`);
    return reply as Extract<WorkerMessage, { type: T }>;
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill("SIGKILL");
  }
}

export interface LoadOptions {
  server: BenchServer;
  rooms: RoomSpec[];
  workers: number;
  load: LoadSpec;
  /** How long to wait, after the last edit, for every copy to converge before judging. */
  settleMs?: number;
}

/** Connects every editor, runs the load, waits for quiet, then checks every copy and computes latencies. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { server, rooms, load } = options;
  const specs: ClientSpec[] = [];
  for (const { room, cookies } of rooms) {
    for (const cookie of cookies) specs.push({ index: specs.length, serverUrl: server.serverUrl, room, cookie, origin: server.origin });
  }
  const workers = Array.from({ length: Math.min(options.workers, specs.length) }, () => new Worker());
  try {
    // Round-robin, so the editors of one document sit in different processes.
    const shares = workers.map((_, w) => specs.filter((spec) => spec.index % workers.length === w));
    const connectStart = performance.now();
    const connected = await Promise.all(workers.map((worker, w) => worker.ask({ type: "connect", clients: shares[w]! }, "connected")));
    const connectAllMs = performance.now() - connectStart;
    const indexOfClient = new Map<number, number>();
    connected.forEach((reply, w) => reply.clientIds.forEach((id, i) => indexOfClient.set(id, shares[w]![i]!.index)));

    const cpuBefore = await server.probe();
    await Promise.all(workers.map((worker) => worker.ask({ type: "start", load }, "finished")));
    const fingerprints = await settle(workers, options.settleMs ?? 10_000);
    const cpuAfter = await server.probe();
    const verified = await verify(server, rooms);
    const results = await Promise.all(workers.map((worker) => worker.ask({ type: "results" }, "results")));
    await Promise.all(workers.map((worker) => worker.ask({ type: "close" }, "closed")));

    const sent = results.flatMap((r) => r.sent);
    const arrivals = results.flatMap((r) => r.arrivals);
    const judged = judge(specs, indexOfClient, sent, arrivals, verified);
    const divergentDocs = rooms.filter(({ room }) => {
      const truth = verified.get(room)!;
      return fingerprints.some((f) => f.room === room && (f.hash !== truth.hash || !sameVector(f.stateVector, truth.stateVector)));
    }).length;
    const serverCpuMicros = cpuAfter.cpuMicros - cpuBefore.cpuMicros;
    return {
      edits: sent.length,
      latenciesMs: judged.latenciesMs,
      p50: percentile(judged.latenciesMs, 50),
      p95: percentile(judged.latenciesMs, 95),
      p99: percentile(judged.latenciesMs, 99),
      deliveries: judged.deliveries,
      lostEdits: judged.lost,
      divergentDocs,
      serverCpuMicros,
      cpuMicrosPerDelivery: serverCpuMicros / Math.max(1, judged.deliveries),
      connectAllMs,
      joinMs: connected.flatMap((reply) => reply.joinMs),
    };
  } finally {
    for (const worker of workers) worker.kill();
  }
}

/** Polls every client until each document's copies agree, or the time is up (then they diverged). */
async function settle(workers: Worker[], settleMs: number): Promise<Fingerprint[]> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const fingerprints = (await Promise.all(workers.map((worker) => worker.ask({ type: "fingerprints" }, "fingerprints")))).flatMap((r) => r.fingerprints);
    const byRoom = new Map<string, Fingerprint[]>();
    for (const f of fingerprints) byRoom.set(f.room, [...(byRoom.get(f.room) ?? []), f]);
    const agreed = [...byRoom.values()].every((copies) => copies.every((f) => f.hash === copies[0]!.hash && sameVector(f.stateVector, copies[0]!.stateVector)));
    if (agreed || Date.now() > deadline) return fingerprints;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A fresh client per document, connected after the load: what the server holds. */
async function verify(server: BenchServer, rooms: RoomSpec[]): Promise<Map<string, { hash: string; stateVector: Record<number, number> }>> {
  const truths = new Map<string, { hash: string; stateVector: Record<number, number> }>();
  for (const { room, cookies } of rooms) {
    const doc = new Y.Doc();
    const { provider, synced } = openProvider({ serverUrl: server.serverUrl, room, origin: server.origin, cookie: cookies[0] ?? "" }, doc, 30_000);
    try {
      await synced;
      truths.set(room, { hash: fingerprint(doc), stateVector: stateVectorOf(doc) });
    } finally {
      provider.destroy();
      doc.destroy();
    }
  }
  return truths;
}

function sameVector(a: Record<number, number>, b: Record<number, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[Number(key)] === b[Number(key)]);
}

/** Latency of each edit to all its peers; edits some peer or the verifier lacks are lost. */
function judge(
  specs: ClientSpec[],
  indexOfClient: Map<number, number>,
  sent: SentEdit[],
  arrivals: Arrival[],
  verified: Map<string, { stateVector: Record<number, number> }>,
): { latenciesMs: number[]; deliveries: number; lost: number } {
  const peersOf = new Map<string, number[]>();
  for (const spec of specs) peersOf.set(spec.room, [...(peersOf.get(spec.room) ?? []), spec.index]);
  // receiver → client → arrivals in time order (clocks only grow).
  const seen = new Map<number, Map<number, Arrival[]>>();
  for (const arrival of arrivals) {
    let byClient = seen.get(arrival.receiver);
    if (!byClient) seen.set(arrival.receiver, (byClient = new Map<number, Arrival[]>()));
    let list = byClient.get(arrival.client);
    if (!list) byClient.set(arrival.client, (list = []));
    list.push(arrival);
  }
  for (const byClient of seen.values()) for (const list of byClient.values()) list.sort((a, b) => a.at - b.at);

  const latenciesMs: number[] = [];
  let deliveries = 0;
  let lost = 0;
  for (const edit of sent) {
    const sender = indexOfClient.get(edit.client);
    let worst = 0;
    let complete = (verified.get(edit.room)?.stateVector[edit.client] ?? 0) >= edit.clock;
    for (const peer of peersOf.get(edit.room) ?? []) {
      if (peer === sender) continue;
      const list = seen.get(peer)?.get(edit.client) ?? [];
      const arrival = firstReaching(list, edit.clock);
      if (!arrival) {
        complete = false;
        continue;
      }
      deliveries++;
      worst = Math.max(worst, (arrival.at - edit.at) / 1000);
    }
    if (complete) latenciesMs.push(worst);
    else lost++;
  }
  return { latenciesMs, deliveries, lost };
}

function firstReaching(list: Arrival[], clock: number): Arrival | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.clock >= clock) hi = mid;
    else lo = mid + 1;
  }
  return list[lo];
}
