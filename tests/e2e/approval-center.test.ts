import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";

const suite = browserSuite();

async function signedIn(username: string, password = DEMO_PASSWORD): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, username, password);
  return { context, page, check };
}

const rowTitles = (page: Page) => page.locator(".approval-center-table tbody tr td:first-child a").allInnerTexts();

it("finance 赵敏 works through her tabs, searches, and hands an overdue step to a colleague who then finds it waiting", async () => {
  const colleague = await makeMember(suite.server.db, { role: "finance", title: "finance", name: "钱芳" });
  const { context, page, check } = await signedIn("finance");
  await page.locator("nav.main-nav a", { hasText: "审批" }).click();
  await page.locator("h1", { hasText: "审批中心" }).waitFor();
  await expect.poll(() => page.locator(".approval-center-tabs a").allInnerTexts()).toEqual(["待我审批（1）", "我已审批（4）", "我发起的（0）", "抄送我（0）"]);
  expect(await rowTitles(page)).toEqual(["2027 端午门店促销"]);
  expect(await page.locator(".due-badge.overdue").innerText()).toMatch(/^已超时 \d+ 小时$/);

  await page.locator(".approval-center-tabs a", { hasText: "我已审批" }).click();
  await page.waitForURL((url) => url.searchParams.get("tab") === "decided");
  await expect.poll(() => rowTitles(page).then((titles) => titles.length)).toBe(4);
  await page.locator(".approval-center-filters input[name='q']").fill("春节");
  await page.locator(".approval-center-filters button[type='submit']").click();
  await expect.poll(() => rowTitles(page)).toEqual(["2027 春节年货节"]);
  await page.locator(".approval-center-filters select[name='status']").selectOption("rejected");
  await page.locator(".approval-center-filters button[type='submit']").click();
  await page.locator(".empty-state", { hasText: "没有符合筛选条件的审批。" }).waitFor();

  // Each click is a navigation: wait for it to land, or the next click may hit the page it leaves.
  await page.locator(".approval-center-tabs a", { hasText: "待我审批" }).click();
  await page.waitForURL((url) => url.searchParams.get("tab") === "waiting");
  await page.locator(".approval-center-filters a", { hasText: "清除筛选" }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === null);
  await page.locator(".approval-center-table a", { hasText: "2027 端午门店促销" }).click();
  await page.locator(".approval-due .due-badge.overdue").waitFor();
  await page.locator(".approval-delegate select[name='toUserId']").selectOption(String(colleague.id));
  await page.locator(".approval-delegate button[type='submit']").click();
  // Without a reason the browser refuses before anything is sent.
  expect(await page.locator(".approval-delegate textarea[name='reason']").evaluate((el: HTMLTextAreaElement) => el.validity.valueMissing)).toBe(true);
  await page.locator(".approval-delegate textarea[name='reason']").fill("下周休年假，请钱芳代为审核");
  await page.locator(".approval-delegate button[type='submit']").click();
  await page.locator(".approval-delegations li", { hasText: "赵敏将审核转交给钱芳，原因：下周休年假，请钱芳代为审核" }).waitFor();
  await expect.poll(() => page.locator(".approval-delegate").count()).toBe(0);
  await expect.poll(() => page.locator(".approval-decide button[value='approve']").count()).toBe(0);
  await expect.poll(() => page.locator("[data-approvals-waiting]").count()).toBe(0);
  check();
  await context.close();

  const other = await signedIn(colleague.username, colleague.password);
  await other.page.goto(`${suite.server.url}/approvals`);
  await expect.poll(() => rowTitles(other.page)).toEqual(["2027 端午门店促销"]);
  expect(await other.page.locator(".approval-center-table .center-step").innerText()).toBe("审核 · 已转交给钱芳");
  await other.page.locator(".approval-center-table a", { hasText: "2027 端午门店促销" }).click();
  await other.page.locator(".approval-decide button[value='approve']").click();
  await other.page.locator(".approval-step[data-step='0'][data-state='approve']").waitFor();
  other.check();
  await other.context.close();
});

it("the chairman sees the plan at his step and, for information, the plans he reads", async () => {
  const { context, page, check } = await signedIn("chairman");
  await page.goto(`${suite.server.url}/approvals`);
  expect(await rowTitles(page)).toEqual(["2027 品牌周年庆典"]);
  await page.locator(".approval-center-tabs a", { hasText: "抄送我" }).click();
  await expect.poll(async () => (await rowTitles(page)).sort()).toEqual(["2027 春节年货节", "2027 端午门店促销"].sort());
  check();
  await context.close();
});
