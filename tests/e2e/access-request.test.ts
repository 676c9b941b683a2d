// 申请访问 (issue 18): the viewer 郑洁 follows a link to a plan she may not read, asks for access, the owner's bell shows it, and the owner adds her from the member panel.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { findUserByUsername } from "../../db/queries/users";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";

const suite = browserSuite({ seedDemo: true });
const TITLE = "2027 内部：年终供应商答谢会";
const bell = (page: Page) => page.locator("header.topbar .bell-button");

it("a viewer on a link to a plan she may not read asks for access, and the owner adds her from the notification", async () => {
  const owner = await findUserByUsername(suite.server.db, "planner");
  const planId = await createPlan(suite.server.db, owner!.id, { title: TITLE, campaignType: "holiday", startDate: "2027-12-20", endDate: "2027-12-28", store: "南京西路店" }, BLANK_PLAN);

  const viewerContext = await suite.browser.newContext({ viewport: { width: 390, height: 844 } });
  const viewer = await viewerContext.newPage();
  // The link's 404 (and the same answer when the page revalidates) is the point of the test; anything else fails it.
  const viewerProblems: string[] = [];
  viewer.on("pageerror", (error) => viewerProblems.push(`pageerror: ${error.message}`));
  viewer.on("console", (message) => {
    if (message.type() === "error" && !/status of 404/.test(message.text())) viewerProblems.push(`console: ${message.text()}`);
  });
  await logIn(viewer, suite.server.url, "viewer", DEMO_PASSWORD);
  const response = await viewer.goto(`${suite.server.url}/plans/${planId}`);
  expect(response?.status()).toBe(404);
  const panel = viewer.locator(".no-plan-access");
  await panel.waitFor();
  expect(await panel.locator("h1").textContent()).toBe("你没有此方案的访问权限");
  expect(await viewer.content()).not.toContain(TITLE);
  await panel.getByRole("button", { name: "申请访问" }).click();
  await panel.getByRole("status").filter({ hasText: "已通知方案负责人" }).waitFor();

  const ownerContext = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const ownerPage = await ownerContext.newPage();
  const ownerErrors = watchPageErrors(ownerPage);
  await logIn(ownerPage, suite.server.url, "planner", DEMO_PASSWORD);
  await bell(ownerPage).click();
  const item = ownerPage.locator(".notification-panel .notification-item[data-kind='accessRequested']", { hasText: TITLE });
  await item.waitFor();
  expect(await item.textContent()).toContain("郑洁 申请访问「" + TITLE + "」");
  await item.locator("button.notification-link").click();
  await ownerPage.waitForURL((url) => url.pathname === `/plans/${planId}` && url.hash === "#members");
  const members = ownerPage.locator("#members");
  await members.waitFor();
  const asker = await members.locator("select[name='userId'] option", { hasText: "郑洁" }).getAttribute("value");
  expect(asker).not.toBeNull();
  await members.locator("select[name='userId']").selectOption(asker);
  await members.locator("select[name='access']").selectOption("view");
  await members.getByRole("button", { name: "添加成员" }).click();
  await members.locator(".member-list li", { hasText: "郑洁" }).waitFor();

  await viewer.reload();
  await viewer.locator("h1", { hasText: TITLE }).first().waitFor();
  expect(viewerProblems).toEqual([]);
  ownerErrors();
  await viewerContext.close();
  await ownerContext.close();
});
