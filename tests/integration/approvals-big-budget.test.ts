import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRevision, listSteps, loadSnapshot } from "../../db/queries/approvals";
import { listBudgetLines } from "../../db/queries/projection";
import { blankRow, type BudgetLine } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

/** More lines than one INSERT of 13 columns can bind under SQLite's 32,766-variable limit (2,520). */
const LINES = 10_000;

let server: TestServer;
const as = signedInClients(() => server.url);
let planner: MadeMember;
const approvers: MadeMember[] = [];

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  planner = await makeMember(server.db, { role: "planner" });
  // ¥1 a line, ¥10,000 in all: finance → deputy GM → GM.
  for (const title of ["finance", "deputyGm", "gm"] as const) approvers.push(await makeMember(server.db, { role: title === "finance" ? "finance" : "manager", title }));
});
afterAll(async () => {
  as.clear();
  await server.close();
});

describe("a budget of 10,000 lines", () => {
  it("is projected, submitted, approved, reopened and compared like any other", async () => {
    const budget: Omit<BudgetLine, "id">[] = Array.from({ length: LINES }, (_, i) => ({ ...blankRow("budget", "2027-05-01"), category: `类别${i % 7}`, item: `物料 ${i}`, unitPriceFen: 100 }));
    const planId = await createPlan(
      server.db,
      planner.id,
      { title: "2027 全国门店五一促销", campaignType: "holiday", startDate: "2027-05-01", endDate: "2027-05-05", store: "全国" },
      { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget } },
    );
    expect(await listBudgetLines(server.db, planId)).toHaveLength(LINES);
    const client = await as(planner);

    const submitted = await client.post(`/plans/${planId}/approval`, { intent: "submit" });
    expect(submitted.status).toBe(200);
    const first = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).executeTakeFirstOrThrow();
    expect(first).toMatchObject({ spend_fen: LINES * 100, status: "pending" });
    const snapshot = await loadSnapshot(server.db, first);
    expect(snapshot.lines).toHaveLength(LINES);
    expect(snapshot.lines.at(-1)).toMatchObject({ item: `物料 ${LINES - 1}`, amountFen: 100 });
    expect(snapshot.byCategory).toHaveLength(7);

    for (const step of await listSteps(server.db, first.id)) {
      const approver = approvers.find((_, i) => ["finance", "deputyGm", "gm"][i] === step.title)!;
      expect((await (await as(approver)).post(`/approvals/${first.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" })).status).toBe(302);
    }
    expect((await findRevision(server.db, first.id))?.status).toBe("approved");

    expect((await client.post(`/plans/${planId}/approval`, { intent: "reopen", reason: "补充门店" })).status).toBe(200);
    expect((await client.post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    const second = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("number", "=", 2).executeTakeFirstOrThrow();
    const review = await (await as(approvers[0]!)).get(`/approvals/${second.id}`);
    expect(review.status).toBe(200);
    expect(await review.text()).toContain("与上次批准版本相比没有变化。");
  });
});
