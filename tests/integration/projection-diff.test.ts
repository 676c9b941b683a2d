import * as Y from "yjs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { findPlanById } from "../../db/queries/plans";
import {
  listAssignments,
  listBudgetLines,
  listKpis,
  listTimelineItems,
  ProjectionDriftError,
  replacePlanProjection,
  updatePlanProjection,
} from "../../db/queries/projection";
import { projectPlanDoc, type PlanProjection } from "~/domain/projection";
import { blankRow, blockArray, insertRow, moveRow, readBlock, removeRow, updateRow } from "~/domain/plan-document";
import { makeMember } from "../support/factories";
import { makePlan } from "../support/plans";
import { freshDbPath } from "../support/db";

let db: Db;
let diffed: string;
let replaced: string;
beforeEach(async () => {
  db = createDb(freshDbPath());
  await migrateToLatest(db);
  const owner = await makeMember(db, { role: "planner" });
  diffed = await makePlan(db, owner.id);
  replaced = await makePlan(db, owner.id);
});
afterEach(() => db.destroy());

async function tables(planId: string) {
  const strip = <T extends { plan_id: string }>(rows: T[]) => rows.map(({ plan_id: _, ...row }) => row);
  const plan = await findPlanById(db, planId);
  return {
    totals: [plan?.spend_fen, plan?.income_fen, plan?.net_fen, plan?.tbd_count, plan?.budget_line_count],
    budget: strip(await listBudgetLines(db, planId)),
    timeline: strip(await listTimelineItems(db, planId)),
    kpis: strip(await listKpis(db, planId)),
    roles: strip(await listAssignments(db, planId)),
  };
}

it("writing only the difference leaves the same tables as replacing them whole, edit after edit", async () => {
  const doc = new Y.Doc();
  let previous: PlanProjection = projectPlanDoc(doc);
  await replacePlanProjection(db, diffed, previous, 1);
  const budgetIds = () => readBlock(doc, "budget").rows.map((row) => row.id);
  const steps: Array<() => void> = [
    () => ["海报", "易拉宝", "DM 单页", "礼品"].forEach((item, i) => insertRow(doc, "budget", { ...blankRow("budget", "2027-06-01"), item, quantityHundredths: 100 * (i + 1), unitPriceFen: 1_000 })),
    () => updateRow(doc, "budget", budgetIds()[1]!, { unitPriceFen: 2_550, note: "含税" }),
    () => updateRow(doc, "budget", budgetIds()[2]!, { unitPriceFen: null }),
    () => insertRow(doc, "budget", { ...blankRow("budget", "2027-06-01"), item: "追加物料", unitPriceFen: 500, quantityHundredths: 300 }),
    () => removeRow(doc, "budget", budgetIds().at(-1)!),
    () => removeRow(doc, "budget", budgetIds()[0]!),
    () => moveRow(doc, "budget", budgetIds()[0]!, 2),
    () => insertRow(doc, "timeline", { ...blankRow("timeline", "2027-06-01"), task: "物料下单" }),
    () => insertRow(doc, "kpis", { ...blankRow("kpis", "2027-06-01"), name: "到店人数" }),
    () => insertRow(doc, "roles", { ...blankRow("roles", "2027-06-01"), role: "现场执行" }),
    () => blockArray(doc, "timeline").delete(0, 1),
  ];
  for (const [i, step] of steps.entries()) {
    step();
    const next = projectPlanDoc(doc);
    expect(await updatePlanProjection(db, diffed, previous, next, i + 2)).toBe(true);
    await replacePlanProjection(db, replaced, next, i + 2);
    expect(await tables(diffed), `after step ${i + 1}`).toEqual(await tables(replaced));
    previous = next;
  }
  const items = readBlock(doc, "budget").rows.map((row) => row.item);
  expect(items).toHaveLength(3);
  expect((await tables(diffed)).budget.map((line) => line.item)).toEqual(items);
});

it("refuses, writing nothing, when the tables are not what it last wrote", async () => {
  const doc = new Y.Doc();
  const id = insertRow(doc, "budget", { ...blankRow("budget", "2027-06-01"), item: "海报", quantityHundredths: 100, unitPriceFen: 1_000 });
  const previous = projectPlanDoc(doc);
  await replacePlanProjection(db, diffed, projectPlanDoc(new Y.Doc()), 1);
  updateRow(doc, "budget", id, { unitPriceFen: 9_900 });
  await expect(updatePlanProjection(db, diffed, previous, projectPlanDoc(doc), 2)).rejects.toBeInstanceOf(ProjectionDriftError);
  expect((await tables(diffed)).totals).toEqual([0, 0, 0, 0, 0]);
});
