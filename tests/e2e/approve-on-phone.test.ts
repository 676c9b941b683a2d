import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Locator, Page } from "playwright-core";
import * as Y from "yjs";
import { expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import type { BudgetRevision } from "../../db/schema";
import { blankRow, readBlock, updateRow, type BudgetLine } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, watchPageErrors } from "../support/browser";
import { openPlan, waitUntil } from "../support/collab-client";
import { makeMember, type MadeMember } from "../support/factories";
import { HttpClient, signedInClients } from "../support/http-client";

/**
 * Issue 18's approver journey on a 390×844 phone, with taps and typing only: the bell, the
 * notification, the review page read without sideways scrolling, and a decision from the
 * bottom bar through the sheet.
 */

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

const line = { ...blankRow("budget", "2027-09-01"), quantityHundredths: 100 };
/** ¥120,000 of spend: 财务部 审核 → 总经理 核准 → 董事长 审批. */
const GALA: Omit<BudgetLine, "id">[] = [
  { ...line, category: "场地布置", item: "舞台及灯光音响", unit: "项", unitPriceFen: 8_000_000, owner: "市场部" },
  { ...line, category: "来宾礼品", item: "月饼礼盒", quantityHundredths: 20_000, unit: "盒", unitPriceFen: 20_000, owner: "市场部" },
];

async function team() {
  const db = suite.server.db;
  return {
    planner: await makeMember(db, { role: "planner", name: "李娜" }),
    finance: await makeMember(db, { role: "finance", title: "finance", name: "赵敏" }),
    gm: await makeMember(db, { role: "manager", title: "gm", name: "周杰" }),
    chairman: await makeMember(db, { role: "manager", title: "chairman", name: "吴刚" }),
  };
}
type Team = Awaited<ReturnType<typeof team>>;

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

/** Approves the steps before the one `until` holds (every step when `until` is null). */
async function approveUntil(people: Team, revision: BudgetRevision, until: ApproverTitle | null): Promise<void> {
  const byTitle: Partial<Record<ApproverTitle, MadeMember>> = { finance: people.finance, gm: people.gm, chairman: people.chairman };
  for (const step of await listSteps(suite.server.db, revision.id)) {
    if (step.title === until) return;
    const response = await (await as(byTitle[step.title]!)).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" });
    expect(response.status).toBe(302);
  }
}

/** A plan approved once, reopened, its stage dearer and more gift boxes, submitted again. */
async function resubmittedWithChanges(people: Team, title: string): Promise<BudgetRevision> {
  const planId = await plan(people.planner, title);
  await approveUntil(people, await submitted(people.planner, planId), null);
  expect((await (await as(people.planner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: "嘉宾增加到 300 人" })).status).toBe(200);
  const session = openPlan(await as(people.planner), planId);
  try {
    await waitUntil(() => session.state.synced, "planner synced");
    const [stage, gifts] = readBlock(session.state.doc, "budget").rows;
    updateRow(session.state.doc, "budget", stage!.id, { unitPriceFen: 9_000_000 });
    updateRow(session.state.doc, "budget", gifts!.id, { quantityHundredths: 30_000 });
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await suite.server.collab.documentState(planId));
      return readBlock(doc, "budget").rows[1]!.quantityHundredths === 30_000;
    }, "the edits reached the server");
  } finally {
    session.destroy();
  }
  return submitted(people.planner, planId);
}

/** A phone signed in as the member: the session cookie set directly, so the page itself only sees taps. */
async function onPhone(member: MadeMember, options: { bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const client = new HttpClient(suite.server.url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: "zh-CN", ...options });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: suite.server.url })));
  const page = await context.newPage();
  const check = watchPageErrors(page);
  return { context, page, check };
}

/** Taps the bell until its panel is open: the first tap may land before React has hydrated the button. */
async function openBell(page: Page): Promise<Locator> {
  const panel = page.locator(".notification-panel");
  await expect
    .poll(async () => {
      if (!(await panel.isVisible())) await page.locator("button.bell-button").tap();
      return panel.isVisible();
    })
    .toBe(true);
  return panel;
}

