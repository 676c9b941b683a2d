import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { createBenchPlan, createLoadMembers } from "./fixtures";
import type { FloodMessage, FloodStart, FloodTarget, PostOutcome } from "./body-flood-child";
import { pairedRatio } from "./collab/paired";
import { startOurs, type BenchServer } from "./collab/servers";
import { median, percentile, type Section } from "./report";

/**
 * Anonymous large-body flood (issue: a sign-in page must stay fast while anonymous clients
 * upload huge bodies): the login page's latency from a fresh connection, quiet and while 20
 * clients without a session each post 20 MB bodies in a loop, against the real production
 * server.
 */

const CLIENTS = 20;
const BODY_BYTES = 20 * 1024 * 1024;
/** About 84 Mbit/s per client, a fast office uplink: a 20 MB body takes 2 s, 200 MB/s for all 20. */
const CLIENT_BYTES_PER_SECOND = 10 * 1024 * 1024;
const PROBES = 200;
const WARM_UP_PROBES = 20;
const TARGET_P95_MS = 100;
/** A probe that takes longer is counted at this time (and listed): the server is then not answering at all. */
const PROBE_TIMEOUT_MS = 10_000;
/** The flood must reach steady state (every client answered once) within this; the probes start regardless. */
const WARM_TIMEOUT_MS = 60_000;
/** Bounds a flood whose driver never stops it. */
const FLOOD_MAX_MS = 10 * 60_000;

const ROUTES = ["/login", "/plans/new", "/plans/:planId/actuals/import"] as const;

interface Probe {
  ms: number;
  /** The HTTP status, or "timeout" or the connection error's code. */
  status: number | string;
}

interface Phase {
  probes: Probe[];
  /** Server CPU time over the phase ÷ its wall time. */
  serverCpuShare: number;
  wallMs: number;
}

interface FloodPhase extends Phase {
  posts: PostOutcome[];
  warmMs: number | null;
  stoppedBy: "driver" | "maxMs";
}

interface Repeat {
  quiet: Phase;
  flood: FloodPhase;
  /** The server's resident memory after start-up and its peak (VmHWM) at the end of the repeat. */
  rssAfterStart: number;
  peakRss: number;
}

export interface FloodBenchOptions {
  dir: string;
  repeats: number;
  log: (line: string) => void;
}

export async function floodBench(options: FloodBenchOptions): Promise<Section> {
  const loadBefore = loadavg()[0]!;
  const { databasePath, planId } = await seedDatabase(join(options.dir, "flood.db"));
  const targets = floodTargets(planId);
  const repeats: Repeat[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const server = await startOurs({ port: 0, log: join(options.dir, "flood-server.log"), databasePath });
    try {
      for (let i = 0; i < WARM_UP_PROBES; i++) await probeLogin(server.httpUrl);
      const rssAfterStart = (await server.probe()).rss;
      // Alternate the order, so whatever the flood leaves behind (garbage, page cache) falls on both phases alike.
      let quiet: Phase | undefined;
      let flood: FloodPhase | undefined;
      if (repeat % 2 === 0) {
        quiet = await probePhase(server);
        flood = await floodPhase(server, targets);
      } else {
        flood = await floodPhase(server, targets);
        quiet = await probePhase(server);
      }
      const result: Repeat = { quiet, flood, rssAfterStart, peakRss: peakRss(server.pid) };
      repeats.push(result);
      options.log(
        `flood #${repeat + 1}: GET /login p95 ${p95(quiet).toFixed(1)} ms quiet, ${p95(flood).toFixed(1)} ms under flood; ` +
          `${flood.posts.length} posts, statuses ${JSON.stringify(statusCounts(flood.posts))}; server peak RSS ${mb(result.peakRss)}`,
      );
    } finally {
      await server.close();
    }
  }
  return section(repeats, targets, planId, { before: loadBefore, after: loadavg()[0]! });
}

function floodTargets(planId: string): FloodTarget[] {
  const targets: FloodTarget[] = [];
  for (const framing of ["length", "chunked"] as const) {
    for (const contentType of ["urlencoded", "multipart"] as const) {
      for (const route of ROUTES) targets.push({ route: route.replace(":planId", planId), contentType, framing });
    }
  }
  return targets;
}

