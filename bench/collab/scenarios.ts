import { join } from "node:path";
import * as Y from "yjs";
import { startPlanExport } from "../excel";
import { median, type ResultRow, type Section } from "../report";
import { prepareScenario, type ScenarioData } from "./fixture-db";
import { runLoad, type LoadResult, type RoomSpec } from "./harness";
import { paired, pairedRatio, type Kind } from "./paired";
import { openProvider } from "./provider";
import { startOurs, startReference, type BenchServer } from "./servers";

export interface CollabBenchOptions {
  dir: string;
  repeats: number;
  /** Shortens every load (for the harness's own test). */
  scale?: number;
  log: (line: string) => void;
}

function startServer(kind: Kind, data: ScenarioData, dir: string, name: string): Promise<BenchServer> {
  const port = 0;
  const log = join(dir, `${name}-${kind}.log`);
  return kind === "ours" ? startOurs({ port, log, databasePath: data.copyDatabase(dir) }) : startReference({ port, log, statesPath: data.statesPath });
}

function roomsFor(kind: Kind, data: ScenarioData): RoomSpec[] {
  // The reference has no accounts: its clients send no cookie.
  return data.planIds.map((room, i) => ({ room, cookies: data.cookies[i]!.map((cookie) => (kind === "ours" ? cookie : "")) }));
}

function row(scenario: string, measure: string, unit: string, ours: number[], reference: number[], limit: number): ResultRow {
  const ratio = pairedRatio(ours, reference);
  return { scenario, measure, unit, ours: median(ours), reference: median(reference), ratio, target: `≤ ${limit.toFixed(2)}×`, pass: ratio <= limit };
}

function correctness(scenario: string, runs: Record<Kind, LoadResult[]>): ResultRow[] {
  const all = [...runs.ours, ...runs.reference];
  const divergent = all.reduce((sum, run) => sum + run.divergentDocs, 0);
  const lost = all.reduce((sum, run) => sum + run.lostEdits, 0);
  return [
    { scenario, measure: "divergent documents (all runs)", unit: "", ours: runs.ours.reduce((s, r) => s + r.divergentDocs, 0), reference: runs.reference.reduce((s, r) => s + r.divergentDocs, 0), ratio: null, target: "0", pass: divergent === 0 },
    { scenario, measure: "lost edits (all runs)", unit: "", ours: runs.ours.reduce((s, r) => s + r.lostEdits, 0), reference: runs.reference.reduce((s, r) => s + r.lostEdits, 0), ratio: null, target: "0", pass: lost === 0 },
  ];
}

interface LoadScenario {
  name: string;
  title: string;
  plans: number;
  editorsPerPlan: number;
  rate: number;
  durationMs: number;
  workers: number;
}

