import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { sql } from "kysely";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { listAssignments, listBudgetLines, listKpis, listTimelineItems, replacePlanProjection } from "../../db/queries/projection";
import { projectPlanDoc } from "~/domain/projection";
import { findPlanById } from "../../db/queries/plans";
import { createPlan } from "~/services/plans.server";
import type { PlanSession } from "~/collab/plan-session";
import { blankRow, blockArray, blocksFromInstance, insertRow, insertRows, parsePriceCell, parseQuantityCell, readBlock, removeRow, totalsOf, updateRow, type BudgetLine } from "~/domain/plan-document";
import { instantiateTemplate } from "~/domain/template";
import { findBuiltInTemplate } from "../../templates/index";
import { startServer, type RunningServer } from "../../server/app";
import { parseEnv } from "../../server/env";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { freshDbPath } from "../support/db";

interface LoggingServer extends RunningServer {
  dbPath: string;
  /** Every message the server logged, warnings included. */
  messages: string[];
  errors: unknown[];
}

/** The real server on a fresh database, keeping its log: malformed rows are reported there. */
async function startLoggingServer(dbPath = freshDbPath()): Promise<LoggingServer> {
  const messages: string[] = [];
  const errors: unknown[] = [];
  const env = parseEnv({ NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: dbPath, SEED_DEMO: "false" });
  const server = await startServer(env, {
    collab: { unloadDelayMs: 100 },
    log: (message, error) => {
      messages.push(message);
      if (error) errors.push(error);
    },
  });
  return { ...server, url: `http://127.0.0.1:${server.port}`, dbPath, messages, errors };
}

const sessions: PlanSession[] = [];

