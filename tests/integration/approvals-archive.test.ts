import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRevision, listSteps } from "../../db/queries/approvals";
import { findPlanById } from "../../db/queries/plans";
import type { BudgetRevision } from "../../db/schema";
import { approvalInbox } from "~/services/approval-views.server";
import type { Decision } from "~/domain/approval";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

/** ¥120,000 of spend: finance → gm → chairman. */
function budget(): Omit<BudgetLine, "id">[] {
  const q = parseQuantityCell("1");
  const p = parsePriceCell("120,000");
  if (!q.ok || !p.ok) throw new Error("bad test cell");
  return [{ ...blankRow("budget", "2027-09-01"), category: "活动物料", item: "舞台搭建", quantityHundredths: q.value, unit: "项", unitPriceFen: p.value }];
}

let server: TestServer;
const as = signedInClients(() => server.url);
let planner: MadeMember;
let finance: MadeMember;
let gm: MadeMember;
let chairman: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  planner = await makeMember(server.db, { role: "planner", name: "李娜" });
  finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
});
afterAll(async () => {
  as.clear();
  await server.close();
});

async function submittedPlan(): Promise<{ planId: string; revision: BudgetRevision }> {
  const planId = await createPlan(
    server.db,
    planner.id,
    { title: "2027 中秋客户答谢晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: budget() } },
  );
  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  const revision = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
  return { planId, revision };
}

async function decide(member: MadeMember, revisionId: number, stepIndex: number, decision: Decision, comment = "同意"): Promise<Response> {
  return (await as(member)).post(`/approvals/${revisionId}`, { stepIndex: String(stepIndex), decision, comment });
}

async function archive(planId: string): Promise<Response> {
  return (await as(planner)).post(`/plans/${planId}`, { intent: "archive" });
}

async function planState(planId: string) {
  const plan = await findPlanById(server.db, planId);
  return plan && { status: plan.status, locked: plan.budget_locked };
}

async function audit(planId: string) {
  const rows = await server.db.selectFrom("audit_log").select(["action", "detail"]).where("target_id", "=", planId).orderBy("id").execute();
  return rows.map((row) => ({ action: row.action, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

describe("archiving a plan under review", () => {
  for (const decision of ["reject", "approve", "requestChanges"] as const) {
    it(`withdraws the pending revision, and a late "${decision}" is refused and leaves the plan archived`, async () => {
      const { planId, revision } = await submittedPlan();
      expect((await decide(finance, revision.id, 0, "approve")).status).toBe(302);
      expect((await approvalInbox(server.db, { id: gm.id, title: "gm" })).map((entry) => entry.revisionId)).toContain(revision.id);

      expect((await archive(planId)).status).toBe(302);
      expect(await planState(planId)).toEqual({ status: "archived", locked: 0 });
      expect((await findRevision(server.db, revision.id))?.status).toBe("withdrawn");
      expect((await approvalInbox(server.db, { id: gm.id, title: "gm" })).map((entry) => entry.revisionId)).not.toContain(revision.id);
      const trail = await audit(planId);
      expect(trail.slice(-2)).toEqual([
        { action: "approval.withdraw", detail: { revision: 1, reason: "archived" } },
        { action: "plan.archive", detail: { from: "inReview" } },
      ]);

      const late = await decide(gm, revision.id, 1, decision);
      expect(late.status).toBe(409);
      expect(await late.text()).toContain("活动方案已归档，预算审批已随之撤回");
      expect(await planState(planId)).toEqual({ status: "archived", locked: 0 });
      expect((await listSteps(server.db, revision.id)).map((s) => s.decision)).toEqual(["approve", null, null]);
      expect(await audit(planId)).toEqual(trail);
    });
  }

  it("keeps a consistent state when an archive and the final approval arrive at the same moment", async () => {
    for (let round = 0; round < 6; round++) {
      const { planId, revision } = await submittedPlan();
      expect((await decide(finance, revision.id, 0, "approve")).status).toBe(302);
      expect((await decide(gm, revision.id, 1, "approve")).status).toBe(302);
      const [archived, decided] = await Promise.all([archive(planId), decide(chairman, revision.id, 2, round % 2 === 0 ? "approve" : "reject")]);
      expect(archived.status).toBe(302);
      const status = (await findRevision(server.db, revision.id))?.status;
      const trail = (await audit(planId)).map((entry) => entry.action);
      if (decided.status === 302) {
        // The decision came first: the plan was archived from its outcome, which is kept.
        expect(status).toBe(round % 2 === 0 ? "approved" : "rejected");
        expect(await planState(planId)).toEqual({ status: "archived", locked: round % 2 === 0 ? 1 : 0 });
        expect(trail.slice(-2)).toEqual(["approval.decide", "plan.archive"]);
      } else {
        expect(decided.status).toBe(409);
        expect(status).toBe("withdrawn");
        expect(await planState(planId)).toEqual({ status: "archived", locked: 0 });
        expect(trail.slice(-2)).toEqual(["approval.withdraw", "plan.archive"]);
      }
    }
  });

  it("archives an approved plan with its approved budget still locked", async () => {
    const { planId, revision } = await submittedPlan();
    for (const [index, member] of [finance, gm, chairman].entries()) expect((await decide(member, revision.id, index, "approve")).status).toBe(302);
    expect((await archive(planId)).status).toBe(302);
    expect(await planState(planId)).toEqual({ status: "archived", locked: 1 });
    expect((await findRevision(server.db, revision.id))?.status).toBe("approved");
    expect((await audit(planId)).at(-1)).toEqual({ action: "plan.archive", detail: { from: "approved" } });
  });
});
