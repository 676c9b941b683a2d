import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { blankRow, type BudgetLine } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

const grid = (page: Page) => page.locator('table[data-block="budget"]');
const line = (page: Page, item: string) => grid(page).locator("tr[data-row-id]", { has: page.locator('td[data-field="item"]', { hasText: new RegExp(`^${item}$`) }) });
const panel = (page: Page) => page.locator(".approval-panel");
const submit = (page: Page) => panel(page).getByRole("button", { name: "提交审批" });
const chain = (page: Page) => panel(page).locator("[data-chain-preview]").innerText();

function budgetLine(item: string, quantityHundredths: number, unitPriceFen: number | null): Omit<BudgetLine, "id"> {
  return { ...blankRow("budget", "2027-09-01"), category: "活动物料", item, quantityHundredths, unit: "项", unitPriceFen };
}

async function setPrice(page: Page, item: string, price: string): Promise<void> {
  await line(page, item).locator('td[data-field="unitPrice"]').click();
  await page.keyboard.type(price);
  await page.keyboard.press("Enter");
}

it("the approval panel follows the live budget: the last 待定 filled enables 提交审批, crossing ¥50,000.00 changes the approvers, all without a reload", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  // ¥41,000 priced and one line 待定: finance → deputy GM → GM until the total passes ¥50,000.
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 中秋客户答谢晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [budgetLine("舞台搭建", 100, 4_000_000), budgetLine("宣传单页", 100_000, 100), budgetLine("答谢礼品", 1_000, null)] } },
  );
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  let navigations = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });

  expect(await submit(page).isDisabled()).toBe(true);
  await expect.poll(() => panel(page).innerText()).toContain("还有 1 项预算待定");
  expect(await chain(page)).toBe("财务部 → 副总经理 → 总经理");

  await setPrice(page, "答谢礼品", "500");
  await expect.poll(() => submit(page).isEnabled()).toBe(true);
  expect(await panel(page).innerText()).not.toContain("预算待定");
  expect(await chain(page)).toBe("财务部 → 副总经理 → 总经理");

  // ¥45,000 + ¥1,000 + ¥5,000 = ¥51,000: over ¥50,000.00.
  await setPrice(page, "舞台搭建", "45,000");
  await expect.poll(() => chain(page)).toBe("财务部 → 总经理 → 董事长");
  await expect.poll(() => panel(page).locator("tr.chosen td.num").innerText()).toBe("¥51,000.00");

  // Back under the line, the band follows.
  await setPrice(page, "舞台搭建", "40,000");
  await expect.poll(() => chain(page)).toBe("财务部 → 副总经理 → 总经理");
  expect(navigations).toBe(0);
  noErrors();
  await context.close();
});

it("a budget edit the server refuses (the budget locked under a page that does not know yet) is reverted with a notice, and the page keeps working", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "周敏" });
  for (const title of ["finance", "deputyGm", "gm"] as const) await makeMember(db, { role: "manager", title, name: `审批人 ${title}` });
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 春节年货节", campaignType: "holiday", startDate: "2027-01-20", endDate: "2027-02-10", store: "徐汇店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [budgetLine("舞台搭建", 100, 800_000)] } },
  );
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();

  // The page's reload of its data after the lock never answers: its grid stays editable, as in the moment before it would.
  let reloadsAsked = 0;
  await page.route(
    (url) => url.searchParams.has("_data"),
    () => {
      reloadsAsked++;
    },
  );
  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  await expect.poll(() => reloadsAsked).toBeGreaterThan(0);
  await page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();

  await setPrice(page, "舞台搭建", "1");
  const notice = page.locator(".refusal-notice");
  await expect.poll(() => notice.innerText()).toContain("预算已提交审批，你对预算的修改未保存");
  await expect.poll(() => line(page, "舞台搭建").locator('td[data-field="unitPrice"]').innerText()).toBe("¥8,000.00");
  expect(await page.locator(".connection").getAttribute("data-status")).toBe("connected");
  await notice.getByRole("button", { name: "知道了" }).click();
  expect(await notice.count()).toBe(0);
  noErrors();
  await context.close();
  as.clear();
});
