import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";

/**
 * The shell and the plan page at a phone, a tablet and a desktop width: the areas fold into a
 * 菜单 sheet below desktop width (Esc, a tap outside and a navigation close it), the plan's
 * actions fold into 更多, and a phone reads the budget as cards it cannot edit.
 */

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 820, height: 1180 };
const DESKTOP = { width: 1440, height: 900 };

/** A plan with one budget line, submitted: the finance-titled manager has one step waiting. */
async function submittedPlan(): Promise<{ planner: MadeMember; approver: MadeMember; planId: string }> {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "王芳" });
  const approver = await makeMember(db, { role: "manager", title: "finance", name: "赵敏" });
  for (const title of ["deputyGm", "gm"] as const) await makeMember(db, { role: "manager", title });
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 中秋银行 VIP 答谢会（外滩旗舰网点，含线上直播与伴手礼定制）", campaignType: "bankVip", startDate: "2027-09-01", endDate: "2027-09-20", store: "外滩支行" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [{ ...blankRow("budget", "2027-09-01"), category: "伴手礼", item: "定制月饼礼盒", quantityHundredths: 20_000, unit: "盒", unitPriceFen: 18_800 }],
      },
    },
  );
  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  return { planner, approver, planId };
}

async function openAs(member: MadeMember, viewport: { width: number; height: number }, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await suite.browser.newContext({ viewport, hasTouch: viewport.width < 1280, ...options });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  return { context, page, check };
}

const sideways = (page: Page) => page.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollWidth - window.innerWidth);

/** Text in the given elements drawn on more than one line. */
const wrappedTexts = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size > 1;
      })
      .map((element) => element.textContent ?? ""),
  );

it("on a phone the areas open from 菜单 with the approvals count on it, and Esc, a tap outside or a navigation close it", async () => {
  const { approver } = await submittedPlan();
  const { context, page, check } = await openAs(approver, PHONE);
  const toggle = page.locator("header.topbar .menu-toggle");
  const nav = page.locator("nav.main-nav");
  expect(await nav.isVisible()).toBe(false);
  expect(await page.locator("header.topbar .bell-button").isVisible()).toBe(true);
  expect(await toggle.locator(".nav-count").innerText()).toBe("1");
  expect(await toggle.getAttribute("aria-label")).toBe("菜单，1 项待你审批");
  expect(await toggle.getAttribute("aria-expanded")).toBe("false");

  await toggle.click();
  await nav.waitFor();
  expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  expect(await nav.locator("[data-approvals-waiting]").innerText()).toBe("1");
  expect(await page.locator(".app-menu form[action='/logout'] button").isVisible()).toBe(true);
  await page.keyboard.press("Escape");
  await nav.waitFor({ state: "hidden" });
  await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("false");

  await toggle.click();
  await nav.waitFor();
  await page.mouse.click(30, 700);
  await nav.waitFor({ state: "hidden" });

  await toggle.click();
  await nav.locator("a[href='/approvals']").click();
  await page.waitForURL(/\/approvals$/);
  await nav.waitFor({ state: "hidden" });
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  check();
  await context.close();
});

it("the menu opens on a phone before any script runs", async () => {
  const planner = await makeMember(suite.server.db, { role: "planner" });
  const { context, page } = await openAs(planner, PHONE, { javaScriptEnabled: false });
  await page.locator("header.topbar .menu-toggle").click();
  await page.locator("nav.main-nav a[href='/plans']").waitFor();
  await context.close();
});

it("a phone folds the plan's outline and actions and shows the budget as read-only cards; a tablet edits the budget", async () => {
  const { planner, planId } = await submittedPlan();
  // Withdrawn, so the planner could edit the budget were the screen wide enough.
  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "withdraw" })).status).toBe(200);
  const { context, page, check } = await openAs(planner, PHONE);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-synced='true']").waitFor();

  const outline = page.locator(".outline-fold");
  expect(await outline.evaluate((details: HTMLDetailsElement) => details.open)).toBe(false);
  await outline.locator("summary").click();
  await outline.locator("a").first().click();
  await expect.poll(() => outline.evaluate((details: HTMLDetailsElement) => details.open)).toBe(false);

  const budget = page.locator(".budget-block");
  await budget.locator(".budget-card", { hasText: "定制月饼礼盒" }).waitFor();
  expect(await budget.locator(".budget-card-amount").innerText()).toBe("¥37,600.00");
  expect(await budget.locator("input, select, [contenteditable='true']").count()).toBe(0);
  expect(await budget.locator("[data-budget-phone-readonly]").innerText()).toContain("在平板或电脑上编辑预算");

  const more = page.locator(".plan-more");
  expect(await more.isVisible()).toBe(false);
  await page.locator(".plan-more-toggle").click();
  await more.waitFor();
  expect(await wrappedTexts(page, ".plan-more .button")).toEqual([]);
  // The long title wraps as words: no line of it holds fewer than three characters.
  expect(await page.locator(".plan-header h1").evaluate((title) => {
    const range = document.createRange();
    range.selectNodeContents(title);
    const lines = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
    return lines > 1 && lines * 3 <= (title.textContent ?? "").length;
  })).toBe(true);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  await more.locator("[data-history-link]").click();
  await page.waitForURL(/\/history$/);

  await page.setViewportSize(TABLET);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-synced='true']").waitFor();
  await page.locator("table[data-block='budget']").waitFor();
  expect(await page.locator(".budget-block").getAttribute("data-editable")).toBe("true");
  expect(await page.locator(".outline-fold").evaluate((details: HTMLDetailsElement) => details.open)).toBe(true);
  expect(await sideways(page)).toBeLessThanOrEqual(0);

  // An action that asks first still works from inside 更多: the question opens over the sheet.
  await page.setViewportSize(PHONE);
  await page.locator(".plan-more-toggle").click();
  await more.locator("button", { hasText: "归档方案" }).click();
  await page.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await page.locator(".plan-header .status[data-plan-status='archived']").waitFor();
  check();
  await context.close();
});

it("a desktop shows the areas and every plan action inline, each label on one line", async () => {
  const { planner, planId } = await submittedPlan();
  const { context, page, check } = await openAs(planner, DESKTOP);
  expect(await page.locator("header.topbar .menu-toggle").isVisible()).toBe(false);
  expect(await page.locator("nav.main-nav a").evaluateAll((links) => links.every((link) => (link as HTMLElement).offsetParent !== null))).toBe(true);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-synced='true']").waitFor();
  expect(await page.locator(".plan-more-toggle").isVisible()).toBe(false);
  expect(await page.locator("[data-history-link]").isVisible()).toBe(true);
  expect(await wrappedTexts(page, ".plan-header .button, .plan-header .status, header.topbar nav a")).toEqual([]);
  check();
  await context.close();
});
