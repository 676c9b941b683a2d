import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

async function openPlanPage(member: MadeMember, planId: string): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  await page.locator(".plan-section .ProseMirror").first().waitFor();
  return { context, page, check };
}

const section = (page: Page, index: number) => page.locator(".plan-section").nth(index).locator(".ProseMirror");

async function typeAtEnd(page: Page, index: number, text: string): Promise<void> {
  await section(page, index).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

it("two planners co-edit a section live, a viewer reads along, and offline edits merge", async () => {
  const db = suite.server.db;
  const a = await makeMember(db, { role: "planner", name: "李娜" });
  const b = await makeMember(db, { role: "planner", name: "陈晨" });
  const v = await makeMember(db, { role: "viewer", name: "郑洁" });
  const planId = await makePlan(db, a.id, "2027 端午节酒店促销");
  await addToPlan(db, planId, b.id, "edit", a.id);
  await addToPlan(db, planId, v.id, "view", a.id);

  const A = await openPlanPage(a, planId);
  const B = await openPlanPage(b, planId);
  const V = await openPlanPage(v, planId);

  await typeAtEnd(A.page, 0, "端午家庭套餐");
  await expect.poll(() => section(B.page, 0).innerText()).toContain("端午家庭套餐");
  await typeAtEnd(B.page, 0, "，粽子礼盒");
  await expect.poll(() => section(A.page, 0).innerText()).toContain("端午家庭套餐，粽子礼盒");
  // Each sees the other's caret, labelled with the name from their session.
  await expect.poll(() => A.page.locator(".collaboration-carets__label").allInnerTexts()).toContain("陈晨");
  await expect.poll(() => B.page.locator(".collaboration-carets__label").allInnerTexts()).toContain("李娜");

  // The viewer sees the text live but has nothing to type into.
  await expect.poll(() => section(V.page, 0).innerText()).toContain("端午家庭套餐，粽子礼盒");
  expect(await section(V.page, 0).getAttribute("contenteditable")).toBe("false");
  expect(await V.page.locator(".section-editor__toolbar").count()).toBe(0);
  await section(V.page, 0).click();
  await V.page.keyboard.type("不该出现");
  await expect.poll(() => section(A.page, 0).innerText()).not.toContain("不该出现");
  expect(await section(V.page, 0).innerText()).not.toContain("不该出现");

  // A goes offline and keeps writing; B writes meanwhile; back online, both have both.
  await A.context.setOffline(true);
  await expect.poll(() => A.page.locator(".connection").getAttribute("data-status")).toBe("offline");
  await typeAtEnd(A.page, 1, "离线时写的目的");
  await typeAtEnd(B.page, 2, "在线时写的主题");
  // B's later edit reaching the viewer shows the room is live; A's offline edit still reached no one.
  await expect.poll(() => section(V.page, 2).innerText()).toContain("在线时写的主题");
  expect(await section(A.page, 1).innerText()).toContain("离线时写的目的");
  expect(await section(B.page, 1).innerText()).not.toContain("离线时写的目的");
  expect(await section(V.page, 1).innerText()).not.toContain("离线时写的目的");
  await A.context.setOffline(false);
  await expect.poll(() => A.page.locator(".connection").getAttribute("data-status")).toBe("connected");
  await expect.poll(() => section(B.page, 1).innerText()).toContain("离线时写的目的");
  await expect.poll(() => section(A.page, 2).innerText()).toContain("在线时写的主题");
  await expect.poll(() => section(V.page, 1).innerText()).toContain("离线时写的目的");

  // The first paint of a fresh visit is the stored text, rendered on the server.
  const html = await (await A.page.request.get(`${suite.server.url}/plans/${planId}`)).text();
  expect(html).toContain("端午家庭套餐，粽子礼盒");
  expect(html).toContain("离线时写的目的");

  for (const visitor of [A, B, V]) {
    visitor.check();
    await visitor.context.close();
  }
});
