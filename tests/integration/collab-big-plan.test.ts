import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { PlanSession } from "~/collab/plan-session";
import { readBlock, updateRow } from "~/domain/plan-document";
import { createBenchPlan } from "../../bench/fixtures";
import { makeMember, type MadeMember } from "../support/factories";
import { openSynced, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

// A big plan's encoded state is kept for the next member who opens it with an empty copy;
// the first edit must retire it.

let server: TestServer;
let owner: MadeMember;
let colleague: MadeMember;
const sessions: PlanSession[] = [];

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = await openSynced(server.url, member, planId, 15_000);
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner" });
  colleague = await makeMember(server.db, { role: "planner" });
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(() => server.close());

it("sends a member who opens a big plan after an edit the edited plan, not the plan as loaded", async () => {
  const planId = await createBenchPlan(server.db, owner.id, [{ id: colleague.id, username: colleague.username, cookie: "" }], { title: "大方案", budgetLines: 3_000, textBytes: 100_000 });
  const first = await open(owner, planId);
  const again = await open(owner, planId);
  expect(readBlock(again.state.doc, "budget").rows).toHaveLength(3_000);
  const line = readBlock(first.state.doc, "budget").rows[1_234]!;
  updateRow(first.state.doc, "budget", line.id, { note: "已改：按新报价" });
  await waitUntil(() => readBlock(again.state.doc, "budget").rows[1_234]?.note === "已改：按新报价", "the edit reached the other copy");
  const late = await open(colleague, planId);
  expect(readBlock(late.state.doc, "budget").rows[1_234]).toMatchObject({ id: line.id, note: "已改：按新报价" });
});