async function fitsTheScreen(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  for (const part of [".review-head h1", ".review-summary", ".review-totals", ".approval-diff", ".review-chain", ".review-comments"]) {
    const box = await page.locator(part).first().boundingBox();
    expect(box, part).not.toBeNull();
    expect(box!.x, part).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, part).toBeLessThanOrEqual(390);
  }
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's critical and serious findings on the page as it is now. */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
    const { violations } = await axe.run(document);
    return violations.filter((v) => v.impact === "critical" || v.impact === "serious").map((v) => v.id);
  });
}

const stepOf = async (revisionId: number, index: number) => (await listSteps(suite.server.db, revisionId)).find((s) => s.step_index === index)!;
const statusOf = async (revisionId: number) => (await suite.server.db.selectFrom("budget_revisions").select("status").where("id", "=", revisionId).executeTakeFirstOrThrow()).status;

it("周杰 opens the notification on his phone, reads the changes and returns the budget with a comment", async () => {
  const people = await team();
  const revision = await resubmittedWithChanges(people, "2027 中秋客户答谢晚会");
  await approveUntil(people, revision, "gm");

  // bypassCSP: the page's CSP refuses the injected axe script, as it should any inline script.
  const Z = await onPhone(people.gm, { bypassCSP: true });
  await Z.page.goto(`${suite.server.url}/approvals`);
  const panel = await openBell(Z.page);
  await panel.locator('li[data-kind="approvalTurn"]', { hasText: "2027 中秋客户答谢晚会」第 2" }).locator("button.notification-link").tap();
  await Z.page.waitForURL(new RegExp(`/approvals/${revision.id}$`));
  const bar = Z.page.locator(".decision-bar");
  await bar.waitFor();

  expect(await Z.page.locator(".review-head h1").innerText()).toBe("2027 中秋客户答谢晚会");
  const facts = await Z.page.locator(".review-facts").innerText();
  for (const fact of ["节日促销", "南京西路店", "2027-09-01 – 2027-09-20", "李娜", "版本 2"]) expect(facts).toContain(fact);
  // ¥120,000 approved; now ¥90,000 stage + 300 boxes × ¥200 = ¥150,000: +¥30,000, +25%.
  expect(await Z.page.locator('.total-tiles li[data-total="spendFen"]').innerText()).toMatch(/¥150,000\.00[\s\S]*较版本 1 \+¥30,000\.00 \(\+25\.0%\)/);
  const stage = Z.page.locator(".approval-diff tr[data-diff-line]", { hasText: "舞台及灯光音响" });
  expect(await stage.locator(".diff-fields").innerText()).toContain("¥80,000.00 → ¥90,000.00");
  // +12.5% stays within the 15% limit; 200 → 300 boxes (+50%) is flagged.
  expect(await stage.locator(".over-limit-badge").count()).toBe(0);
  expect(await Z.page.locator(".approval-diff tr[data-diff-line].over-limit", { hasText: "月饼礼盒" }).locator(".over-limit-badge").innerText()).toBe("超过 15%");
  expect(await Z.page.locator(".review-chain .approval-step[data-state='approve']").innerText()).toContain("赵敏");
  expect(await Z.page.locator(".review-chain .approval-step[data-state='waiting']").innerText()).toContain("总经理");
  expect(await Z.page.locator(".review-comments .comments-toggle").innerText()).toContain("评论");
  await fitsTheScreen(Z.page);
  // The inline form gives way to the bar on a phone; the bar's buttons are thumb-sized.
  expect(await Z.page.locator(".approval-decide textarea[name='comment']").isVisible()).toBe(false);
  for (const button of await bar.locator("button").all()) expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);

  await bar.locator("[data-choose='requestChanges']").tap();
  const sheet = Z.page.locator("dialog.decision-sheet[open]");
  await sheet.waitFor();
  expect(await sheet.locator("h2").innerText()).toBe("退回修改");
  expect(await seriousAxeFindings(Z.page)).toEqual([]);
  await sheet.locator("textarea[name='comment']").tap();
  await sheet.locator("textarea[name='comment']").pressSequentially("舞台涨价请附报价单");
  await sheet.locator("button[type='submit']").tap();

  const outcome = Z.page.locator(".review-my-decision[data-my-decision='requestChanges']");
  await outcome.waitFor();
  expect(await outcome.innerText()).toContain("预算已退回提交人修改");
  expect(await bar.count()).toBe(0);
  expect(await Z.page.locator(".approval-decide button[value='approve']").count()).toBe(0);
  expect(await statusOf(revision.id)).toBe("changesRequested");
  expect(await stepOf(revision.id, 1)).toMatchObject({ decision: "requestChanges", decided_by: people.gm.id, comment: "舞台涨价请附报价单" });
  await fitsTheScreen(Z.page);
  Z.check();
  await Z.context.close();
});

