import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

// 概览's 我的方案 / 最近编辑: the member's own and recently edited plans, whatever the period filter says.

let server: TestServer;
let owner: MadeMember;
let editor: MadeMember;
let outsider: MadeMember;
const as = signedInClients(() => server.url);

async function plan(title: string, startDate: string): Promise<string> {
  return createPlan(server.db, owner.id, { title, campaignType: "holiday", startDate, endDate: startDate, store: "" }, BLANK_PLAN);
}

/** The plan ids the 我的方案 block lists, in its order. */
async function mine(member: MadeMember, query = ""): Promise<string[]> {
  const response = await (await as(member)).get(`/dashboard${query}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const block = /data-list="mine"[\s\S]*?<\/section>/u.exec(html)?.[0] ?? "";
  return [...block.matchAll(/data-plan-id="([^"]+)"/gu)].map((match) => match[1]!);
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  outsider = await makeMember(server.db, { role: "planner", name: "王磊" });
});

afterAll(async () => {
  as.clear();
  await server.close();
});

describe("我的方案 / 最近编辑", () => {
  it("lists the member's own plans and the ones they edited, outside the period filter, newest edit first", async () => {
    const old = await plan("2025 旧方案", "2025-03-01");
    const future = await plan("2030 远期方案", "2030-05-01");
    const edited = await plan("2027 共同编辑", "2027-05-01");
    await addToPlan(server.db, edited, editor.id, "edit", owner.id);
    await addToPlan(server.db, old, editor.id, "edit", owner.id);
    const update = Y.encodeStateAsUpdate(new Y.Doc());
    const now = Date.now();
    await server.db.insertInto("doc_updates").values({ plan_id: edited, data: update, user_id: editor.id, created_at: now }).execute();
    await server.db.insertInto("doc_updates").values({ plan_id: old, data: update, user_id: editor.id, created_at: now - 60_000 }).execute();

    // A period that holds none of them: the block is not narrowed by it.
    const ownerSees = await mine(owner, "?from=2026-01-01&to=2026-01-31");
    expect(new Set(ownerSees)).toEqual(new Set([old, future, edited]));
    expect(await mine(editor, "?from=2026-01-01&to=2026-01-31")).toEqual([edited, old]);
    // Even a refused filter still shows the block.
    expect(await mine(editor, "?from=nonsense")).toEqual([edited, old]);
    expect(await mine(outsider)).toEqual([]);
  });

  it("drops a plan the member edited once they can no longer read it", async () => {
    const shared = await plan("2027 撤销共享", "2027-06-01");
    await addToPlan(server.db, shared, outsider.id, "edit", owner.id);
    await server.db.insertInto("doc_updates").values({ plan_id: shared, data: Y.encodeStateAsUpdate(new Y.Doc()), user_id: outsider.id, created_at: Date.now() }).execute();
    expect(await mine(outsider)).toEqual([shared]);
    await server.db.deleteFrom("plan_members").where("plan_id", "=", shared).where("user_id", "=", outsider.id).execute();
    expect(await mine(outsider)).toEqual([]);
  });
});
