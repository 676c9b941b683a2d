import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

const bell = (page: Page) => page.locator("header.topbar .bell-button");

async function signedInPage(member: MadeMember): Promise<{ page: Page; noErrors: () => void; close: () => Promise<void> }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  return { page, noErrors, close: () => context.close() };
}

it("the bell counts live in another member's browser when an approval step becomes theirs, and opening the notification lands on the approval", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const finance = await makeMember(db, { role: "finance", title: "finance", name: "赵敏" });
  const deputy = await makeMember(db, { role: "manager", title: "deputyGm", name: "孙强" });
  await makeMember(db, { role: "manager", title: "gm", name: "周杰" });
  // ¥10,000: 财务部 → 副总经理 → 总经理.
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 中秋客户答谢晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [{ ...blankRow("budget", "2027-09-01"), category: "活动物料", item: "舞台搭建", unitPriceFen: 1_000_000 }] } },
  );

  const financeView = await signedInPage(finance);
  const deputyView = await signedInPage(deputy);
  await financeView.page.goto(`${suite.server.url}/plans`);
  await deputyView.page.goto(`${suite.server.url}/plans`);
  expect(await bell(financeView.page).getAttribute("data-notification-count")).toBe("0");
  expect(await bell(financeView.page).locator(".visually-hidden").textContent()).toBe("通知（没有未读）");
  let navigations = 0;
  financeView.page.on("framenavigated", (frame) => {
    if (frame === financeView.page.mainFrame()) navigations++;
  });

  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  // No reload: the count arrives over the member's stream.
  await bell(financeView.page).and(financeView.page.locator('[data-notification-count="1"]')).waitFor();
  expect(await bell(financeView.page).locator(".visually-hidden").textContent()).toBe("通知（1 条未读）");
  expect(navigations).toBe(0);
  // The deputy's step is not theirs yet.
  expect(await bell(deputyView.page).getAttribute("data-notification-count")).toBe("0");

  const revision = await db.selectFrom("budget_revisions").select("id").where("plan_id", "=", planId).executeTakeFirstOrThrow();
  expect((await (await as(finance)).post(`/approvals/${revision.id}`, { stepIndex: "0", decision: "approve", comment: "" })).status).toBe(302);
  await bell(deputyView.page).and(deputyView.page.locator('[data-notification-count="1"]')).waitFor();

  // The dropdown lists it; opening it marks it read and lands on the approval.
  await bell(deputyView.page).click();
  const item = deputyView.page.locator(".notification-panel .notification-item", { hasText: "2027 中秋客户答谢晚会" });
  await item.waitFor();
  expect(await item.innerText()).toContain("轮到你审批");
  expect(await item.innerText()).toContain("等你核准");
  await item.locator("button.notification-link").click();
  await deputyView.page.waitForURL(`${suite.server.url}/approvals/${revision.id}`);
  await bell(deputyView.page).and(deputyView.page.locator('[data-notification-count="0"]')).waitFor();

  // The list page shows it read under 全部 and nothing under 未读.
  await deputyView.page.goto(`${suite.server.url}/notifications?tab=unread`);
  await deputyView.page.getByText("没有未读通知。").waitFor();
  await deputyView.page.goto(`${suite.server.url}/notifications`);
  expect(await deputyView.page.locator(".notification-list .notification-item").count()).toBe(1);
  expect(await deputyView.page.locator(".notification-list .notification-item.unread").count()).toBe(0);

  // 全部标为已读 on the finance member's list clears their bell.
  await financeView.page.goto(`${suite.server.url}/notifications`);
  await financeView.page.getByRole("button", { name: "全部标为已读" }).click();
  await financeView.page.getByText("已将 1 条通知标为已读。").waitFor();
  await bell(financeView.page).and(financeView.page.locator('[data-notification-count="0"]')).waitFor();

  financeView.noErrors();
  deputyView.noErrors();
  await financeView.close();
  await deputyView.close();
});
