import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";
import { makePlan } from "../support/plans";

/**
 * The app's own dialogs in place of window.prompt / window.confirm: a bottom sheet on a phone,
 * named by its title, Esc and the cancel button change nothing, and the browser's native dialog
 * never opens.
 */

const suite = browserSuite({ seedDemo: false });

/** Fails the test if the page ever opens a native alert/confirm/prompt (it would block, unanswered). */
function refuseNativeDialogs(page: Page): () => void {
  const opened: string[] = [];
  page.on("dialog", (dialog) => {
    opened.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return () => expect(opened).toEqual([]);
}

const openDialog = (page: Page) => page.locator("dialog.app-dialog[open]");

it("on a phone, sections are added, renamed and removed through the app's own dialogs", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner" });
  const planId = await makePlan(db, planner.id, "2027 国庆门店促销");
  const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  const noNative = refuseNativeDialogs(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  const headings = () => page.locator(".plan-section > h2").allInnerTexts();
  const outline = page.locator(".outline-fold");
  const openOutline = async () => {
    if ((await outline.getAttribute("open")) === null) await outline.locator("summary").tap();
  };

  // Add: a sheet across the bottom of the screen, named by its title, the field labelled.
  await openOutline();
  await page.locator("button", { hasText: "添加章节" }).tap();
  const sheet = openDialog(page);
  await sheet.waitFor();
  const box = await sheet.boundingBox();
  expect(box && { x: Math.round(box.x), width: Math.round(box.width), bottom: Math.round(box.y + box.height) }).toEqual({ x: 0, width: 390, bottom: 844 });
  const titleId = await sheet.getAttribute("aria-labelledby");
  expect(await page.locator(`[id="${titleId}"]`).innerText()).toBe(await page.getByRole("dialog").locator("h2").innerText());
  const field = page.getByRole("dialog").getByRole("textbox");
  expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
  // An empty name is refused in place; nothing is added.
  await field.fill("   ");
  await sheet.locator("[data-dialog-confirm]").tap();
  await sheet.locator(".form-error").waitFor();
  await field.fill("雨天预案");
  await sheet.locator("[data-dialog-confirm]").tap();
  await openDialog(page).waitFor({ state: "detached" });
  await expect.poll(headings).toContain("雨天预案");

  // Rename, then Esc: the dialog closes and the heading stays.
  await openOutline();
  await page.locator("button[aria-label='重命名 雨天预案']").tap();
  await openDialog(page).waitFor();
  expect(await page.getByRole("dialog").getByRole("textbox").inputValue()).toBe("雨天预案");
  await page.keyboard.press("Escape");
  await openDialog(page).waitFor({ state: "detached" });
  expect(await headings()).toContain("雨天预案");

  // Remove: cancel keeps it, confirm removes it.
  await openOutline();
  await page.locator("button[aria-label='删除 雨天预案']").tap();
  await openDialog(page).waitFor();
  expect(await openDialog(page).innerText()).toContain("雨天预案");
  await openDialog(page).locator("[data-dialog-cancel]").tap();
  await openDialog(page).waitFor({ state: "detached" });
  expect(await headings()).toContain("雨天预案");
  await openOutline();
  await page.locator("button[aria-label='删除 雨天预案']").tap();
  await openDialog(page).locator("[data-dialog-confirm]").tap();
  await expect.poll(headings).not.toContain("雨天预案");

  noNative();
  check();
  await context.close();
});

it("a confirmed submit button posts its own name and value; cancelling posts nothing", async () => {
  const db = suite.server.db;
  const admin = await makeMember(db, { role: "admin" });
  const member = await makeMember(db, { role: "planner", name: "孙丽" });
  const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  const noNative = refuseNativeDialogs(page);
  await logIn(page, suite.server.url, admin.username, admin.password);
  await page.goto(`${suite.server.url}/admin/members/${member.id}`);

  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  await page.locator("button", { hasText: "停用" }).click();
  const dialog = openDialog(page);
  await dialog.waitFor();
  expect(await dialog.innerText()).toContain("孙丽");
  // A centred card on a desktop, not a sheet.
  const box = await dialog.boundingBox();
  expect(box && box.width < 600).toBe(true);
  await dialog.locator("[data-dialog-cancel]").click();
  await dialog.waitFor({ state: "detached" });
  expect(posts).toEqual([]);
  expect(await db.selectFrom("users").select("active").where("id", "=", member.id).executeTakeFirstOrThrow()).toEqual({ active: 1 });

  await page.locator("button", { hasText: "停用" }).click();
  await openDialog(page).locator("[data-dialog-confirm]").click();
  await expect.poll(() => page.locator(".notice").innerText()).toBe("已停用 孙丽，其登录会话已全部结束。");
  expect(await db.selectFrom("users").select("active").where("id", "=", member.id).executeTakeFirstOrThrow()).toEqual({ active: 0 });

  noNative();
  check();
  await context.close();
});

it("archiving from the phone's 更多 menu asks first; only confirming archives", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner" });
  const planId = await makePlan(db, planner.id, "2027 元宵灯会");
  const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  const noNative = refuseNativeDialogs(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  const status = async () => (await db.selectFrom("plans").select("status").where("id", "=", planId).executeTakeFirstOrThrow()).status;

  await page.locator(".plan-more-toggle").tap();
  await page.locator("#plan-more button", { hasText: "归档方案" }).tap();
  await openDialog(page).waitFor();
  await openDialog(page).locator("[data-dialog-cancel]").tap();
  await openDialog(page).waitFor({ state: "detached" });
  expect(await status()).toBe("draft");

  await page.locator(".plan-more-toggle").tap();
  await page.locator("#plan-more button", { hasText: "归档方案" }).tap();
  await openDialog(page).locator("[data-dialog-confirm]").tap();
  await expect.poll(status).toBe("archived");

  noNative();
  check();
  await context.close();
});
