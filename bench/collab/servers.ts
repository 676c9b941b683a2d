import { fork, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProbeReading } from "./server-probe";

/** A server under test in its own process: ours (production build, real SQLite file) or the reference. */
export interface BenchServer {
  kind: "ours" | "reference";
  /** ws://…/collab — both servers take the plan id as the room under this path. */
  serverUrl: string;
  httpUrl: string;
  origin: string;
  pid: number;
  probe(options?: { gc?: boolean }): Promise<ProbeReading>;
  close(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const ROOT_DIR = fileURLToPath(new URL("../../", import.meta.url));

export interface StartOptions {
  /** 0: any free port. */
  port: number;
  log: string;
  /** Inject the message-dropping fault (checks that the harness notices divergence). */
  dropRate?: number;
}

export function startOurs(options: StartOptions & { databasePath: string }): Promise<BenchServer> {
  // The compiled production server (`npm run build`, which bench/run.ts runs first); tsx is
  // still loaded, for the probe (and the reference server), both TypeScript.
  return start("ours", here("../../build/server/index.js"), [], options, {
    DATABASE_PATH: options.databasePath,
    PORT: String(options.port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    SESSION_SECRET: "bench-session-secret-bench-session-secret",
    // Every simulated editor connects from 127.0.0.1; the per-address cap is for real clients.
    COLLAB_MAX_CONNECTIONS_PER_IP: "100000",
    COLLAB_MAX_CONNECTIONS: "100000",
  });
}

export function startReference(options: StartOptions & { statesPath: string }): Promise<BenchServer> {
  return start("reference", here("./reference-server.ts"), ["--port", String(options.port), "--states", options.statesPath], options, {});
}

async function start(kind: BenchServer["kind"], entry: string, args: string[], options: StartOptions, env: Record<string, string>): Promise<BenchServer> {
  const execArgv = ["--import", "tsx", "--import", here("./server-probe.ts")];
  if (options.dropRate) execArgv.push("--import", here("./fault-drop.ts"));
  // For explaining a miss: BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server run.
  if (process.env.BENCH_CPU_PROF) execArgv.push("--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF);
  const child = fork(entry, args, {
    cwd: ROOT_DIR,
    execArgv,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...env, ...(options.dropRate ? { BENCH_DROP_RATE: String(options.dropRate) } : {}) },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const log = createWriteStream(options.log, { flags: "a" });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 60 s (log: ${options.log})`)), 60_000);
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const listening = /(?:running at http:\/\/[^:]+:|reference y-websocket server on )(\d+)/.exec(seen);
      if (listening) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(Number(listening[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code} (log: ${options.log})`)));
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    kind,
    serverUrl: `ws://127.0.0.1:${port}/collab`,
    httpUrl,
    origin: httpUrl,
    pid: child.pid!,
    probe: (probeOptions = {}) => probe(child, probeOptions.gc ?? false),
    close: () => stop(child),
  };
}

function probe(child: ChildProcess, gc: boolean): Promise<ProbeReading> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; reading?: ProbeReading }) => {
      if (message.type !== "probe" || !message.reading) return;
      child.off("message", onMessage);
      resolve(message.reading);
    };
    child.on("message", onMessage);
    child.send({ type: "probe", gc });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