async function open(server: RunningServer, member: MadeMember, planId: string): Promise<PlanSession> {
  const client = new HttpClient(server.url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  const session = openPlan(client, planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, `${member.username} synced`);
  return session;
}

/** A budget line as a planner types it into the cells. */
function typed(item: string, quantity: string, unit: string, price: string, income = false): Omit<BudgetLine, "id"> {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-03-01"), category: income ? "收入" : "开业促销", item, quantityHundredths: q.value, unit, unitPriceFen: p.value, income };
}

async function totals(server: RunningServer, planId: string) {
  const plan = await findPlanById(server.db, planId);
  return plan && { spend: plan.spend_fen, income: plan.income_fen, net: plan.net_fen, tbd: plan.tbd_count, lines: plan.budget_line_count };
}

async function amounts(server: RunningServer, planId: string): Promise<Array<[string, number | null]>> {
  return (await listBudgetLines(server.db, planId)).map((line) => [line.item, line.amount_fen]);
}

afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

describe("the live projection", () => {
  let server: LoggingServer;
  let owner: MadeMember;
  let colleague: MadeMember;

  beforeAll(async () => {
    server = await startLoggingServer();
    owner = await makeMember(server.db, { role: "planner", name: "王强" });
    colleague = await makeMember(server.db, { role: "planner", name: "刘芳" });
  });
  afterAll(() => server.close());

  it("holds the same fen as the editor for 000 篇2's lines, entered through a collab client", async () => {
    const planId = await makePlan(server.db, owner.id, "xx超市开业促销");
    const session = await open(server, owner, planId);
    const doc = session.state.doc;
    const ids = insertRows(doc, "budget", [
      typed("沿街条幅", "50", "条", "60"),
      typed("供应商条幅", "40", "条", "100", true),
      typed("气球", "10,000", "个", "0.15"),
      typed("车内不干胶广告", "100", "㎡", "50"),
      typed("电台媒体", "1", "次", "1,000"),
      typed("《xx日报》记者", "1", "次", "200"),
      typed("特价商品进场费", "50", "SKU", "50", true),
      typed("品牌商品进场费", "50", "SKU", "100", true),
      typed("负毛利补贴", "1", "项", "10,000"),
    ]);
    const expected = { spend: 2_070_000, income: 1_150_000, net: 920_000, tbd: 0, lines: 9 };
    await waitUntil(async () => (await totals(server, planId))?.net === expected.net, "the projection reaches the 篇2 totals");
    expect(await totals(server, planId)).toEqual(expected);
    const editor = totalsOf(readBlock(doc, "budget").rows);
    expect({ spend: editor.spendFen, income: editor.incomeFen, net: editor.netFen }).toEqual({ spend: expected.spend, income: expected.income, net: expected.net });
    expect(await amounts(server, planId)).toEqual([
      ["沿街条幅", 300_000],
      ["供应商条幅", 400_000],
      ["气球", 150_000],
      ["车内不干胶广告", 500_000],
      ["电台媒体", 100_000],
      ["《xx日报》记者", 20_000],
      ["特价商品进场费", 250_000],
      ["品牌商品进场费", 500_000],
      ["负毛利补贴", 1_000_000],
    ]);
    const stored = await listBudgetLines(server.db, planId);
    expect(stored.map((line) => line.line_id)).toEqual(ids);
    expect(stored.map((line) => line.income)).toEqual([0, 1, 0, 0, 0, 0, 1, 1, 0]);
    expect(stored[2]).toMatchObject({ quantity_hundredths: 1_000_000, unit_price_fen: 15, position: 2 });

    // The seed itself prints "=400元" for the 车贴: read as one lot at ¥400 the plan is ¥16,100 spend, ¥4,600 net.
    updateRow(doc, "budget", ids[3]!, { quantityHundredths: 100, unitPriceFen: 40_000 });
    await waitUntil(async () => (await totals(server, planId))?.net === 460_000, "the projection follows the 车贴 edit");
    expect(await totals(server, planId)).toEqual({ spend: 1_610_000, income: 1_150_000, net: 460_000, tbd: 0, lines: 9 });
    expect((await amounts(server, planId))[3]).toEqual(["车内不干胶广告", 40_000]);
    expect(server.errors).toEqual([]);
  });

  it("stores 2.5 × ¥33.33 as 8,333 fen, and a 待定 line without an amount", async () => {
    const planId = await makePlan(server.db, owner.id);
    const session = await open(server, owner, planId);
    insertRows(session.state.doc, "budget", [typed("海报", "2.5", "张", "33.33"), typed("粽子礼盒", "200", "盒", "待定")]);
    await waitUntil(async () => (await listBudgetLines(server.db, planId)).length === 2, "both lines projected");
    expect(await amounts(server, planId)).toEqual([
      ["海报", 8_333],
      ["粽子礼盒", null],
    ]);
    expect(await totals(server, planId)).toEqual({ spend: 8_333, income: 0, net: 8_333, tbd: 1, lines: 2 });
  });

  it("projects timeline items, KPIs and roles, and drops a removed row", async () => {
    const planId = await makePlan(server.db, owner.id);
    const session = await open(server, owner, planId);
    const doc = session.state.doc;
    const [prep, live] = insertRows(doc, "timeline", [
      { ...blankRow("timeline", "2027-05-20"), phase: "prep", task: "确定礼盒供应商", end: "2027-05-25", owner: "采购部" },
      { ...blankRow("timeline", "2027-06-09"), phase: "live", task: "端午当天门店活动", ownerUserId: owner.id, status: "inProgress", dependsOn: "" },
    ]);
    insertRow(doc, "kpis", { name: "礼盒销量", unit: "盒", target: "1200", direction: "up", notes: "" });
    insertRow(doc, "roles", { person: "王强", personUserId: owner.id, role: "总协调", duties: "统筹活动", contact: "" });
    const [keep, drop] = insertRows(doc, "budget", [typed("海报", "10", "张", "20"), typed("易拉宝", "2", "个", "150")]);
    await waitUntil(async () => (await listBudgetLines(server.db, planId)).length === 2 && (await listAssignments(server.db, planId)).length === 1, "blocks projected");
    expect((await listTimelineItems(server.db, planId)).map((t) => [t.item_id, t.position, t.phase, t.task, t.start_date, t.end_date, t.owner_user_id, t.status])).toEqual([
      [prep, 0, "prep", "确定礼盒供应商", "2027-05-20", "2027-05-25", null, "notStarted"],
      [live, 1, "live", "端午当天门店活动", "2027-06-09", "2027-06-09", owner.id, "inProgress"],
    ]);
    expect(await listKpis(server.db, planId)).toMatchObject([{ name: "礼盒销量", unit: "盒", target: "1200", direction: "up", position: 0 }]);
    expect(await listAssignments(server.db, planId)).toMatchObject([{ person: "王强", person_user_id: owner.id, role: "总协调", duties: "统筹活动" }]);

    removeRow(doc, "budget", drop!);
    removeRow(doc, "timeline", prep!);
    await waitUntil(async () => (await listBudgetLines(server.db, planId)).length === 1 && (await listTimelineItems(server.db, planId)).length === 1, "removals projected");
    expect((await listBudgetLines(server.db, planId)).map((l) => [l.line_id, l.position])).toEqual([[keep, 0]]);
    expect((await listTimelineItems(server.db, planId)).map((t) => [t.item_id, t.position])).toEqual([[live, 0]]);
    expect(await totals(server, planId)).toEqual({ spend: 20_000, income: 0, net: 20_000, tbd: 0, lines: 1 });
  });

  it("skips malformed rows a client writes straight into the document, logs them, and keeps serving", async () => {
    const planId = await makePlan(server.db, owner.id);
    await addToPlan(server.db, planId, colleague.id, "edit", owner.id);
    const session = await open(server, owner, planId);
    const doc = session.state.doc;
    const [good] = insertRows(doc, "budget", [typed("条幅", "50", "条", "60")]);
    const { id: _id, ...valid } = (blockArray(doc, "budget").get(0) as Y.Map<unknown>).toJSON() as BudgetLine;
    doc.transact(() => {
      blockArray(doc, "budget").push([
        new Y.Map(Object.entries(valid)),
        new Y.Map(Object.entries({ ...valid, id: "strqty0001", quantityHundredths: "5000" })),
        7,
      ]);
    });
    await waitUntil(() => server.messages.some((m) => m.includes(planId) && m.includes("malformed")), "the malformed rows are logged");
    const warning = server.messages.find((m) => m.includes(planId) && m.includes("malformed"))!;
    expect(warning).toContain("skipped 3 malformed row(s)");
    expect(warning).toContain("budget[2] strqty0001: quantityHundredths:");
    expect((await listBudgetLines(server.db, planId)).map((l) => l.line_id)).toEqual([good]);
    expect(await totals(server, planId)).toEqual({ spend: 300_000, income: 0, net: 300_000, tbd: 0, lines: 1 });

    // Another member keeps editing the same plan, and the projection keeps following.
    const other = await open(server, colleague, planId);
    expect(other.state.doc.getArray("budget").length).toBe(4);
    const [added] = insertRows(other.state.doc, "budget", [typed("气球", "10000", "个", "0.15")]);
    await waitUntil(async () => (await listBudgetLines(server.db, planId)).length === 2, "the colleague's line projected");
    expect((await listBudgetLines(server.db, planId)).map((l) => [l.line_id, l.position, l.amount_fen])).toEqual([
      [good, 0, 300_000],
      [added, 1, 150_000],
    ]);

    // And other plans are still served.
    const elsewhere = await makePlan(server.db, colleague.id);
    const fresh = await open(server, colleague, elsewhere);
    insertRow(fresh.state.doc, "budget", typed("DM单页", "5000", "张", "0.2"));
    await waitUntil(async () => (await totals(server, elsewhere))?.spend === 100_000, "another plan projected");
    expect(server.errors).toEqual([]);
  });
});

it("projects a plan created from a template in the same transaction, with the template's totals", async () => {
  const dbPath = freshDbPath();
  const server = await startLoggingServer(dbPath);
  try {
    const owner = await makeMember(server.db, { role: "planner" });
    const instance = instantiateTemplate(findBuiltInTemplate("mid-autumn-client-gala")!, { year: 2027 });
    const planId = await createPlan(
      server.db,
      owner.id,
      { title: "2027 中秋客户答谢会", campaignType: instance.campaignType, startDate: instance.startDate, endDate: instance.endDate, store: "嘉华售楼处" },
      { templateId: instance.templateId, anchor: instance.anchor, sections: instance.sections, blocks: blocksFromInstance(instance) },
    );
    const plan = await findPlanById(server.db, planId);
    expect(plan).toMatchObject({ spend_fen: 680_000, income_fen: 0, net_fen: 680_000, tbd_count: 7, budget_line_count: 12, anchor_date: "2027-09-15" });
    expect(plan?.projected_at).toBe(plan?.created_at);
    const lines = await listBudgetLines(server.db, planId);
    expect(lines.map((l) => [l.item, l.amount_fen === null])).toEqual(instance.budget.map((l) => [l.item, l.unitPrice === null]));
    expect(lines[1]).toMatchObject({ item: "二等奖：电饭煲/蒸汽挂烫机", quantity_hundredths: 500, unit_price_fen: 20_000, amount_fen: 100_000, owner: "项目营销经理", position: 1 });
    expect((await listTimelineItems(server.db, planId)).map((t) => [t.task, t.start_date])).toEqual(instance.timeline.map((t) => [t.task, t.start]));
    expect(await listKpis(server.db, planId)).toHaveLength(instance.kpis.length);
    expect(await listAssignments(server.db, planId)).toHaveLength(instance.roles.length);

    const blank = await makePlan(server.db, owner.id);
    expect(await findPlanById(server.db, blank)).toMatchObject({ spend_fen: 0, income_fen: 0, net_fen: 0, tbd_count: 0, budget_line_count: 0, anchor_date: "" });
  } finally {
    await server.close();
  }
});

it("writes a plan of thousands of rows, more than one INSERT can bind, and replaces it whole", async () => {
  const db = createDb(freshDbPath());
  try {
    await migrateToLatest(db);
    const owner = await makeMember(db, { role: "planner" });
    const planId = await makePlan(db, owner.id);
    const doc = new Y.Doc();
    insertRows(doc, "budget", Array.from({ length: 3_000 }, (_, i) => typed(`赠品${i + 1}`, "3", "份", "1.99")));
    insertRows(doc, "timeline", Array.from({ length: 3_000 }, (_, i) => ({ ...blankRow("timeline", "2027-06-01"), task: `任务${i + 1}` })));
    expect(await replacePlanProjection(db, planId, projectPlanDoc(doc), Date.now())).toBe(true);
    const lines = await listBudgetLines(db, planId);
    expect(lines).toHaveLength(3_000);
    expect(lines.at(-1)).toMatchObject({ item: "赠品3000", position: 2_999, amount_fen: 597 });
    expect(await findPlanById(db, planId)).toMatchObject({ spend_fen: 1_791_000, budget_line_count: 3_000 });
    expect(await listTimelineItems(db, planId)).toHaveLength(3_000);

    const smaller = new Y.Doc();
    insertRow(smaller, "budget", typed("海报", "1", "张", "10"));
    await replacePlanProjection(db, planId, projectPlanDoc(smaller), Date.now());
    expect((await listBudgetLines(db, planId)).map((l) => l.item)).toEqual(["海报"]);
    expect(await listTimelineItems(db, planId)).toEqual([]);
  } finally {
    await db.destroy();
  }
});

it("keeps a projection the database refused, logs it, and writes it once the database recovers", async () => {
  const server = await startLoggingServer();
  try {
    const owner = await makeMember(server.db, { role: "planner" });
    const planId = await makePlan(server.db, owner.id);
    const session = await open(server, owner, planId);
    await sql`ALTER TABLE budget_lines RENAME TO budget_lines_away`.execute(server.db);
    insertRow(session.state.doc, "budget", typed("条幅", "50", "条", "60"));
    await waitUntil(() => server.messages.some((m) => m.includes(`projection: plan ${planId} could not be written; retrying`)), "the failed write is logged", 10_000);
    expect(server.errors.length).toBeGreaterThan(0);
    await sql`ALTER TABLE budget_lines_away RENAME TO budget_lines`.execute(server.db);
    await waitUntil(async () => (await listBudgetLines(server.db, planId)).length === 1, "the projection is written after recovery", 15_000);
    expect(await totals(server, planId)).toMatchObject({ spend: 300_000, lines: 1 });
  } finally {
    await server.close();
  }
});

it("writes pending projections before the server shuts down", async () => {
  const server = await startLoggingServer();
  const owner = await makeMember(server.db, { role: "planner" });
  const planId = await makePlan(server.db, owner.id);
  try {
    const session = await open(server, owner, planId);
    insertRow(session.state.doc, "budget", typed("条幅", "50", "条", "60"));
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await server.collab.documentState(planId));
      return doc.getArray("budget").length === 1;
    }, "the server has the line");
  } finally {
    await server.close();
  }
  const db = createDb(server.dbPath);
  try {
    expect((await listBudgetLines(db, planId)).map((l) => l.amount_fen)).toEqual([300_000]);
    expect((await findPlanById(db, planId))?.spend_fen).toBe(300_000);
  } finally {
    await db.destroy();
  }
});

