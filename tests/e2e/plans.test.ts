import { expect, it } from "vitest";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";

const suite = browserSuite({ seedDemo: false });

it("a planner creates a plan, shapes its sections, and finds it again in the list", async () => {
  const planner = await makeMember(suite.server.db, { role: "planner", name: "李娜" });
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.locator("nav.main-nav a", { hasText: "计划" }).click();

  await expect.poll(() => page.locator(".empty-state").innerText()).toContain("没有符合条件的活动方案。");
  await page.locator("a", { hasText: "新建方案" }).click();
  await page.locator('input[name="title"]').fill("2027 中秋客户答谢晚会");
  await page.locator('select[name="campaignType"]').selectOption("holiday");
  await page.locator('input[name="startDate"]').fill("2027-09-01");
  await page.locator('input[name="endDate"]').fill("2027-08-01");
  await page.locator("button", { hasText: "创建方案" }).click();
  await expect.poll(() => page.locator(".field-error").allInnerTexts()).toEqual(["结束日期不能早于开始日期。"]);
  await page.locator('input[name="endDate"]').fill("2027-09-20");
  await page.locator('input[name="store"]').fill("南京西路店");
  await page.locator("button", { hasText: "创建方案" }).click();
  await page.waitForURL(/\/plans\/[\w-]{10,}$/);
  await expect.poll(() => page.locator("h1").innerText()).toBe("2027 中秋客户答谢晚会");
  await page.locator(".connection[data-status='connected']").waitFor();
  const headings = () => page.locator(".plan-section > h2").allInnerTexts();
  expect(await headings()).toEqual(["活动背景", "活动目的", "活动主题", "时间地点", "活动内容", "宣传推广", "执行时间表", "人员分工", "经费预算", "效果预估", "应急预案"]);

  await page.locator("button", { hasText: "添加章节" }).click();
  await page.locator("dialog.app-dialog[open] input").fill("雨天预案");
  await page.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await expect.poll(headings).toContain("雨天预案");
  await page.locator(".outline li", { hasText: "雨天预案" }).hover();
  await page.locator("button[aria-label='上移 雨天预案']").click();
  await expect.poll(headings).toEqual(["活动背景", "活动目的", "活动主题", "时间地点", "活动内容", "宣传推广", "执行时间表", "人员分工", "经费预算", "效果预估", "雨天预案", "应急预案"]);
  await page.locator(".outline li", { hasText: "活动内容" }).hover();
  await page.locator("button[aria-label='重命名 活动内容']").click();
  await page.locator("dialog.app-dialog[open] input").fill("活动形式");
  await page.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await expect.poll(headings).toContain("活动形式");
  await page.locator(".outline li", { hasText: "宣传推广" }).hover();
  await page.locator("button[aria-label='删除 宣传推广']").click();
  await page.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await expect.poll(headings).toEqual(["活动背景", "活动目的", "活动主题", "时间地点", "活动形式", "执行时间表", "人员分工", "经费预算", "效果预估", "雨天预案", "应急预案"]);

  // The structure is the shared document's: a reload shows it, rendered by the server first.
  await page.reload();
  await expect.poll(headings).toEqual(["活动背景", "活动目的", "活动主题", "时间地点", "活动形式", "执行时间表", "人员分工", "经费预算", "效果预估", "雨天预案", "应急预案"]);

  await page.locator("nav.main-nav a", { hasText: "计划" }).click();
  await expect.poll(() => page.locator(".plans-table tbody tr").count()).toBe(1);
  const row = await page.locator(".plans-table tbody tr").first().locator("td").allInnerTexts();
  expect(row.slice(0, 7)).toEqual(["2027 中秋客户答谢晚会", "节日促销", "2027-09-01 – 2027-09-20", "南京西路店", "李娜", "¥0.00", "草稿"]);
  await page.locator('input[name="q"]').fill("双十一");
  await page.locator("button", { hasText: "筛选" }).click();
  await expect.poll(() => page.locator(".empty-state").count()).toBe(1);
  noErrors();
  await context.close();
});
