import type { BrowserContext, Page } from "playwright-core";
import * as Y from "yjs";
import { expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import type { BudgetRevision } from "../../db/schema";
import { blankRow, readBlock, updateRow, type BudgetLine } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { openPlan, waitUntil } from "../support/collab-client";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

const line = { ...blankRow("budget", "2027-09-01"), quantityHundredths: 100 };
/** ¥120,000 of spend: 财务部 审核 → 总经理 核准 → 董事长 审批. */
const GALA: Omit<BudgetLine, "id">[] = [
  { ...line, category: "场地布置", item: "舞台及灯光音响", unit: "项", unitPriceFen: 8_000_000, owner: "市场部" },
  { ...line, category: "来宾礼品", item: "月饼礼盒", quantityHundredths: 20_000, unit: "盒", unitPriceFen: 20_000, owner: "市场部" },
];

async function signedIn(member: MadeMember): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  return { context, page, check };
}

async function plan(owner: MadeMember, title: string): Promise<string> {
  return createPlan(
    suite.server.db,
    owner.id,
    { title, campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...GALA] } },
  );
}

async function submitted(owner: MadeMember, planId: string): Promise<BudgetRevision> {
  expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  return suite.server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
}

/** Approves the steps before the one `until` holds (every step when `until` is null); returns that step's index. */
async function approveUntil(approvers: Record<string, MadeMember>, revision: BudgetRevision, until: ApproverTitle | null): Promise<number | null> {
  for (const step of await listSteps(suite.server.db, revision.id)) {
    if (step.title === until) return step.step_index;
    const response = await (await as(approvers[step.title]!)).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" });
    expect(response.status).toBe(302);
  }
  return null;
}

/** An approver opens the review page and decides the step waiting for them, with a comment. */
async function decideInBrowser(member: MadeMember, revisionId: number, decision: "requestChanges" | "reject", comment: string): Promise<void> {
  const { context, page, check } = await signedIn(member);
  await page.goto(`${suite.server.url}/approvals/${revisionId}`);
  await page.locator(".approval-decide textarea[name='comment']").fill(comment);
  await page.locator(`.approval-decide button[value='${decision}']`).click();
  await expect.poll(() => page.locator(".approval-decide button[value='approve']").count()).toBe(0);
  check();
  await context.close();
}

it("退回修改 and 驳回 reach the planner apart: list, header and the comment pinned on the plan", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const approvers = {
    finance: await makeMember(db, { role: "finance", title: "finance", name: "赵敏" }),
    gm: await makeMember(db, { role: "manager", title: "gm", name: "周杰" }),
    chairman: await makeMember(db, { role: "manager", title: "chairman", name: "吴刚" }),
  };
  const returnedId = await plan(planner, "2027 中秋客户答谢晚会");
  const rejectedId = await plan(planner, "2027 国庆门店路演");

  const returned = await submitted(planner, returnedId);
  expect(await approveUntil(approvers, returned, "gm")).not.toBeNull();
  await decideInBrowser(approvers.gm, returned.id, "requestChanges", "请补充舞台报价单，礼盒数量按 150 盒重新核算");
  const rejected = await submitted(planner, rejectedId);
  await decideInBrowser(approvers.finance, rejected.id, "reject", "与年度计划重复，不予立项");

  const P = await signedIn(planner);
  await P.page.goto(`${suite.server.url}/plans`);
  const statusOf = (title: string) => P.page.locator(".plans-table tr", { hasText: title }).locator(".status").innerText();
  expect(await statusOf("中秋客户答谢晚会")).toBe("退回修改");
  expect(await statusOf("国庆门店路演")).toBe("已驳回");
  expect(await P.page.locator(".plans-table tr", { hasText: "中秋客户答谢晚会" }).locator(".status-changesRequested").count()).toBe(1);

  // Filtering by 退回修改 leaves only that plan.
  await P.page.locator("select[name='status']").selectOption("changesRequested");
  await P.page.locator(".filters button[type='submit']").click();
  await P.page.waitForURL(/status=changesRequested/);
  await expect.poll(() => P.page.locator(".plans-table tbody tr").count()).toBe(1);
  expect(await P.page.locator(".plans-table tbody").innerText()).toContain("中秋客户答谢晚会");

  await P.page.locator(".plans-table a", { hasText: "中秋客户答谢晚会" }).click();
  const banner = P.page.locator(".review-outcome-banner[data-review-outcome='changesRequested']");
  await banner.waitFor();
  expect(await P.page.locator(".plan-header .status").innerText()).toBe("退回修改");
  expect(await banner.innerText()).toContain("周杰 退回修改：请补充舞台报价单，礼盒数量按 150 盒重新核算");
  expect(await banner.locator("time").innerText()).toMatch(/2\d{3}/);
  // The banner sits right under the header and links to the review of the returned revision.
  expect(await P.page.locator(".plan-header + .review-outcome-banner").count()).toBe(1);
  await banner.locator("a", { hasText: "查看预算版本 1 的审批" }).click();
  await P.page.waitForURL(new RegExp(`/approvals/${returned.id}$`));

  await P.page.goto(`${suite.server.url}/plans/${rejectedId}`);
  const rejectedBanner = P.page.locator(".review-outcome-banner[data-review-outcome='rejected']");
  await rejectedBanner.waitFor();
  expect(await P.page.locator(".plan-header .status").innerText()).toBe("已驳回");
  expect(await rejectedBanner.innerText()).toContain("已驳回");
  expect(await rejectedBanner.innerText()).toContain("赵敏 驳回了预算版本 1：与年度计划重复，不予立项");

  // Resubmitting clears it: the plan is in review and nothing is pinned any more.
  await submitted(planner, returnedId);
  await P.page.goto(`${suite.server.url}/plans/${returnedId}`);
  await P.page.locator(".plan-header .status").waitFor();
  expect(await P.page.locator(".plan-header .status").innerText()).toBe("审批中");
  expect(await P.page.locator(".review-outcome-banner").count()).toBe(0);
  P.check();
  await P.context.close();
});