describe("npm run projection:rebuild", () => {
  const rebuild = (databasePath: string) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/projection-rebuild.ts"], { env: { ...process.env, DATABASE_PATH: databasePath } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  async function projected(db: Db) {
    return {
      plans: await db.selectFrom("plans").select(["id", "spend_fen", "income_fen", "net_fen", "tbd_count", "budget_line_count", "anchor_date"]).orderBy("id").execute(),
      budget: await db.selectFrom("budget_lines").selectAll().orderBy("plan_id").orderBy("position").execute(),
      timeline: await db.selectFrom("timeline_items").selectAll().orderBy("plan_id").orderBy("position").execute(),
      kpis: await db.selectFrom("kpis").selectAll().orderBy("plan_id").orderBy("position").execute(),
      assignments: await db.selectFrom("assignments").selectAll().orderBy("plan_id").orderBy("position").execute(),
    };
  }

  async function withDb<T>(path: string, body: (db: Db) => Promise<T>): Promise<T> {
    const db = createDb(path);
    try {
      return await body(db);
    } finally {
      await db.destroy();
    }
  }

  it("restores corrupted tables from the stored documents, and names a plan whose document is unreadable", async () => {
    const server = await startLoggingServer();
    const owner = await makeMember(server.db, { role: "planner" });
    const instance = instantiateTemplate(findBuiltInTemplate("mid-autumn-client-gala")!, { year: 2027 });
    const templated = await createPlan(
      server.db,
      owner.id,
      { title: "中秋答谢会", campaignType: instance.campaignType, startDate: instance.startDate, endDate: instance.endDate, store: "" },
      { templateId: instance.templateId, anchor: instance.anchor, sections: instance.sections, blocks: blocksFromInstance(instance) },
    );
    const edited = await makePlan(server.db, owner.id);
    const broken = await makePlan(server.db, owner.id);
    try {
      const session = await open(server, owner, edited);
      insertRows(session.state.doc, "budget", [typed("条幅", "50", "条", "60"), typed("供应商条幅", "40", "条", "100", true)]);
      session.state.doc.getArray("budget").push([42]);
      await waitUntil(async () => (await totals(server, edited))?.net === -100_000, "the live edit projected");
    } finally {
      await server.close();
    }

    const before = await withDb(server.dbPath, async (db) => {
      const state = await projected(db);
      await db.deleteFrom("budget_lines").where("plan_id", "=", templated).execute();
      await db.deleteFrom("kpis").execute();
      await db.updateTable("timeline_items").set({ task: "被改坏的任务" }).execute();
      await db.updateTable("plans").set({ spend_fen: 1, net_fen: -5, tbd_count: 99, anchor_date: "" }).execute();
      await db.updateTable("budget_lines").set({ amount_fen: 7, unit_price_fen: 7 }).where("plan_id", "=", edited).execute();
      return state;
    });
    expect(before.budget.filter((line) => line.plan_id === templated)).toHaveLength(12);
    expect(before.budget.filter((line) => line.plan_id === edited).map((line) => line.amount_fen)).toEqual([300_000, 400_000]);

    const healthy = await rebuild(server.dbPath);
    expect(healthy.stderr).toBe("");
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain("3 plan(s) rebuilt");
    expect(healthy.stdout).toContain("1 malformed row(s) skipped, 0 failure(s)");
    expect(healthy.stdout).toContain(`plan ${edited}: skipped 1 malformed row(s)`);
    expect(await withDb(server.dbPath, projected)).toEqual(before);

    // A document with a corrupt update is reported by plan id; the other plans are still rebuilt.
    await withDb(server.dbPath, async (db) => {
      await db.insertInto("doc_updates").values({ plan_id: broken, data: new Uint8Array([1, 1, 200, 7, 0, 4, 9, 9, 9]), user_id: null, created_at: Date.now() }).execute();
      await db.updateTable("plans").set({ spend_fen: 1 }).execute();
    });
    const failing = await rebuild(server.dbPath);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("2 plan(s) rebuilt");
    expect(failing.stdout).toContain("1 failure(s)");
    expect(failing.stderr).toContain(`plan ${broken}:`);
    const after = await withDb(server.dbPath, projected);
    expect(after.plans.filter((plan) => plan.id !== broken)).toEqual(before.plans.filter((plan) => plan.id !== broken));
  });

  it("refuses a database file that does not exist, creating nothing", async () => {
    const missing = freshDbPath();
    const result = await rebuild(missing);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
