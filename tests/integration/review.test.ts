import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertActualEntry, upsertKpiResult } from "../../db/queries/actuals";
import { listBudgetLines, listKpis } from "../../db/queries/projection";
import type { PlanSession } from "~/collab/plan-session";
import { addSection, readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { blankRow, readBlock, updateRow, type BudgetLine, type Kpi } from "~/domain/plan-document";
import { REVIEW_HEADINGS, REVIEW_META } from "~/domain/review-section";
import { fragmentLines } from "~/domain/template-from-plan";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { loadDocument } from "../../server/collab/document-store";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: MadeMember;
let colleague: MadeMember;
let finance: MadeMember;
let viewer: MadeMember;
const sessions: PlanSession[] = [];

const BUDGET: Omit<BudgetLine, "id">[] = [
  { ...blankRow("budget", "2027-06-01"), category: "宣传推广", item: "沿街条幅", quantityHundredths: 1000, unit: "条", unitPriceFen: 30_000 },
  { ...blankRow("budget", "2027-06-01"), category: "活动物料", item: "粽子礼盒", quantityHundredths: 20_000, unit: "盒", unitPriceFen: 5_000 },
];
const KPIS: Omit<Kpi, "id">[] = [
  { name: "销售额", unit: "万元", target: "150", direction: "up", notes: "" },
  { name: "获客成本", unit: "元", target: "5", direction: "down", notes: "" },
];

const as = signedInClients(() => server.url);

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = openPlan(await as(member), planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, `${member.username} synced`);
  return session;
}

/** A 端午 plan with two budget lines, two KPIs, recorded actual spend and one KPI result. */
async function finishedPlan(): Promise<{ planId: string; lines: Map<string, string>; kpis: Map<string, string> }> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "2027 端午节门店促销", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: BUDGET, kpis: KPIS } },
  );
  await addToPlan(server.db, planId, colleague.id, "edit", owner.id);
  await addToPlan(server.db, planId, viewer.id, "view", owner.id);
  const lines = new Map((await listBudgetLines(server.db, planId)).map((line) => [line.item, line.line_id]));
  const kpis = new Map((await listKpis(server.db, planId)).map((kpi) => [kpi.name, kpi.kpi_id]));
  const spend = (item: string, amountFen: number, invoiceNo: string) =>
    insertActualEntry(server.db, { planId, lineId: lines.get(item)!, spentOn: "2027-06-10", amountFen, vendor: "印刷厂", invoiceNo, note: "", source: "manual", createdBy: finance.id, createdAt: Date.now() });
  await spend("沿街条幅", 345_000, "FP-001");
  await spend("粽子礼盒", 900_000, "FP-002");
  await upsertKpiResult(server.db, { planId, kpiId: kpis.get("销售额")!, actual: "120", note: "", recordedBy: finance.id, recordedAt: Date.now() });
  return { planId, lines, kpis };
}

const headings = (doc: Y.Doc) => readPlanDoc(doc).sections.map((s) => s.heading);
const reviewIds = (doc: Y.Doc) => ({ data: doc.getMap("meta").get(REVIEW_META.data) as string | undefined, notes: doc.getMap("meta").get(REVIEW_META.notes) as string | undefined });
const linesOf = (doc: Y.Doc, sectionId: string | undefined) => (sectionId === undefined ? [] : fragmentLines(sectionFragment(doc, sectionId)));
const sectionIdOf = (doc: Y.Doc, heading: string) => readPlanDoc(doc).sections.find((s) => s.heading === heading)?.id ?? "";

