import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRevision, listSteps } from "../../db/queries/approvals";
import { findPlanById } from "../../db/queries/plans";
import { approvalInbox } from "~/services/approval-views.server";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const as = signedInClients(() => server.url);
let planner: MadeMember;
let finance: MadeMember;
let chairman: MadeMember;
let admin: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  planner = await makeMember(server.db, { role: "planner" });
  admin = await makeMember(server.db, { role: "admin" });
  finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
  // Every title held, so the default matrix is valid as it stands.
  await makeMember(server.db, { role: "manager", title: "deputyGm" });
  await makeMember(server.db, { role: "manager", title: "gm" });
});
afterAll(async () => {
  as.clear();
  await server.close();
});

/** Text without React's separators between interpolated parts. */
const textOf = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

describe("above ¥500,000: 财务部 → 董事长（核准、审批）", () => {
  it("the chairman decides 核准 and 审批 in one decision, recorded on both steps, and cannot decide again", async () => {
    const planId = await createPlan(
      server.db,
      planner.id,
      { title: "2027 城东店开业庆典", campaignType: "opening", startDate: "2027-04-20", endDate: "2027-04-30", store: "城东店" },
      { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [{ ...blankRow("budget", "2027-04-20"), category: "活动物料", item: "开业舞台", unitPriceFen: 80_000_000 }] } },
    );
    expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    const revision = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).executeTakeFirstOrThrow();
    expect((await listSteps(server.db, revision.id)).map((s) => [s.kind, s.title])).toEqual([
      ["review", "finance"],
      ["endorse", "chairman"],
      ["approve", "chairman"],
    ]);
    // The pending chain on the plan shows two entries: 审核 by 财务部, then 核准、审批 by 董事长 as one.
    const panel = await textOf(await (await as(planner)).get(`/plans/${planId}`));
    expect(panel).toMatch(/data-steps="0"[^>]*><span class="step-kind">审核<\/span><span class="step-title">财务部<\/span>/);
    expect(panel).toMatch(/data-steps="1,2"[^>]*><span class="step-kind">核准、审批<\/span><span class="step-title">董事长<\/span>/);

    const decide = async (member: MadeMember, stepIndex: number) => (await as(member)).post(`/approvals/${revision.id}`, { stepIndex: String(stepIndex), decision: "approve", comment: "" });
    expect((await decide(finance, 0)).status).toBe(302);
    const review = await textOf(await (await as(chairman)).get(`/approvals/${revision.id}`));
    expect(review).toContain("你将以董事长身份核准、审批此预算。");

    expect((await decide(chairman, 1)).status).toBe(302);
    expect((await findRevision(server.db, revision.id))?.status).toBe("approved");
    expect((await findPlanById(server.db, planId))?.status).toBe("approved");
    expect((await listSteps(server.db, revision.id)).map((s) => [s.decision, s.decided_by])).toEqual([
      ["approve", finance.id],
      ["approve", chairman.id],
      ["approve", chairman.id],
    ]);
    expect(await approvalInbox(server.db, { id: chairman.id, title: "chairman" })).toEqual([]);
    const again = await decide(chairman, 2);
    expect(again.status).toBe(409);
    const audit = await server.db.selectFrom("audit_log").select("detail").where("action", "=", "approval.decide").where("target_id", "=", planId).execute();
    expect(audit.map((row) => (JSON.parse(row.detail) as { steps: number[] }).steps)).toEqual([[0], [1, 2]]);
  });

  it("shows the merged step plainly in the authority matrix", async () => {
    const page = await textOf(await (await as(admin)).get("/admin/authority"));
    expect(page).toContain("董事长（核准、审批，一次审批）");
    expect(page).toContain("由该职务一人一次审批");
  });
});
