/**
 * `npm run bench`: builds the app for production, runs every benchmark part against our
 * server and its reference in the same run, and rewrites docs/PERFORMANCE.md and
 * docs/performance.json. Not part of the test command.
 *
 *   npm run bench                       # everything, 3 repeats
 *   npm run bench -- --only collab      # one part (collab, excel, pages, flood, history); the other parts' stored results are kept
 *   npm run bench -- --render-only      # rewrite PERFORMANCE.md from performance.json and bench/notes.md
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { collabBench } from "./collab/scenarios";
import { floodBench } from "./body-flood";
import { excelBench } from "./excel";
import { historyBench } from "./history";
import { pagesBench } from "./pages";
import type { ResultRow, Section } from "./report";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    repeats: { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
    "render-only": { type: "boolean", default: false },
  },
});
/** In the order their sections appear in docs/PERFORMANCE.md. */
const PARTS = ["collab", "excel", "pages", "flood", "history"] as const;
type Part = (typeof PARTS)[number];
const parts = new Set((values.only ?? PARTS.join(",")).split(","));
const unknownParts = [...parts].filter((name) => !(PARTS as readonly string[]).includes(name));
if (unknownParts.length > 0) throw new Error(`unknown part(s) ${unknownParts.join(", ")}: choose from ${PARTS.join(", ")}`);
const repeats = Number(values.repeats);
const root = new URL("../", import.meta.url);
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
// The driver holds y-websocket providers too (verifiers, joins); each adds a process "exit" listener.
process.setMaxListeners(0);

const { machine, sections } = values["render-only"] ? readStored() : await measure();
const failed = sections.flatMap((section) => section.rows).filter((row) => !row.pass);
writeFileSync(new URL("docs/PERFORMANCE.md", root), render());
log(`${failed.length === 0 ? "every target met" : `${failed.length} target(s) missed`} — docs/PERFORMANCE.md`);

interface Machine {
  date: string;
  cpu: string;
  memory: string;
  node: string;
  platform: string;
  versions: Record<string, string>;
  repeats: number;
  minutes: number;
}

/** A part's section as stored: which part made it and when, so a run of some parts keeps the others'. */
interface StoredSection extends Section {
  part: Part;
  date: string;
}

interface Stored {
  machine: Machine;
  sections: StoredSection[];
}

function readStored(): Stored {
  return JSON.parse(readFileSync(new URL("docs/performance.json", root), "utf8")) as Stored;
}

async function measure(): Promise<Stored> {
  if (parts.has("pages")) {
    log("system packages the pages part needs (Chromium, CJK fonts), as the test command installs them");
    execFileSync("bash", ["scripts/ensure-system-deps.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  }
  log("building the production bundle and server (npm run build)");
  // Others may build in the same tree (tests, a second run): the lock keeps two builds from writing build/ at once.
  execFileSync("flock", ["/tmp/remix-build.lock", "npm", "run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });

  const dir = mkdtempSync(join(tmpdir(), "campaigndesk-bench-"));
  const date = new Date().toISOString();
  const measured: StoredSection[] = [];
  /** A part that throws is reported as failed with its error; the other parts still run. */
  async function part(name: Part, title: string, run: () => Promise<Section[]>): Promise<void> {
    if (!parts.has(name)) return;
    log(title);
    try {
      measured.push(...(await run()).map((section) => ({ ...section, part: name, date })));
    } catch (error) {
      log(`${title} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      measured.push({
        title,
        rows: [{ scenario: title, measure: "ran to completion", unit: "", ours: 0, reference: null, ratio: null, target: "runs", pass: false }],
        notes: [`The part failed: \`${error instanceof Error ? error.message : String(error)}\``],
        raw: null,
        part: name,
        date,
      });
    }
  }
  try {
    await part("collab", "Collaboration server", () => collabBench({ dir, repeats, log }));
    await part("excel", "Excel export", async () => [await excelBench()]);
    await part("pages", "Page loads", async () => [await pagesBench()]);
    await part("flood", "Anonymous large-body flood", async () => [await floodBench({ dir, repeats, log })]);
    await part("history", "Version history", async () => [await historyBench({ dir, repeats, log })]);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }

  const minutes = (Date.now() - started) / 60_000;
  const machine: Machine = {
    date,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(0)} GiB`,
    node: process.version,
    versions: Object.fromEntries(
      ["yjs", "y-protocols", "y-websocket", "@y/websocket-server", "ws", "sqlite3", "exceljs", "@remix-run/node", "react"].map((name) => [name, packageVersion(name)]),
    ),
    repeats,
    minutes: Number(minutes.toFixed(1)),
    platform: process.platform,
  };
  // The parts not run this time keep their stored sections (and dates).
  const kept = values.only === undefined ? [] : readStored().sections.filter((section) => !parts.has(section.part));
  const sections = [...kept, ...measured].sort((a, b) => PARTS.indexOf(a.part) - PARTS.indexOf(b.part));
  writeFileSync(new URL("docs/performance.json", root), `${JSON.stringify({ machine, sections }, null, 2)}\n`);
  log(`measured in ${machine.minutes} min`);
  return { machine, sections };
}

function packageVersion(name: string): string {
  const json = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), "utf8")) as { version: string };
  return json.version;
}

function render(): string {
  const lines = [
    "# Performance",
    "",
    "Written by `npm run bench` (do not edit by hand: the narrative comes from `bench/notes.md`).",
    "",
    `- Run: ${machine.date}, ${machine.minutes} min, ${machine.repeats} repeats per scenario (ours and reference alternating; ratios are the median of the paired ratios)${
      sections.some((section) => section.date !== machine.date) ? "; sections measured in an earlier run say when" : ""
    }`,
    `- Machine: ${machine.cpu}, ${machine.memory}, Node ${machine.node}, ${machine.platform}`,
    `- Versions: ${Object.entries(machine.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}`,
    `- Raw numbers: [performance.json](performance.json)`,
    "",
    "## Summary",
    "",
    failed.length === 0 ? "Every target met." : `${failed.length} target(s) missed: ${failed.map((row) => `${row.scenario} — ${row.measure}`).join("; ")}. See the notes below.`,
    "",
  ];
  for (const section of sections) {
    lines.push(`## ${section.title}`, "");
    if (section.date !== machine.date) lines.push(`Measured in an earlier run: ${section.date}.`, "");
    lines.push("| scenario | measure | ours | reference | ratio | target | |", "|---|---|---:|---:|---:|---|---|");
    for (const row of section.rows) lines.push(tableRow(row));
    lines.push("");
    for (const note of section.notes) lines.push(note, "");
  }
  lines.push(readFileSync(new URL("bench/notes.md", root), "utf8").trim(), "");
  return lines.join("\n");
}

function tableRow(row: ResultRow): string {
  const value = (n: number | null) => (n === null ? "—" : `${format(n)} ${row.unit}`.trim());
  return `| ${row.scenario} | ${row.measure} | ${value(row.ours)} | ${value(row.reference)} | ${row.ratio === null ? "—" : `${row.ratio.toFixed(2)}×`} | ${row.target} | ${row.pass ? "✅ met" : "❌ missed"} |`;
}

function format(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}
