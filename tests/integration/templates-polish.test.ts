import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import type { ApproverTitle } from "~/domain/roles";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { fragmentLines } from "~/domain/template-from-plan";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine, type Kpi } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { findPickableTemplate } from "~/services/templates.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

// Templates after the issue-18 polish: blanks filled on create; an approved plan saved as a template.

function line(item: string, unit: string, price: string): Omit<BudgetLine, "id"> {
  const q = parseQuantityCell("2");
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category: "宣传", item, quantityHundredths: q.value, unit, unitPriceFen: p.value };
}

let server: TestServer;
let owner: MadeMember;
const approvers = {} as Record<ApproverTitle, MadeMember>;
const as = signedInClients(() => server.url);

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  approvers.finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
});

afterAll(async () => {
  as.clear();
  await server.close();
});

describe("save an approved plan as a template", () => {
  it("saves a budget line and a KPI without a unit with the unit left empty, without reopening the budget", async () => {
    const kpi: Omit<Kpi, "id"> = { ...blankRow("kpis", "2027-09-01"), name: "到店人数", unit: "", target: "500", direction: "up" };
    const planId = await createPlan(
      server.db,
      owner.id,
      { title: "2027 中秋会员答谢", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
      {
        ...BLANK_PLAN,
        sections: [{ heading: "执行计划", kind: "timeline" }, { heading: "经费预算", kind: "budget" }, { heading: "考核指标", kind: "kpis" }],
        blocks: {
          ...BLANK_PLAN.blocks,
          timeline: [{ ...blankRow("timeline", "2027-09-01"), task: "布置会场", start: "2027-09-10", end: "2027-09-11" }],
          budget: [line("横幅", "", "60"), line("传单", "张", "0.35")],
          kpis: [kpi],
        },
      },
    );
    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    const revision = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
    for (const step of await listSteps(server.db, revision.id)) {
      const decided = await (await as(approvers[step.title])).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" });
      expect(decided.status).toBe(302);
    }
    expect((await server.db.selectFrom("budget_revisions").select("status").where("id", "=", revision.id).executeTakeFirstOrThrow()).status).toBe("approved");

    const page = await (await as(owner)).get(`/plans/${planId}/save-template`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("template-problems");

    const saved = await (await as(owner)).post(`/plans/${planId}/save-template`, { name: "中秋会员答谢", description: "会员答谢活动", keepAmounts: "on" });
    expect(saved.status).toBe(302);
    const templateId = new URL(saved.headers.get("location") ?? "", server.url).searchParams.get("template") ?? "";
    const template = (await findPickableTemplate(server.db, templateId))?.template;
    expect(template?.budget.map((l) => [l.item, l.unit, l.unitPrice])).toEqual([
      ["横幅", "", "60"],
      ["传单", "张", "0.35"],
    ]);
    expect(template?.kpis.map((k) => [k.name, k.unit])).toEqual([["到店人数", ""]]);
    // Still approved: nothing was reopened on the way.
    expect((await server.db.selectFrom("budget_revisions").select("status").where("id", "=", revision.id).executeTakeFirstOrThrow()).status).toBe("approved");
  });
});

describe("create a plan from a template", () => {
  it("fills the template's 时间 and 地点 blanks with the plan's live days and store", async () => {
    const query = new URLSearchParams({ template: "duanwu-hotel-promotion", year: "2027" });
    const response = await (await as(owner)).post(`/plans/new?${query.toString()}`, { templateId: "duanwu-hotel-promotion", year: "2027", title: "2027 端午促销", store: "金陵大酒店" });
    expect(response.status).toBe(302);
    const planId = (response.headers.get("location") ?? "").split("/").pop() ?? "";
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await server.collab.documentState(planId));
    const lines = readPlanDoc(doc).sections.flatMap((section) => (section.kind === "richText" ? fragmentLines(sectionFragment(doc, section.id)) : []));
    expect(lines).toContain("时间：6月8日——6月10日（端午节期间）。");
    expect(lines).toContain("地点：金陵大酒店。");
    doc.destroy();
  });
});
