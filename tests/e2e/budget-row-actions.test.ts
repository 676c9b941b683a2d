import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";

const suite = browserSuite({ seedDemo: false });

const grid = (page: Page) => page.locator('table[data-block="budget"]');
const line = (page: Page, item: string) => grid(page).locator("tr[data-row-id]", { has: page.locator('td[data-field="item"]', { hasText: new RegExp(`^${item}$`) }) });
const items = (page: Page, category: string) => grid(page).locator(`tbody[data-category="${category}"] td[data-field="item"]`).allInnerTexts();
/** The lines whose move, category and remove controls are in the page. */
const withActions = (page: Page) => grid(page).locator("tr[data-row-id]:has(.budget-row-actions button) td[data-field='item']").allInnerTexts();

it("shows a line's move, category and remove controls when the pointer is on it or it is the active line, and they work", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const row = (category: string, item: string) => ({ ...blankRow("budget", "2027-11-01"), category, item, unit: "个", unitPriceFen: 10_000 });
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 双十一会员狂欢", campaignType: "double11", startDate: "2027-11-01", endDate: "2027-11-11", store: "" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [row("物料", "易拉宝"), row("物料", "吊旗"), row("物料", "车贴"), row("推广", "短信推送")] } },
  );
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-synced='true']").waitFor();
  await line(page, "车贴").waitFor();

  // No line is in use yet: no controls anywhere, and every line keeps its height when they appear.
  expect(await withActions(page)).toEqual([]);
  const height = await line(page, "吊旗").evaluate((tr) => tr.getBoundingClientRect().height);
  await line(page, "吊旗").locator('td[data-field="unit"]').hover();
  expect(await withActions(page)).toEqual(["吊旗"]);
  expect(await line(page, "吊旗").evaluate((tr) => tr.getBoundingClientRect().height)).toBe(height);

  await line(page, "吊旗").getByRole("button", { name: "下移（吊旗）" }).click();
  await expect.poll(() => items(page, "物料")).toEqual(["易拉宝", "车贴", "吊旗"]);

  await line(page, "车贴").locator('td[data-field="owner"]').hover();
  expect(await withActions(page)).toEqual(["车贴"]);
  await line(page, "车贴").getByRole("combobox", { name: "更改类别（车贴）" }).selectOption("推广");
  await expect.poll(() => items(page, "推广")).toEqual(["车贴", "短信推送"]);

  // The active line keeps its controls, and the keyboard reaches them from its last cell (its
  // first line cannot move up, so the first control it reaches is 下移).
  await line(page, "易拉宝").locator('td[data-field="note"]').click();
  await page.mouse.move(1, 1);
  expect(await withActions(page)).toEqual(["易拉宝"]);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("下移（易拉宝）");

  await line(page, "短信推送").locator('td[data-field="quantity"]').hover();
  await line(page, "短信推送").getByRole("button", { name: "删除（短信推送）" }).click();
  await page.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await expect.poll(() => items(page, "推广")).toEqual(["车贴"]);

  noErrors();
  await context.close();
});
