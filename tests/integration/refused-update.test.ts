import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PlanSession } from "~/collab/plan-session";
import { blankRow, parsePriceCell, parseQuantityCell, readBlock, readPlanDoc, sectionFragment, updateRow, type BudgetLine } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { loadDocument } from "../../server/collab/document-store";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: MadeMember;
let editor: MadeMember;
const sessions: PlanSession[] = [];
const as = signedInClients(() => server.url);

function line(item: string, quantity: string, price: string): Omit<BudgetLine, "id"> {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category: "活动物料", item, quantityHundredths: q.value, unit: "项", unitPriceFen: p.value };
}

async function lockedPlan(): Promise<string> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "2027 中秋客户答谢晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [line("舞台搭建", "1", "8,000"), line("宣传单页", "1,000", "1")] } },
  );
  await addToPlan(server.db, planId, editor.id, "edit", owner.id);
  // Submitting locks the budget root before anyone connects.
  expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  return planId;
}

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = openPlan(await as(member), planId);
  sessions.push(session);
  await waitUntil(() => session.state.status === "connected" && session.state.synced, `${member.username} synced`);
  return session;
}

function appendParagraph(doc: Y.Doc, text: string): void {
  const section = readPlanDoc(doc).sections.find((s) => s.kind === "richText")!;
  const fragment = sectionFragment(doc, section.id);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

function narrative(doc: Y.Doc): string {
  const section = readPlanDoc(doc).sections.find((s) => s.kind === "richText")!;
  return sectionFragment(doc, section.id).toString();
}

const prices = (doc: Y.Doc) => readBlock(doc, "budget").rows.map((row) => row.unitPriceFen);

async function stored(planId: string): Promise<Y.Doc> {
  await server.collab.projectionCurrent(planId);
  return (await loadDocument(server.db, planId)).doc;
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  for (const title of ["finance", "deputyGm", "gm"] as const) await makeMember(server.db, { role: "manager", title, name: `审批人 ${title}` });
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(async () => {
  as.clear();
  await server.close();
});

describe("an editor's write to a locked budget", () => {
  it("costs only the budget change: the text after it on the same connection is stored, nobody sees the refused price, the socket stays open", async () => {
    const planId = await lockedPlan();
    const sender = await open(editor, planId);
    const watcher = await open(owner, planId);
    const [stage] = readBlock(sender.state.doc, "budget").rows;
    const before = prices(sender.state.doc);
    const seenByWatcher: Array<number | null> = [];
    const watcherBudget = watcher.state.doc.getArray("budget");
    watcherBudget.observeDeep(() => seenByWatcher.push(...prices(watcher.state.doc)));
    const { doc, provider } = sender.state;
    const socket = provider.ws;
    const statuses: string[] = [];
    sender.subscribe((state) => statuses.push(state.status));

    // Three messages on one connection: a refused cell, then text, then both in one transaction.
    updateRow(doc, "budget", stage!.id, { unitPriceFen: 1 });
    appendParagraph(doc, "拒绝之后写下的背景说明");
    doc.transact(() => {
      updateRow(doc, "budget", stage!.id, { unitPriceFen: 2 });
      appendParagraph(doc, "同一次修改里的活动目标");
    });

    await waitUntil(() => sender.state.refusal !== null && prices(doc)[0] === before[0], "the sender is told and its copy is reverted");
    expect(sender.state.refusal).toMatchObject({ root: "budget", reason: "budgetLocked" });
    await waitUntil(() => narrative(watcher.state.doc).includes("同一次修改里的活动目标"), "the text reaches the other editor");
    expect(narrative(watcher.state.doc)).toContain("拒绝之后写下的背景说明");
    expect(prices(watcher.state.doc)).toEqual(before);
    expect(seenByWatcher).not.toContain(1);
    expect(seenByWatcher).not.toContain(2);

    // The same document and socket throughout: no resync, no reconnect.
    expect(sender.state.doc).toBe(doc);
    expect(sender.state.provider.ws).toBe(socket);
    expect(socket?.readyState).toBe(socket?.OPEN);
    expect(sender.state.resyncedReason).toBeNull();
    expect(statuses.filter((status) => status !== "connected")).toEqual([]);
    expect(narrative(doc)).toContain("拒绝之后写下的背景说明");

    const storedDoc = await stored(planId);
    expect(narrative(storedDoc)).toContain("拒绝之后写下的背景说明");
    expect(narrative(storedDoc)).toContain("同一次修改里的活动目标");
    expect(prices(storedDoc)).toEqual(before);
    storedDoc.destroy();

    // A member opening the plan afterwards gets the same: text kept, budget unchanged.
    const late = await open(owner, planId);
    expect(narrative(late.state.doc)).toContain("同一次修改里的活动目标");
    expect(prices(late.state.doc)).toEqual(before);
    // Editing goes on over the same connection.
    appendParagraph(doc, "继续编辑");
    await waitUntil(() => narrative(late.state.doc).includes("继续编辑"), "later edits still flow");
  });

  it("restores a budget row the editor deleted, and keeps the row the editor's other change added elsewhere", async () => {
    const planId = await lockedPlan();
    const sender = await open(editor, planId);
    const doc = sender.state.doc;
    const before = readBlock(doc, "budget").rows;
    doc.transact(() => {
      doc.getArray("budget").delete(0, 1);
      appendParagraph(doc, "删除预算行时写的说明");
    });
    await waitUntil(() => sender.state.refusal !== null && readBlock(doc, "budget").rows.length === before.length, "the deleted row comes back");
    expect(readBlock(doc, "budget").rows).toEqual(before);
    const storedDoc = await stored(planId);
    expect(readBlock(storedDoc, "budget").rows).toEqual(before);
    expect(narrative(storedDoc)).toContain("删除预算行时写的说明");
    storedDoc.destroy();
  });
});
