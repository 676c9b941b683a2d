import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import { createDb } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { loadDocument } from "../../server/collab/document-store";
import { createBenchPlan, createLoadMembers, type BenchPlanOptions } from "../fixtures";

/**
 * One scenario's data, made once: a SQLite file with real members (sessions) and plans, and
 * the same plans' stored states for the reference server. Every run of ours starts from a
 * fresh copy of the file, so runs do not inherit each other's edits.
 */
export interface ScenarioData {
  planIds: string[];
  /** Plans made with `extraPlans`, owned by the first plan's first editor. */
  extraPlanIds: string[];
  /** Per plan, its editors' session cookies. */
  cookies: string[][];
  statesPath: string;
  copyDatabase(to: string): string;
}

export async function prepareScenario(dir: string, name: string, options: { plans: number; editorsPerPlan: number; plan: Omit<BenchPlanOptions, "title">; extraPlans?: Omit<BenchPlanOptions, "title">[] }): Promise<ScenarioData> {
  const path = join(dir, `${name}.db`);
  const db = createDb(path);
  await migrateToLatest(db);
  const planIds: string[] = [];
  const cookies: string[][] = [];
  const states: Record<string, string> = {};
  const extraPlanIds: string[] = [];
  try {
    const members = await createLoadMembers(db, options.plans * options.editorsPerPlan, { prefix: name });
    for (let p = 0; p < options.plans; p++) {
      const editors = members.slice(p * options.editorsPerPlan, (p + 1) * options.editorsPerPlan);
      const planId = await createBenchPlan(db, editors[0]!.id, editors, { ...options.plan, title: `压测方案 ${name} ${p + 1}` });
      planIds.push(planId);
      cookies.push(editors.map((member) => member.cookie));
      const { doc } = await loadDocument(db, planId);
      // The reference server names a document by the whole path after the host.
      states[`collab/${planId}`] = Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64");
      doc.destroy();
    }
    for (const [i, extra] of (options.extraPlans ?? []).entries()) {
      extraPlanIds.push(await createBenchPlan(db, members[0]!.id, [], { ...extra, title: `压测方案 ${name} 附加 ${i + 1}` }));
    }
  } finally {
    await db.destroy();
  }
  const statesPath = join(dir, `${name}.states.json`);
  writeFileSync(statesPath, JSON.stringify(states));
  let copies = 0;
  return {
    planIds,
    extraPlanIds,
    cookies,
    statesPath,
    copyDatabase: (to) => {
      const target = join(to, `${name}-${++copies}.db`);
      copyFileSync(path, target);
      return target;
    },
  };
}