it("the review page shows why the budget was reopened and each changed field's old → new", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "陈晨" });
  const approvers = {
    finance: await makeMember(db, { role: "finance", title: "finance", name: "钱芳" }),
    gm: await makeMember(db, { role: "manager", title: "gm", name: "郑总" }),
    chairman: await makeMember(db, { role: "manager", title: "chairman", name: "王董" }),
  };
  const planId = await plan(planner, "2027 双十一会员日");
  await approveUntil(approvers, await submitted(planner, planId), null);
  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: "嘉宾增加到 300 人，需追加礼盒" })).status).toBe(200);

  const session = openPlan(await as(planner), planId);
  try {
    await waitUntil(() => session.state.synced, "planner synced");
    const [stage, gifts] = readBlock(session.state.doc, "budget").rows;
    updateRow(session.state.doc, "budget", stage!.id, { unitPriceFen: 9_000_000, note: "加宽舞台" });
    updateRow(session.state.doc, "budget", gifts!.id, { quantityHundredths: 30_000, unit: "份", owner: "采购部" });
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await suite.server.collab.documentState(planId));
      return readBlock(doc, "budget").rows[1]!.owner === "采购部";
    }, "the edits reached the server");
  } finally {
    session.destroy();
  }
  const second = await submitted(planner, planId);

  const F = await signedIn(approvers.finance);
  await F.page.goto(`${suite.server.url}/approvals/${second.id}`);
  const reason = F.page.locator(".approval-reopen-reason");
  await reason.waitFor();
  expect(await reason.innerText()).toContain("重新打开原因");
  expect(await reason.innerText()).toContain("陈晨 于");
  expect(await reason.innerText()).toContain("重新打开了已批准的预算版本 1");
  expect(await reason.locator("blockquote").innerText()).toBe("嘉宾增加到 300 人，需追加礼盒");

  const fields = async (item: string) =>
    F.page
      .locator(".approval-diff tr[data-diff-line]", { hasText: item })
      .locator(".diff-fields li")
      .allInnerTexts()
      .then((texts) => texts.map((text) => text.replace(/\s+/g, " ").trim()));
  expect(await fields("舞台及灯光音响")).toEqual(["单价：¥80,000.00 → ¥90,000.00", "备注：（空） → 加宽舞台"]);
  expect(await fields("月饼礼盒")).toEqual(["数量：200 → 300", "单位：盒 → 份", "负责人：市场部 → 采购部"]);
  F.check();
  await F.context.close();
});