function typeParagraph(doc: Y.Doc, sectionId: string, text: string): void {
  const fragment = sectionFragment(doc, sectionId);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

async function generate(member: MadeMember, planId: string): Promise<Response> {
  return (await as(member)).post(`/plans/${planId}/review`, {});
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  colleague = await makeMember(server.db, { role: "planner", name: "陈晨" });
  finance = await makeMember(server.db, { role: "finance", name: "王会计" });
  viewer = await makeMember(server.db, { role: "viewer", name: "赵只读" });
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(() => server.close());

describe("CollabServer.applyServerChange", () => {
  it("stores a server change before resolving and sends it to every connected client", async () => {
    const { planId } = await finishedPlan();
    const a = await open(owner, planId);
    const b = await open(colleague, planId);
    const id = await server.collab.applyServerChange(planId, owner.id, (doc) => addSection(doc, "附录"));
    const { doc: stored } = await loadDocument(server.db, planId);
    expect(headings(stored).at(-1)).toBe("附录");
    stored.destroy();
    for (const session of [a, b]) await waitUntil(() => readPlanDoc(session.state.doc).sections.some((s) => s.id === id), "the section reaches every client");
  });

  it("lets no member write under the client id the server writes with", async () => {
    const { planId } = await finishedPlan();
    const a = await open(owner, planId);
    const id = await server.collab.applyServerChange(planId, finance.id, (doc) => addSection(doc, "附录"));
    await waitUntil(() => readPlanDoc(a.state.doc).sections.some((s) => s.id === id), "the section reaches the owner");
    const serverClient = (a.state.doc.getArray("sections").get(readPlanDoc(a.state.doc).sections.length - 1) as Y.Map<unknown>)._item!.id.client;
    // A hostile client reuses the server's id for its own edit.
    const hostile = new Y.Doc();
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(a.state.doc));
    hostile.clientID = serverClient;
    typeParagraph(hostile, id, "冒充服务器写入");
    Y.applyUpdate(a.state.doc, Y.encodeStateAsUpdate(hostile, Y.encodeStateVector(a.state.doc)), "hostile");
    hostile.destroy();
    await waitUntil(() => a.state.resyncedReason !== null, "the server refuses and the owner resyncs");
    await waitUntil(() => a.state.synced, "the owner synced again");
    expect(linesOf(a.state.doc, id)).toEqual([]);
    const { doc: stored } = await loadDocument(server.db, planId);
    expect(linesOf(stored, id)).toEqual([]);
    stored.destroy();
  });
});

describe("generating 总结复盘 through the live document", () => {
  it("appears for both connected editors without a reload, keeps their edits, and is stored under the member", async () => {
    const { planId, lines } = await finishedPlan();
    const a = await open(owner, planId);
    const b = await open(colleague, planId);
    const [docA, docB] = [a.state.doc, b.state.doc];
    const statuses: string[] = [];
    for (const session of [a, b]) session.subscribe((state) => statuses.push(state.status));

    // Both are mid-edit when finance presses the button.
    const background = sectionIdOf(docA, "活动背景");
    typeParagraph(docA, background, "端午小长假客流预计增长三成。");
    updateRow(docB, "budget", lines.get("沿街条幅")!, { note: "含安装费" });
    const response = await generate(finance, planId);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, notesCreated: true });

    for (const doc of [docA, docB]) {
      await waitUntil(() => linesOf(doc, reviewIds(doc).data).length > 0 && linesOf(doc, reviewIds(doc).notes).length > 0, "the review reaches every editor");
      await waitUntil(() => readBlock(doc, "budget").rows[0]?.note === "含安装费" && linesOf(doc, background).length === 1, "both edits everywhere");
    }
    // Same documents, never reconnected: the sections arrived as a live update.
    expect(a.state.doc).toBe(docA);
    expect(b.state.doc).toBe(docB);
    expect(statuses).not.toContain("reconnecting");

    expect(headings(docA)).toEqual([...headings(docB)]);
    expect(headings(docA).slice(-2)).toEqual([REVIEW_HEADINGS.data, REVIEW_HEADINGS.notes]);
    const data = linesOf(docB, reviewIds(docB).data);
    expect(data).toContain("销售额 | 150 万元 | 120 万元 | 80.00%");
    expect(data).toContain("获客成本（越低越好） | 5 元 | 未录入 | —");
    expect(data).toContain("宣传推广 | ¥3,000.00 | ¥3,450.00 | +¥450.00 | +15.00%");
    expect(data).toContain("活动物料 | ¥10,000.00 | ¥9,000.00 | -¥1,000.00 | -10.00%");
    expect(data).toContain("支出合计 | ¥13,000.00 | ¥12,450.00 | -¥550.00 | -4.23%");
    expect(linesOf(docA, reviewIds(docA).notes)).toContain("超支类别：宣传推广 超支 ¥450.00（+15.00%）。");
    expect(linesOf(docA, background)).toEqual(["端午小长假客流预计增长三成。"]);
    expect(readBlock(docA, "budget").rows.map((row) => row.note)).toEqual(["含安装费", ""]);

    // Durable before anyone saw it, attributed to the member who generated it.
    const { doc: stored } = await loadDocument(server.db, planId);
    expect(headings(stored)).toEqual(headings(docA));
    expect(linesOf(stored, reviewIds(stored).data)).toEqual(data);
    const authored = await server.db.selectFrom("doc_updates").select("user_id").where("plan_id", "=", planId).where("user_id", "=", finance.id).execute();
    expect(authored).toHaveLength(1);
    stored.destroy();
    const audit = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "plan.review.generate").where("target_id", "=", planId).execute();
    expect(audit).toEqual([expect.objectContaining({ actor_id: finance.id, target_type: "plan" })]);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ notesCreated: true, basis: { kind: "draft" }, kpiResults: 1 });
    expect(server.loggedErrors).toEqual([]);
  });

  it("regenerates only the generated part: the new KPI result replaces the table, the team's writing stays", async () => {
    const { planId, kpis } = await finishedPlan();
    const a = await open(owner, planId);
    const b = await open(colleague, planId);
    expect((await generate(owner, planId)).status).toBe(200);
    await waitUntil(() => reviewIds(b.state.doc).notes !== undefined && linesOf(b.state.doc, reviewIds(b.state.doc).notes).length > 0, "the scaffold reaches the colleague");

    const notesId = reviewIds(b.state.doc).notes!;
    typeParagraph(b.state.doc, notesId, "条幅安装费未列入预算，下次单列。");
    await waitUntil(() => linesOf(a.state.doc, notesId).includes("条幅安装费未列入预算，下次单列。"), "the colleague's writing reaches the owner");
    const notesBefore = linesOf(a.state.doc, notesId);
    const sectionCount = headings(a.state.doc).length;

    await upsertKpiResult(server.db, { planId, kpiId: kpis.get("获客成本")!, actual: "4", note: "", recordedBy: finance.id, recordedAt: Date.now() });
    const again = await generate(colleague, planId);
    expect(await again.json()).toEqual({ ok: true, notesCreated: false });

    for (const session of [a, b]) {
      const doc = session.state.doc;
      await waitUntil(() => linesOf(doc, reviewIds(doc).data).includes("获客成本（越低越好） | 5 元 | 4 元 | 125.00%"), "the regenerated table everywhere");
      expect(linesOf(doc, reviewIds(doc).data).filter((line) => line.startsWith("获客成本"))).toHaveLength(1);
      expect(linesOf(doc, notesId)).toEqual(notesBefore);
      expect(headings(doc)).toHaveLength(sectionCount);
    }
    const { doc: stored } = await loadDocument(server.db, planId);
    expect(linesOf(stored, notesId)).toContain("条幅安装费未列入预算，下次单列。");
    expect(linesOf(stored, reviewIds(stored).data)).toContain("获客成本（越低越好） | 5 元 | 4 元 | 125.00%");
    stored.destroy();
  });

  it("writes into a plan nobody has open, and the room it loaded for that unloads again", async () => {
    const { planId } = await finishedPlan();
    await waitUntil(() => server.collab.roomCount === 0, "earlier tests' rooms unload");
    expect((await generate(owner, planId)).status).toBe(200);
    await waitUntil(() => server.collab.roomCount === 0, "the room unloads");
    const { doc: stored } = await loadDocument(server.db, planId);
    expect(headings(stored).slice(-2)).toEqual([REVIEW_HEADINGS.data, REVIEW_HEADINGS.notes]);
    stored.destroy();
    // A member opening it later gets the review with everything else.
    const late = await open(colleague, planId);
    expect(linesOf(late.state.doc, reviewIds(late.state.doc).data)).toContain("销售额 | 150 万元 | 120 万元 | 80.00%");
  });

  it("refuses viewers and members without access, changing nothing", async () => {
    const { planId } = await finishedPlan();
    const outsider = await makeMember(server.db, { role: "planner", name: "外人" });
    const viewed = await generate(viewer, planId);
    expect(viewed.status).toBe(403);
    expect(await viewed.json()).toEqual({ ok: false, code: "forbidden" });
    expect((await generate(outsider, planId)).status).toBe(404);
    expect((await (await as(owner)).post(`/plans/${planId}/review`, {}, { csrf: false })).status).toBe(403);

    const { doc: stored } = await loadDocument(server.db, planId);
    expect(headings(stored)).not.toContain(REVIEW_HEADINGS.data);
    expect(reviewIds(stored)).toEqual({ data: undefined, notes: undefined });
    stored.destroy();
    const audit = await server.db.selectFrom("audit_log").select("id").where("action", "=", "plan.review.generate").where("target_id", "=", planId).execute();
    expect(audit).toEqual([]);
  });
});
