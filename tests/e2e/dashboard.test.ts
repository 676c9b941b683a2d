import { expect, it } from "vitest";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";

const suite = browserSuite({ seedDemo: false });

it("a manager filters the dashboard to Q4 and 双十一, opens a plan from the table, comes back, and the filter still applies", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const manager = await makeMember(db, { role: "manager", title: "gm", name: "周杰" });
  const line = { ...blankRow("budget", "2027-11-01"), quantityHundredths: 100, unit: "项" };
  const plan = (title: string, campaignType: "double11" | "holiday", startDate: string, endDate: string, priceFen: number) =>
    createPlan(db, planner.id, { title, campaignType, startDate, endDate, store: "浦东支行" }, {
      ...BLANK_PLAN,
      blocks: { ...BLANK_PLAN.blocks, budget: [{ ...line, category: "线上推广", item: "信息流广告", unitPriceFen: priceFen }] },
    });
  const double11 = await plan("2027 双十一会员狂欢", "double11", "2027-11-01", "2027-11-11", 1_234_567);
  await plan("2027 中秋答谢晚会", "holiday", "2027-09-10", "2027-09-20", 500_000);
  await plan("2027 元旦迎新", "holiday", "2027-12-28", "2028-01-02", 300_000);

  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, manager.username, manager.password);
  await page.waitForURL((url) => url.pathname === "/dashboard", { waitUntil: "commit" });

  const filters = page.locator("form.dashboard-filters");
  await filters.locator('input[name="from"]').fill("2027-10-01");
  await filters.locator('input[name="to"]').fill("2027-12-31");
  await filters.locator('select[name="type"]').selectOption("double11");
  await filters.locator("button[type='submit']").click();
  // Before hydration the form submits as a document load, after it as a client-side navigation
  // with no load event: "commit" resolves on either.
  await page.waitForURL((url) => url.searchParams.get("type") === "double11", { waitUntil: "commit" });
  const filtered = page.url();
  expect(new URL(filtered).searchParams.get("from")).toBe("2027-10-01");
  expect(new URL(filtered).searchParams.get("to")).toBe("2027-12-31");

  const byPlan = page.locator("[data-dashboard='byPlan']");
  await byPlan.locator(".dashboard-chart svg.recharts-surface").first().waitFor();
  await expect.poll(() => byPlan.locator("tbody tr").allInnerTexts()).toEqual([expect.stringContaining("2027 双十一会员狂欢")]);
  expect(await byPlan.locator("tbody tr [data-field='budget']").innerText()).toBe("¥12,345.67");
  expect(await byPlan.locator("tfoot [data-field='budget']").innerText()).toBe("¥12,345.67");
  expect(await page.locator("[data-counts='type'] [data-type='double11'] strong").innerText()).toBe("1");
  expect(await page.locator("[data-counts='type'] [data-type='holiday'] strong").innerText()).toBe("0");

  await byPlan.locator("tbody a", { hasText: "2027 双十一会员狂欢" }).click();
  await page.waitForURL((url) => url.pathname === `/plans/${double11}`, { waitUntil: "commit" });
  await page.locator("h1").filter({ hasText: "2027 双十一会员狂欢" }).first().waitFor();

  await page.goBack({ waitUntil: "commit" });
  await page.waitForURL(filtered, { waitUntil: "commit" });
  await expect.poll(() => filters.locator('input[name="from"]').inputValue()).toBe("2027-10-01");
  expect(await filters.locator('input[name="to"]').inputValue()).toBe("2027-12-31");
  expect(await filters.locator('select[name="type"]').inputValue()).toBe("double11");
  await expect.poll(() => byPlan.locator("tbody tr").allInnerTexts()).toEqual([expect.stringContaining("2027 双十一会员狂欢")]);
  await byPlan.locator(".dashboard-chart svg.recharts-surface").first().waitFor();

  noErrors();
  await context.close();
});