/** A fresh database with one plan, so the actuals import route exists; the server adds the demo workspace on start. */
async function seedDatabase(databasePath: string): Promise<{ databasePath: string; planId: string }> {
  const db = createDb(databasePath);
  try {
    await migrateToLatest(db);
    const [planner] = await createLoadMembers(db, 1, { role: "planner", prefix: "flood-planner" });
    const planId = await createBenchPlan(db, planner!.id, [], { title: "双十一 防洪压测方案", budgetLines: 20 });
    return { databasePath, planId };
  } finally {
    await db.destroy();
  }
}

/** One GET /login on a new connection (no keep-alive), timed to the last byte of the page. */
function probeLogin(baseUrl: string): Promise<Probe> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = get(new URL("/login", baseUrl), { agent: false, headers: { accept: "text/html" }, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode ?? "none" }));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ ms: PROBE_TIMEOUT_MS, status: "timeout" });
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ ms: performance.now() - started, status: error.code ?? error.message }));
  });
}

async function probePhase(server: BenchServer): Promise<Phase> {
  const cpuBefore = (await server.probe()).cpuMicros;
  const started = performance.now();
  const probes: Probe[] = [];
  for (let i = 0; i < PROBES; i++) probes.push(await probeLogin(server.httpUrl));
  const wallMs = performance.now() - started;
  const cpuMicros = (await server.probe()).cpuMicros - cpuBefore;
  return { probes, wallMs, serverCpuShare: cpuMicros / 1000 / wallMs };
}

async function floodPhase(server: BenchServer, targets: FloodTarget[]): Promise<FloodPhase> {
  const flood = startFlood({
    type: "start",
    baseUrl: server.httpUrl,
    origin: server.origin,
    targets,
    clients: CLIENTS,
    bodyBytes: BODY_BYTES,
    bytesPerSecond: CLIENT_BYTES_PER_SECOND,
    maxMs: FLOOD_MAX_MS,
  });
  try {
    const warmMs = await flood.warm;
    const phase = await probePhase(server);
    const { posts, stoppedBy } = await flood.stop();
    return { ...phase, posts, warmMs, stoppedBy };
  } finally {
    flood.kill();
  }
}

interface RunningFlood {
  /** Time until every client had its first post answered; null if that took longer than WARM_TIMEOUT_MS. */
  warm: Promise<number | null>;
  stop(): Promise<{ posts: PostOutcome[]; stoppedBy: "driver" | "maxMs" }>;
  kill(): void;
}

