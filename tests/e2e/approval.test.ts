import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";

const suite = browserSuite({ seedDemo: false });

async function signedIn(member: MadeMember): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  return { context, page, check };
}

/** An approver opens their inbox, finds the plan and approves the step waiting for them. */
async function approveFromInbox(member: MadeMember, planTitle: string): Promise<void> {
  const { context, page, check } = await signedIn(member);
  await page.locator("nav.main-nav a", { hasText: "审批" }).click();
  await page.locator(".inbox-table a", { hasText: planTitle }).first().click();
  await page.locator(".approval-decide button[value='approve']").click();
  await expect.poll(() => page.locator(".approval-decide button[value='approve']").count()).toBe(0);
  check();
  await context.close();
}

it("a ¥120,000 budget goes planner → 财务部 → 总经理 → 董事长 and is then locked for the planner", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const finance = await makeMember(db, { role: "finance", title: "finance", name: "赵敏" });
  const gm = await makeMember(db, { role: "manager", title: "gm", name: "周杰" });
  const chairman = await makeMember(db, { role: "manager", title: "chairman", name: "吴刚" });
  const title = "2027 城东店开业庆典";
  const line = { ...blankRow("budget", "2027-04-01"), quantityHundredths: 100 };
  const planId = await createPlan(
    db,
    planner.id,
    { title, campaignType: "opening", startDate: "2027-04-01", endDate: "2027-04-30", store: "城东店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [
          { ...line, category: "场地布置", item: "舞台及灯光音响", unit: "项", unitPriceFen: 8_000_000 },
          { ...line, category: "来宾礼品", item: "开业礼品", quantityHundredths: 20_000, unit: "份", unitPriceFen: 20_000 },
        ],
      },
    },
  );

  // The planner sees the chain the amount calls for, and submits.
  const P = await signedIn(planner);
  await P.page.goto(`${suite.server.url}/plans/${planId}`);
  await P.page.locator(".connection[data-status='connected']").waitFor();
  const panel = P.page.locator(".approval-panel");
  expect(await panel.getAttribute("data-approval-state")).toBe("draft");
  expect(await panel.innerText()).toMatch(/财务部[\s\S]*总经理[\s\S]*董事长/);
  await panel.locator("button", { hasText: "提交审批" }).click();
  await expect.poll(() => panel.getAttribute("data-approval-state")).toBe("pending");

  await approveFromInbox(finance, title);
  await approveFromInbox(gm, title);
  await approveFromInbox(chairman, title);

  // Approved: the badge with the total and approvers, and budget cells the planner cannot change.
  await P.page.reload();
  await P.page.locator(".connection[data-status='connected']").waitFor();
  await expect.poll(() => P.page.locator(".approval-panel").getAttribute("data-approval-state")).toBe("approved");
  const badge = P.page.locator(".approved-badge");
  expect(await badge.innerText()).toContain("已批准 ¥120,000.00");
  expect(await badge.innerText()).toMatch(/赵敏[\s\S]*周杰[\s\S]*吴刚/);
  const stage = P.page.locator('table[data-block="budget"] tr[data-row-id]', { has: P.page.locator('td[data-field="item"]', { hasText: "舞台及灯光音响" }) });
  await stage.locator('td[data-field="unitPrice"]').click();
  await P.page.keyboard.type("90000");
  await P.page.keyboard.press("Enter");
  expect(await P.page.locator('table[data-block="budget"] input').count()).toBe(0);
  expect(await stage.locator('td[data-field="unitPrice"]').innerText()).toBe("¥80,000.00");
  expect(await P.page.locator('[data-total="spend"]').innerText()).toBe("¥120,000.00");
  expect(await P.page.locator("button", { hasText: "添加明细" }).count()).toBe(0);
  // Other blocks stay editable.
  expect(await P.page.locator("button", { hasText: "添加任务" }).count()).toBe(1);
  P.check();
  await P.context.close();
});