async function loadScenario(options: CollabBenchOptions, scenario: LoadScenario): Promise<{ runs: Record<Kind, LoadResult[]> }> {
  const data = await prepareScenario(options.dir, scenario.name, { plans: scenario.plans, editorsPerPlan: scenario.editorsPerPlan, plan: { budgetLines: 20 } });
  const runs = await paired(options.repeats, async (kind, repeat) => {
    const server = await startServer(kind, data, options.dir, scenario.name);
    try {
      const result = await runLoad({
        server,
        rooms: roomsFor(kind, data),
        workers: scenario.workers,
        load: { rate: scenario.rate, durationMs: scenario.durationMs * (options.scale ?? 1), seed: repeat + 1 },
      });
      options.log(
        `${scenario.name} ${kind} #${repeat + 1}: ${result.edits} edits, p95 ${result.p95.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
          `${result.cpuMicrosPerDelivery.toFixed(1)} µs CPU/delivery, connect ${result.connectAllMs.toFixed(0)} ms, divergent ${result.divergentDocs}, lost ${result.lostEdits}`,
      );
      return result;
    } finally {
      await server.close();
    }
  });
  return { runs };
}

const pick = (runs: LoadResult[], measure: (run: LoadResult) => number) => runs.map(measure);

export async function editorsScenario(options: CollabBenchOptions, editors: number): Promise<{ rows: ResultRow[]; raw: unknown }> {
  const name = `editors-${editors}`;
  const { runs } = await loadScenario(options, { name, title: "", plans: 1, editorsPerPlan: editors, rate: 4, durationMs: 12_000, workers: 2 });
  const scenario = `${editors} editors on one plan`;
  return {
    rows: [row(scenario, "p95 latency to all peers", "ms", pick(runs.ours, (r) => r.p95), pick(runs.reference, (r) => r.p95), 1.15), ...correctness(scenario, runs)],
    raw: summarize(runs),
  };
}

export async function fiftyEditorsScenario(options: CollabBenchOptions): Promise<{ rows: ResultRow[]; raw: unknown }> {
  const { runs } = await loadScenario(options, { name: "editors-50", title: "", plans: 1, editorsPerPlan: 50, rate: 2, durationMs: 20_000, workers: 2 });
  const scenario = "50 editors on one plan, 2 edits/s each";
  return {
    rows: [
      row(scenario, "server CPU per delivered update", "µs", pick(runs.ours, (r) => r.cpuMicrosPerDelivery), pick(runs.reference, (r) => r.cpuMicrosPerDelivery), 1.1),
      row(scenario, "p95 latency to all peers", "ms", pick(runs.ours, (r) => r.p95), pick(runs.reference, (r) => r.p95), 1.1),
      row(scenario, "p99 latency to all peers", "ms", pick(runs.ours, (r) => r.p99), pick(runs.reference, (r) => r.p99), 1.25),
      ...correctness(scenario, runs),
    ],
    raw: summarize(runs),
  };
}

export async function manyPlansScenario(options: CollabBenchOptions): Promise<{ rows: ResultRow[]; raw: unknown }> {
  const { runs } = await loadScenario(options, { name: "plans-200", title: "", plans: 200, editorsPerPlan: 2, rate: 0.5, durationMs: 15_000, workers: 2 });
  const scenario = "200 plans × 2 editors, 0.5 edits/s each";
  return {
    rows: [
      row(scenario, "p95 latency to all peers", "ms", pick(runs.ours, (r) => r.p95), pick(runs.reference, (r) => r.p95), 1.2),
      row(scenario, "server CPU per delivered update", "µs", pick(runs.ours, (r) => r.cpuMicrosPerDelivery), pick(runs.reference, (r) => r.cpuMicrosPerDelivery), 1.2),
      row(scenario, "time to connect all 400 editors", "ms", pick(runs.ours, (r) => r.connectAllMs), pick(runs.reference, (r) => r.connectAllMs), 1.2),
      ...correctness(scenario, runs),
    ],
    raw: summarize(runs),
  };
}

function summarize(runs: Record<Kind, LoadResult[]>): unknown {
  const strip = (run: LoadResult) => ({ ...run, latenciesMs: undefined, joinMs: undefined });
  return { ours: runs.ours.map(strip), reference: runs.reference.map(strip) };
}

/** One client joins and waits for sync; ms from opening the socket to holding the document. */
export async function joinOnce(server: BenchServer, room: string, cookie: string): Promise<{ ms: number; destroy: () => void }> {
  const doc = new Y.Doc();
  const started = performance.now();
  const { provider, synced } = openProvider({ serverUrl: server.serverUrl, room, origin: server.origin, cookie }, doc);
  await synced;
  const ms = performance.now() - started;
  return {
    ms,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function bigPlanJoinScenario(options: CollabBenchOptions): Promise<{ rows: ResultRow[]; raw: unknown }> {
  const data = await prepareScenario(options.dir, "join-5000", { plans: 1, editorsPerPlan: 2, plan: { budgetLines: 5_000, textBytes: 200_000 } });
  const room = data.planIds[0]!;
  const runs = await paired(options.repeats, async (kind, repeat) => {
    const server = await startServer(kind, data, options.dir, "join-5000");
    const cookies = roomsFor(kind, data)[0]!.cookies;
    try {
      const first = await joinOnce(server, room, cookies[0]!);
      const warm: number[] = [];
      for (let i = 0; i < 5; i++) {
        const again = await joinOnce(server, room, cookies[1]!);
        warm.push(again.ms);
        again.destroy();
      }
      first.destroy();
      options.log(`join-5000 ${kind} #${repeat + 1}: cold ${first.ms.toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms`);
      return { cold: first.ms, warm: median(warm) };
    } finally {
      await server.close();
    }
  });
  const scenario = "a 5,000-row budget with 200 KB of text";
  return {
    rows: [
      row(scenario, "cold join (ours: from SQLite)", "ms", runs.ours.map((r) => r.cold), runs.reference.map((r) => r.cold), 1.3),
      row(scenario, "warm join", "ms", runs.ours.map((r) => r.warm), runs.reference.map((r) => r.warm), 1.2),
    ],
    raw: runs,
  };
}

export async function memoryScenario(options: CollabBenchOptions): Promise<{ rows: ResultRow[]; raw: unknown }> {
  const plans = 100;
  const data = await prepareScenario(options.dir, "memory", { plans: plans + 1, editorsPerPlan: 1, plan: { budgetLines: 20 } });
  const runs = await paired(options.repeats, async (kind, repeat) => {
    const server = await startServer(kind, data, options.dir, "memory");
    const cookies = roomsFor(kind, data).map((room) => room.cookies[0]!);
    try {
      // Warm up every code path once, on a plan not counted, and let it unload.
      (await joinOnce(server, data.planIds[plans]!, cookies[plans]!)).destroy();
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const baseline = (await server.probe({ gc: true })).heapUsed;
      const joined = [];
      for (let p = 0; p < plans; p++) joined.push(await joinOnce(server, data.planIds[p]!, cookies[p]!));
      const open = (await server.probe({ gc: true })).heapUsed;
      for (const client of joined) client.destroy();
      // Ours keeps an empty plan loaded for 5 s in case someone comes straight back.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const after = (await server.probe({ gc: true })).heapUsed;
      const result = { baseline, perPlan: (open - baseline) / plans, afterLeave: after - baseline };
      options.log(`memory ${kind} #${repeat + 1}: ${(result.perPlan / 1024).toFixed(1)} KB heap per open plan, ${(result.afterLeave / 1024 / 1024).toFixed(2)} MB above baseline after all left`);
      return result;
    } finally {
      await server.close();
    }
  });
  const afterLeave = median(runs.ours.map((r) => r.afterLeave)) / 1024 / 1024;
  return {
    rows: [
      row("memory, 100 small plans open", "heap per open small plan", "KB", runs.ours.map((r) => r.perPlan / 1024), runs.reference.map((r) => r.perPlan / 1024), 1.2),
      {
        scenario: "memory, 100 small plans open",
        measure: "heap after all clients leave, above baseline",
        unit: "MB",
        ours: afterLeave,
        reference: median(runs.reference.map((r) => r.afterLeave)) / 1024 / 1024,
        ratio: null,
        target: "≤ 2 MB (ours)",
        pass: afterLeave <= 2,
      },
    ],
    raw: runs,
  };
}

/** A 10-editor plan's latency while 100,000-line plan workbooks are exported back to back. */
export async function exportUnderLoadScenario(options: CollabBenchOptions): Promise<{ rows: ResultRow[]; raw: unknown }> {
  const data = await prepareScenario(options.dir, "export-load", {
    plans: 1,
    editorsPerPlan: 10,
    plan: { budgetLines: 20 },
    extraPlans: [{ budgetLines: 100_000 }],
  });
  const runs: { quiet: number; during: number; exports: number; exportMs: number[] }[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const server = await startServer("ours", data, options.dir, "export-load");
    try {
      const load = (seed: number) =>
        runLoad({ server, rooms: roomsFor("ours", data), workers: 2, load: { rate: 4, durationMs: 15_000 * (options.scale ?? 1), seed } });
      const quiet = await load(repeat * 2 + 1);
      const exportMs: number[] = [];
      let loading = true;
      const exporting = (async () => {
        while (loading) exportMs.push((await startPlanExport(server.httpUrl, data.extraPlanIds[0]!, data.cookies[0]![0]!)).ms);
      })();
      const during = await load(repeat * 2 + 2).finally(() => (loading = false));
      await exporting;
      runs.push({ quiet: quiet.p95, during: during.p95, exports: exportMs.length, exportMs });
      options.log(`export-load #${repeat + 1}: p95 quiet ${quiet.p95.toFixed(2)} ms, during exports ${during.p95.toFixed(2)} ms (${exportMs.length} exports, ${exportMs.map((ms) => ms.toFixed(0)).join("/")} ms)`);
    } finally {
      await server.close();
    }
  }
  const ratio = median(runs.map((run) => run.during / run.quiet));
  return {
    rows: [
      {
        scenario: "10 editors while 100,000-line plan workbooks are exported",
        measure: "p95 latency during exports ÷ quiet",
        unit: "ms",
        ours: median(runs.map((run) => run.during)),
        reference: median(runs.map((run) => run.quiet)),
        ratio,
        target: "< 2× (reference column: ours, quiet)",
        pass: ratio < 2,
      },
    ],
    raw: runs,
  };
}

export async function collabBench(options: CollabBenchOptions): Promise<Section[]> {
  const parts = [
    await editorsScenario(options, 2),
    await editorsScenario(options, 10),
    await fiftyEditorsScenario(options),
    await manyPlansScenario(options),
    await bigPlanJoinScenario(options),
    await memoryScenario(options),
  ];
  const underExport = await exportUnderLoadScenario(options);
  return [
    {
      title: "Collaboration server: ours vs the stock y-websocket server",
      rows: parts.flatMap((part) => part.rows),
      notes: [],
      raw: parts.map((part) => part.raw),
    },
    {
      title: "Collaboration while Excel exports run",
      rows: underExport.rows,
      notes: [],
      raw: underExport.raw,
    },
  ];
}
