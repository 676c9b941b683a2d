/**
 * Cold start and memory of a server start command.
 *
 *   node --import tsx scripts/measure-start.ts [--runs 5] [-- <command> <args…>]
 *
 * The command defaults to the production entry, `node build/server/index.js` (build it first
 * with `npm run build`); e.g. `-- node --import tsx server/index.ts` measures the source under
 * tsx. Each run spawns the command in the working directory with NODE_ENV=production, PORT=0,
 * HOST=127.0.0.1 and SEED_DEMO=true, and records:
 *   - ms from spawn until the server prints its URL ("running at http://…"),
 *   - ms from spawn until a first `GET /login` has answered 200 (whole body read),
 *   - RSS (/proc/<pid>/status VmRSS, so the command must be the server process itself, not
 *     npm) when the URL is printed and after that first `GET /login`.
 * Two series of `--runs` runs each: "fresh" on a new SQLite file every time (migrations and
 * the demo seed run), and "existing" on one database a previous start already set up. One
 * unrecorded warm-up run comes first, so both series see a warm OS file cache (and tsx its
 * transform cache). Prints the medians (and min–max) of each series.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Reading {
  urlMs: number;
  loginMs: number;
  rssStartMb: number;
  rssLoginMb: number;
}

function parseArgs(argv: string[]): { runs: number; command: string[] } {
  const dash = argv.indexOf("--");
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const command = dash === -1 ? [process.execPath, "build/server/index.js"] : argv.slice(dash + 1);
  const runsAt = own.indexOf("--runs");
  const runs = runsAt === -1 ? 5 : Number(own[runsAt + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
  if (command.length === 0) throw new Error("no command after --");
  if (command[0] === "node") command[0] = process.execPath;
  return { runs, command };
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

async function measure(command: string[], databasePath: string): Promise<Reading> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "true", DATABASE_PATH: databasePath },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`server exited with ${code} before printing its URL:\n${stdout}${output}`)));
      setTimeout(() => reject(new Error(`no URL within 60 s:\n${stdout}${output}`)), 60_000).unref();
    });
    const urlMs = performance.now() - started;
    const rssStartMb = rssMb(child.pid!);
    const response = await fetch(new URL("/login", url));
    await response.text();
    if (response.status !== 200) throw new Error(`GET /login answered ${response.status}`);
    const loginMs = performance.now() - started;
    return { urlMs, loginMs, rssStartMb, rssLoginMb: rssMb(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) console.error(`warning: server exited with ${code} after SIGTERM\n${output}`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(label: string, readings: Reading[]): string {
  const column = (pick: (r: Reading) => number, unit: string) => {
    const values = readings.map(pick);
    return `${median(values).toFixed(0)} ${unit} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
  };
  return [
    `${label} (median of ${readings.length}, min–max):`,
    `  URL printed        ${column((r) => r.urlMs, "ms")}`,
    `  GET /login 200     ${column((r) => r.loginMs, "ms")}`,
    `  RSS at start       ${column((r) => r.rssStartMb, "MB")}`,
    `  RSS after /login   ${column((r) => r.rssLoginMb, "MB")}`,
  ].join("\n");
}

const { runs, command } = parseArgs(process.argv.slice(2));
const directory = mkdtempSync(join(tmpdir(), "measure-start-"));
try {
  console.log(`command: ${command.join(" ")}`);
  const existing = join(directory, "existing.db");
  await measure(command, existing); // warm-up; also sets up the "existing" database
  const fresh: Reading[] = [];
  const reused: Reading[] = [];
  for (let run = 0; run < runs; run += 1) {
    fresh.push(await measure(command, join(directory, `fresh-${run}.db`)));
    reused.push(await measure(command, existing));
  }
  console.log(summary("fresh database, demo seed", fresh));
  console.log(summary("existing database", reused));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