function startFlood(start: FloodStart): RunningFlood {
  const child: ChildProcess = fork(fileURLToPath(new URL("./body-flood-child.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const began = performance.now();
  const exited = new Promise<never>((_, fail) => child.once("exit", (code) => fail(new Error(`the flood process exited with ${code} before reporting`))));
  // Only a failure matters here; a clean exit comes after the result, which is awaited first.
  exited.catch(() => undefined);
  const warm = Promise.race([
    new Promise<number>((ok) => child.on("message", (message: FloodMessage) => message.type === "warm" && ok(performance.now() - began))),
    new Promise<null>((ok) => setTimeout(ok, WARM_TIMEOUT_MS, null).unref()),
    exited,
  ]);
  const result = Promise.race([
    new Promise<Extract<FloodMessage, { type: "result" }>>((ok) => child.on("message", (message: FloodMessage) => message.type === "result" && ok(message))),
    exited,
  ]);
  child.send(start);
  return {
    warm,
    stop: async () => {
      if (child.connected) child.send({ type: "stop" });
      const { posts, stoppedBy } = await result;
      return { posts, stoppedBy };
    },
    kill: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** The process's peak resident memory so far (Linux), which catches the moment buffered bodies pile up. */
function peakRss(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

const latencies = (phase: Phase) => phase.probes.map((probe) => probe.ms);
const p95 = (phase: Phase) => percentile(latencies(phase), 95);
const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

function count(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function statusCounts(posts: readonly PostOutcome[]): Record<string, number> {
  return count(posts.map((post) => (post.status === null ? `no response (${post.error ?? "closed"})` : String(post.status))));
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([status, count]) => `${status} × ${count}`)
    .join(", ");
}

/** Statuses, time to the response and body bytes sent by then, per route, body type and framing. */
interface TargetSummary {
  route: string;
  contentType: FloodTarget["contentType"];
  framing: FloodTarget["framing"];
  posts: number;
  statuses: Record<string, number>;
  /** Medians over the posts that got a response; null when none did. */
  responseMs: number | null;
  bytesAtResponse: number | null;
}

function summarize(posts: readonly PostOutcome[], targets: readonly FloodTarget[], planId: string): TargetSummary[] {
  return targets.map((target) => {
    const mine = posts.filter((post) => post.target.route === target.route && post.target.contentType === target.contentType && post.target.framing === target.framing);
    const answered = mine.filter((post) => post.responseMs !== null && post.bytesAtResponse !== null);
    return {
      route: target.route.replace(planId, ":planId"),
      contentType: target.contentType,
      framing: target.framing,
      posts: mine.length,
      statuses: statusCounts(mine),
      responseMs: answered.length > 0 ? median(answered.map((post) => post.responseMs!)) : null,
      bytesAtResponse: answered.length > 0 ? median(answered.map((post) => post.bytesAtResponse!)) : null,
    };
  });
}

/** Statuses, time to the response and body bytes sent by then, per route, body type and framing. */
function postsTable(summaries: readonly TargetSummary[]): string {
  const lines = ["| route | body | framing | posts | statuses | time to response, median | body sent before it, median |", "|---|---|---|---:|---|---:|---:|"];
  for (const s of summaries) {
    const framing = s.framing === "length" ? "Content-Length" : "chunked";
    const responseMs = s.responseMs === null ? "—" : ms(s.responseMs);
    const sent = s.bytesAtResponse === null ? "—" : `${(s.bytesAtResponse / (1024 * 1024)).toFixed(2)} MB`;
    lines.push(`| \`${s.route}\` | ${s.contentType} | ${framing} | ${s.posts} | ${describeCounts(s.statuses)} | ${responseMs} | ${sent} |`);
  }
  return lines.join("\n");
}

function phaseSummary(phase: Phase) {
  const values = latencies(phase);
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: Math.max(...values),
    notOk: count(phase.probes.filter((probe) => probe.status !== 200).map((probe) => String(probe.status))),
    serverCpuShare: phase.serverCpuShare,
    wallMs: phase.wallMs,
  };
}

function section(repeats: Repeat[], targets: FloodTarget[], planId: string, load: { before: number; after: number }): Section {
  const quietP95 = repeats.map((r) => p95(r.quiet));
  const floodP95 = repeats.map((r) => p95(r.flood));
  const ours = median(floodP95);
  const all = (pick: (r: Repeat) => Phase) => repeats.flatMap((r) => latencies(pick(r)));
  const describe = (pick: (r: Repeat) => Phase) => {
    const values = all(pick);
    const failures = repeats.flatMap((r) => pick(r).probes.filter((probe) => probe.status !== 200));
    const cpu = median(repeats.map((r) => pick(r).serverCpuShare));
    return (
      `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, max ${ms(Math.max(...values))} over ${values.length} requests; ` +
      `server CPU ${(cpu * 100).toFixed(0)} % of a core` +
      (failures.length > 0 ? `; not 200: ${describeCounts(count(failures.map((probe) => String(probe.status))))}` : "")
    );
  };
  const posts = repeats.flatMap((r) => r.flood.posts);
  const summaries = summarize(posts, targets, planId);
  const warm = repeats.map((r) => r.flood.warmMs);
  const sentMb = posts.reduce((sum, post) => sum + post.bytesSent, 0) / (1024 * 1024);
  const floodSeconds = repeats.reduce((sum, r) => sum + r.flood.wallMs + (r.flood.warmMs ?? WARM_TIMEOUT_MS), 0) / 1000;
  const cores = cpus().length;
  const pass = ours < TARGET_P95_MS;
  const scenario = `GET /login while ${CLIENTS} anonymous clients each post ${BODY_BYTES / (1024 * 1024)} MB bodies in a loop`;
  return {
    title: "Anonymous large-body flood",
    rows: [
      {
        scenario,
        measure: `p95 latency, new connection each (${PROBES} sequential requests)`,
        unit: "ms",
        ours,
        reference: median(quietP95),
        ratio: pairedRatio(floodP95, quietP95),
        target: `< ${TARGET_P95_MS} ms (reference column: no flood)`,
        pass,
      },
    ],
    notes: [
      `Method: the production build served by our own server in its own process (\`node build/server/index.js\`, NODE_ENV=production, a fresh SQLite file with one plan and the demo workspace), on a free loopback port. ${PROBES} sequential \`GET /login\` requests, each on a new connection (no keep-alive), timed from the request to the page's last byte; once with no other traffic and once while ${CLIENTS} clients in another process, with no session cookie and no CSRF token but the server's own Origin, each post ${mb(BODY_BYTES)} bodies in a loop: the body streamed in 64 KB chunks at ${mb(CLIENT_BYTES_PER_SECOND)}/s per client (about ${Math.round((CLIENT_BYTES_PER_SECOND * 8) / 1e6)} Mbit/s), kept up after an early response as a careless or hostile sender would; a client's next post starts when the connection closes but never sooner than its body takes at that rate (${(BODY_BYTES / CLIENT_BYTES_PER_SECOND).toFixed(0)} s), so a refused post does not turn the flood into a flood of new requests. The clients cycle over ${ROUTES.map((r) => `\`${r}\``).join(", ")}, url-encoded and multipart bodies, announced by Content-Length or sent chunked. The probes start once every client has had a post answered (${warm.map((w) => (w === null ? `not within ${WARM_TIMEOUT_MS / 1000} s` : `${(w / 1000).toFixed(1)} s`)).join(", ")}). ${repeats.length} repeat${repeats.length === 1 ? "" : "s"}, each on a fresh server, quiet and flood alternating which goes first; the row shows the median of the repeats' p95s and the median of the paired ratios. 1-minute load average of the machine (${cores} cores): ${load.before.toFixed(1)} before this part, ${load.after.toFixed(1)} after.`,
      `Quiet: ${describe((r) => r.quiet)}. Under the flood: ${describe((r) => r.flood)}. Server resident memory: ${mb(median(repeats.map((r) => r.rssAfterStart)))} after start-up, peak ${mb(Math.max(...repeats.map((r) => r.peakRss)))}. The flood sent ${sentMb.toFixed(0)} MB in ${posts.length} posts over ${floodSeconds.toFixed(0)} s${repeats.some((r) => r.flood.stoppedBy === "maxMs") ? ` (and hit its ${FLOOD_MAX_MS / 60_000}-minute cap before the probes ended)` : ""}.`,
      `What the flood's posts got (all repeats; "no response": the server closed the connection while the body was still being sent, before the client had read an answer):\n\n${postsTable(summaries)}`,
      ...(pass
        ? []
        : [
            `The target was missed in this run. A large anonymous body that is read (and buffered) in full before the request is refused costs the server memory and CPU for every byte, and the login page's requests queue behind that work on the same event loop; compare the statuses and the body sent before each response above.`,
          ]),
    ],
    raw: {
      clients: CLIENTS,
      bodyBytes: BODY_BYTES,
      clientBytesPerSecond: CLIENT_BYTES_PER_SECOND,
      probes: PROBES,
      load,
      repeats: repeats.map((r) => ({
        quiet: phaseSummary(r.quiet),
        flood: { ...phaseSummary(r.flood), warmMs: r.flood.warmMs, stoppedBy: r.flood.stoppedBy, posts: r.flood.posts.length, statuses: statusCounts(r.flood.posts) },
        rssAfterStart: r.rssAfterStart,
        peakRss: r.peakRss,
      })),
      posts: summaries,
    },
  };
}