it("周杰 approves from the bottom bar without a comment, and the page names the next step", async () => {
  const people = await team();
  const revision = await submitted(people.planner, await plan(people.planner, "2027 国庆门店路演"));
  await approveUntil(people, revision, "gm");

  const Z = await onPhone(people.gm);
  await Z.page.goto(`${suite.server.url}/dashboard`);
  const panel = await openBell(Z.page);
  await panel.locator('li[data-kind="approvalTurn"]', { hasText: "2027 国庆门店路演" }).locator("button.notification-link").tap();
  await Z.page.waitForURL(new RegExp(`/approvals/${revision.id}$`));
  await Z.page.locator(".decision-bar").waitFor();
  expect(await Z.page.locator(".review-totals").innerText()).toContain("首次提交");
  await fitsTheScreen(Z.page);

  await Z.page.locator(".decision-bar [data-choose='approve']").tap();
  const sheet = Z.page.locator("dialog.decision-sheet[open]");
  await sheet.waitFor();
  expect(await sheet.locator("label").innerText()).toContain("选填");
  await sheet.locator("button[type='submit']").tap();

  const outcome = Z.page.locator(".review-my-decision[data-my-decision='approve']");
  await outcome.waitFor();
  expect(await outcome.innerText()).toContain("下一步：等待董事长审批");
  expect(await Z.page.locator(".decision-bar").count()).toBe(0);
  expect(await statusOf(revision.id)).toBe("pending");
  expect(await stepOf(revision.id, 1)).toMatchObject({ decision: "approve", decided_by: people.gm.id });
  const chairmanTurn = await suite.server.db.selectFrom("notifications").select("id").where("user_id", "=", people.chairman.id).where("kind", "=", "approvalTurn").execute();
  expect(chairmanTurn).toHaveLength(1);
  Z.check();
  await Z.context.close();
});

it("a rejection without a comment is refused in Chinese and changes nothing", async () => {
  const people = await team();
  const revision = await submitted(people.planner, await plan(people.planner, "2027 春节年货节"));
  await approveUntil(people, revision, "gm");

  const Z = await onPhone(people.gm);
  await Z.page.goto(`${suite.server.url}/approvals/${revision.id}`);
  await Z.page.locator(".decision-bar [data-choose='reject']").tap();
  const sheet = Z.page.locator("dialog.decision-sheet[open]");
  await sheet.waitFor();
  expect(await sheet.locator("label").innerText()).toContain("必填");
  await sheet.locator("button[type='submit']").tap();
  expect(await sheet.locator("[role='alert']").innerText()).toBe("驳回或退回修改时必须填写意见");
  expect(await sheet.locator("textarea[name='comment']").getAttribute("aria-invalid")).toBe("true");

  // The server holds the same line for a request that skips the page (blank counts as none).
  const refused = await (await as(people.gm)).post(`/approvals/${revision.id}`, { stepIndex: "1", decision: "reject", comment: "   " });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain("驳回或退回修改时必须填写意见");
  expect(await statusOf(revision.id)).toBe("pending");
  expect(await stepOf(revision.id, 1)).toMatchObject({ decision: null, decided_by: null });

  // 取消 closes the sheet and leaves the bar for another go.
  await sheet.locator("button[type='button']").tap();
  await expect.poll(() => Z.page.locator("dialog.decision-sheet").count()).toBe(0);
  expect(await Z.page.locator(".decision-bar").isVisible()).toBe(true);
  Z.check();
  await Z.context.close();
});
