import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PlanSession } from "~/collab/plan-session";
import { blankRow, blockArray, insertRow, readBlock, totalsOf, updateRow, type BudgetLine } from "~/domain/plan-document";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";
import { openSynced, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: MadeMember;
let colleague: MadeMember;
const sessions: PlanSession[] = [];

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = await openSynced(server.url, member, planId);
  sessions.push(session);
  return session;
}

async function serverDoc(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  return doc;
}

function line(patch: Partial<Omit<BudgetLine, "id">>): Omit<BudgetLine, "id"> {
  return { ...blankRow("budget", "2027-04-01"), category: "宣传方案", ...patch };
}

const budgetOf = (session: PlanSession) => readBlock(session.state.doc, "budget");

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  colleague = await makeMember(server.db, { role: "planner", name: "陈晨" });
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(() => server.close());

describe("co-editing structured blocks over the collaboration server", () => {
  async function twoEditors(): Promise<[PlanSession, PlanSession, string]> {
    const planId = await makePlan(server.db, owner.id, "2027 超市开业");
    await addToPlan(server.db, planId, colleague.id, "edit", owner.id);
    return [await open(owner, planId), await open(colleague, planId), planId];
  }

  it("keeps both changes when two people edit different cells of one budget row at the same time", async () => {
    const [a, b, planId] = await twoEditors();
    const id = insertRow(a.state.doc, "budget", line({ item: "沿街条幅", quantityHundredths: 100, unitPriceFen: 6000 }));
    await waitUntil(() => budgetOf(b).rows.length === 1, "the row reaches the colleague");
    // Both edits are made before either side hears of the other's.
    updateRow(a.state.doc, "budget", id, { quantityHundredths: 5000 });
    updateRow(b.state.doc, "budget", id, { unitPriceFen: 6500, note: "含工商登记费用" });
    const expected = { id, item: "沿街条幅", quantityHundredths: 5000, unitPriceFen: 6500, note: "含工商登记费用" };
    for (const session of [a, b]) {
      await waitUntil(() => budgetOf(session).rows[0]?.unitPriceFen === 6500 && budgetOf(session).rows[0]?.quantityHundredths === 5000, "both cells everywhere");
      expect(budgetOf(session).rows).toEqual([expect.objectContaining(expected)]);
    }
    const stored = await serverDoc(planId);
    expect(readBlock(stored, "budget").rows).toEqual([expect.objectContaining(expected)]);
    expect(totalsOf(readBlock(stored, "budget").rows).spendFen).toBe(325_000);
  });

  it("keeps both rows when two people add rows at the same time, in the same order for everyone", async () => {
    const [a, b, planId] = await twoEditors();
    insertRow(a.state.doc, "timeline", { ...blankRow("timeline", "2027-04-01"), task: "确定开业促销商品" });
    insertRow(b.state.doc, "timeline", { ...blankRow("timeline", "2027-04-01"), task: "联系电台广告" });
    const tasks = (doc: Y.Doc) => readBlock(doc, "timeline").rows.map((row) => row.task);
    await waitUntil(() => tasks(a.state.doc).length === 2 && tasks(b.state.doc).length === 2, "both rows on both sides");
    expect(new Set(tasks(a.state.doc))).toEqual(new Set(["确定开业促销商品", "联系电台广告"]));
    expect(tasks(b.state.doc)).toEqual(tasks(a.state.doc));
    expect(tasks(await serverDoc(planId))).toEqual(tasks(a.state.doc));
    // A late joiner sees the same order.
    const late = await open(owner, planId);
    expect(tasks(late.state.doc)).toEqual(tasks(a.state.doc));
  });

  it("shrugs off a malformed row written straight into the document", async () => {
    const [a, b, planId] = await twoEditors();
    insertRow(a.state.doc, "budget", line({ item: "气球", quantityHundredths: 1_000_000, unitPriceFen: 15 }));
    await waitUntil(() => budgetOf(b).rows.length === 1, "the good row reaches the colleague");
    // A buggy or hostile client: rows without ids, wrong types, a bare number.
    const doc = b.state.doc;
    doc.transact(() => {
      const noId = new Y.Map<unknown>();
      noId.set("item", "无编号");
      const wrongTypes = new Y.Map<unknown>();
      wrongTypes.set("id", "malformed0001");
      wrongTypes.set("quantityHundredths", "一百");
      wrongTypes.set("unitPriceFen", { yuan: 5 });
      blockArray(doc, "budget").push([noId, wrongTypes, 7]);
    });
    await waitUntil(() => blockArray(a.state.doc, "budget").length === 4, "the malformed rows reach everyone");
    expect(budgetOf(a).rows.map((row) => row.item)).toEqual(["气球"]);
    expect(budgetOf(a).invalid).toHaveLength(3);
    expect(totalsOf(budgetOf(a).rows).spendFen).toBe(150_000);
    // The server and both editors keep working.
    insertRow(a.state.doc, "budget", line({ item: "车内不干胶广告", quantityHundredths: 10_000, unitPriceFen: 5000 }));
    await waitUntil(() => budgetOf(b).rows.length === 2, "a later row still reaches the colleague");
    const stored = await serverDoc(planId);
    expect(readBlock(stored, "budget").rows.map((row) => row.item)).toEqual(["气球", "车内不干胶广告"]);
    const late = await open(colleague, planId);
    expect(budgetOf(late).rows).toHaveLength(2);
  });
});
