import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";
import { makePlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

const grid = (page: Page) => page.locator('table[data-block="budget"]');
const line = (page: Page, item: string) => grid(page).locator("tr[data-row-id]", { has: page.locator('td[data-field="item"]', { hasText: new RegExp(`^${item}$`) }) });
const totals = (page: Page) => Promise.all(["spend", "income", "net"].map((key) => page.locator(`[data-total="${key}"]`).innerText()));

/** What Excel puts on the clipboard for a block of cells: tab-separated, CRLF line ends. */
async function pasteIntoGrid(page: Page, rows: string[][]): Promise<void> {
  const text = `${rows.map((cells) => cells.join("\t")).join("\r\n")}\r\n`;
  await grid(page).evaluate((table, tsv) => {
    const data = new DataTransfer();
    data.setData("text/plain", tsv);
    table.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

it("a planner pastes 000 篇2's budget from Excel, sees spend, income and net, and bad input is refused beside the cell", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const planId = await makePlan(db, planner.id, "2027 超市开业");
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();

  // A first category and line, then the rest of the block pasted from the spreadsheet.
  await page.locator("button", { hasText: "添加类别" }).click();
  await page.getByLabel("类别名称").fill("开业宣传");
  await page.getByLabel("类别名称").press("Enter");
  await page.keyboard.press("Escape");
  await pasteIntoGrid(page, [
    ["沿街条幅", "50", "条", "60", "", "否"],
    ["供应商贺开业条幅", "40", "条", "¥100", "", "是"],
    ["气球", "10,000", "个", "0.15", "", "否"],
    ["车内不干胶广告", "100", "㎡", "50", "", "否"],
    ["电台软性广告", "1", "次", "1,000", "", "否"],
    ["《xx日报》记者", "1", "次", "200", "", "否"],
    ["特价商品进场费", "50", "SKU", "50", "", "是"],
    ["品牌商品进场费", "50", "SKU", "100", "", "是"],
    ["负毛利补贴", "1", "项", "10000", "", "否"],
  ]);
  await expect.poll(() => grid(page).locator("tr[data-row-id]").count()).toBe(9);
  expect(await line(page, "气球").locator('td[data-field="amount"]').innerText()).toBe("¥1,500.00");
  // As the lines are stated, 100 ㎡ × ¥50 is ¥5,000.
  await expect.poll(() => totals(page)).toEqual(["¥20,700.00", "¥11,500.00", "¥9,200.00"]);

  // The seed's own figure for the car stickers is ¥400 in all: with it, ¥16,100 / ¥11,500 / ¥4,600.
  await line(page, "车内不干胶广告").locator('td[data-field="quantity"]').click();
  await page.keyboard.type("1");
  await page.keyboard.press("Tab"); // commits, on to 单位
  await page.keyboard.press("Tab"); // on to 单价
  await page.keyboard.type("400");
  await page.keyboard.press("Enter");
  await expect.poll(() => totals(page)).toEqual(["¥16,100.00", "¥11,500.00", "¥4,600.00"]);
  await expect.poll(async () => (await findPlanById(db, planId))?.spend_fen).toBe(1_610_000);

  // Letters and a third decimal are refused beside the cell; nothing is written.
  const radio = line(page, "电台软性广告");
  await radio.locator('td[data-field="unitPrice"]').click();
  await page.keyboard.type("12.345");
  await page.keyboard.press("Enter");
  await expect.poll(() => grid(page).locator('[role="alert"]').innerText()).toContain("两位小数");
  await page.keyboard.press("Escape");
  expect(await radio.locator('td[data-field="unitPrice"]').innerText()).toBe("¥1,000.00");
  await radio.locator('td[data-field="quantity"]').click();
  await page.keyboard.type("-2");
  await page.keyboard.press("Enter");
  await expect.poll(() => grid(page).locator('[role="alert"]').innerText()).toContain("负数");
  await page.keyboard.press("Escape");
  expect(await totals(page)).toEqual(["¥16,100.00", "¥11,500.00", "¥4,600.00"]);

  // 2.5 × ¥33.33 is ¥83.33 in the line, the totals and the stored projection.
  await radio.locator('td[data-field="quantity"]').click();
  await page.keyboard.type("2.5");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.type("33.33");
  await page.keyboard.press("Enter");
  await expect.poll(() => radio.locator('td[data-field="amount"]').innerText()).toBe("¥83.33");
  await expect.poll(() => totals(page)).toEqual(["¥15,183.33", "¥11,500.00", "¥3,683.33"]);
  await expect.poll(async () => (await findPlanById(db, planId))?.spend_fen).toBe(1_518_333);

  noErrors();
  await context.close();
});
