import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareScenario, type ScenarioData } from "../../bench/collab/fixture-db";
import { runLoad } from "../../bench/collab/harness";
import { startOurs } from "../../bench/collab/servers";

// The benchmark's verdicts are only worth something if the harness notices a server that
// loses messages: the same load, once against the real server and once with 2% of what
// the server sends dropped.

const dir = mkdtempSync(join(tmpdir(), "cd-harness-"));
let data: ScenarioData;

beforeAll(async () => {
  data = await prepareScenario(dir, "harness", { plans: 1, editorsPerPlan: 4, plan: { budgetLines: 10 } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(dropRate: number) {
  const server = await startOurs({ port: 0, log: join(dir, `server-${dropRate}.log`), databasePath: data.copyDatabase(dir), dropRate });
  try {
    return await runLoad({
      server,
      rooms: [{ room: data.planIds[0]!, cookies: data.cookies[0]! }],
      workers: 2,
      load: { rate: 10, durationMs: 4_000, seed: 7 },
      settleMs: 3_000,
    });
  } finally {
    await server.close();
  }
}

it("finds every copy identical and every edit delivered when the server loses nothing", async () => {
  const result = await load(0);
  expect(result.edits).toBeGreaterThan(50);
  expect(result.divergentDocs).toBe(0);
  expect(result.lostEdits).toBe(0);
  expect(result.deliveries).toBe(result.edits * 3);
  expect(result.latenciesMs).toHaveLength(result.edits);
}, 60_000);

it("reports divergence and lost edits when the server drops 2% of its messages", async () => {
  const result = await load(0.02);
  expect(result.divergentDocs).toBe(1);
  expect(result.lostEdits).toBeGreaterThan(0);
}, 60_000);
