import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { browserSuite, logIn, logOut, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";

const suite = browserSuite({ seedDemo: false });

interface Visitor {
  context: BrowserContext;
  page: Page;
  check: () => void;
}

async function openPlanPage(member: MadeMember, planId: string): Promise<Visitor> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  await page.locator(".plan-section .ProseMirror").first().waitFor();
  return { context, page, check };
}

const badge = (page: Page) => page.locator(".connection");
const section = (page: Page, index: number) => page.locator(".plan-section").nth(index).locator(".ProseMirror");
const unitPrice = (page: Page) => page.locator('table[data-block="budget"] tr[data-row-id] td[data-field="unitPrice"]').first();

/** What this browser keeps of the site: offline copies, cached pages, service workers. */
function storedLocally(page: Page): Promise<{ databases: string[]; caches: string[]; workers: number }> {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((db) => db.name ?? ""),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

it("offline edits survive a reload without a network, reach the server on reconnect, and signing out clears the copies", async () => {
  const db = suite.server.db;
  const a = await makeMember(db, { role: "planner", name: "李娜" });
  const b = await makeMember(db, { role: "planner", name: "陈晨" });
  const stage = { ...blankRow("budget", "2027-06-01"), category: "活动物料", item: "舞台搭建", quantityHundredths: 100, unit: "项", unitPriceFen: 800_000 };
  const planId = await createPlan(
    db,
    a.id,
    { title: "2027 端午节酒店促销", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [stage] } },
  );
  await addToPlan(db, planId, b.id, "edit", a.id);

  const A = await openPlanPage(a, planId);
  // The service worker has kept this page and the assets it runs on.
  await A.page.locator(".connection[data-offline-ready='true']").waitFor();

  await A.context.setOffline(true);
  await expect.poll(() => badge(A.page).getAttribute("data-status")).toBe("offline");
  await section(A.page, 0).click();
  await A.page.keyboard.press("Control+End");
  await A.page.keyboard.type("离线时写的活动背景");
  await unitPrice(A.page).click();
  await A.page.keyboard.type("9000");
  await A.page.keyboard.press("Enter");
  await expect.poll(() => unitPrice(A.page).innerText()).toBe("¥9,000.00");
  // One change per part of the plan: the typed sentence and the budget cell.
  await expect.poll(() => badge(A.page).innerText()).toBe("离线 · 2 处修改待同步");

  // A reload with no network (the service worker has none either): the worker serves the page, IndexedDB the edits.
  const [worker] = A.context.serviceWorkers();
  expect(await worker?.evaluate(() => fetch("/favicon.svg?network").then(() => "online", () => "offline"))).toBe("offline");
  const reloaded = await A.page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect.poll(() => badge(A.page).getAttribute("data-status")).toBe("offline");
  await expect.poll(() => section(A.page, 0).innerText()).toContain("离线时写的活动背景");
  expect(await unitPrice(A.page).innerText()).toBe("¥9,000.00");
  await expect.poll(() => badge(A.page).innerText()).toBe("离线 · 2 处修改待同步");

  // Nothing reached the server meanwhile.
  const B = await openPlanPage(b, planId);
  expect(await section(B.page, 0).innerText()).not.toContain("离线时写的活动背景");
  expect(await unitPrice(B.page).innerText()).toBe("¥8,000.00");

  await A.context.setOffline(false);
  await expect.poll(() => badge(A.page).getAttribute("data-synced")).toBe("true");
  await expect.poll(() => badge(A.page).getAttribute("data-pending")).toBe("0");
  expect(await badge(A.page).innerText()).toBe("已连接");
  await expect.poll(() => section(B.page, 0).innerText()).toContain("离线时写的活动背景");
  await expect.poll(() => unitPrice(B.page).innerText()).toBe("¥9,000.00");
  expect(await section(B.page, 0).innerText()).toBe(await section(A.page, 0).innerText());
  await expect.poll(async () => (await findPlanById(db, planId))?.spend_fen).toBe(900_000);

  // Signing out leaves nothing of the member's plans in this browser.
  expect((await storedLocally(A.page)).databases).toContain(`campaigndesk/plan/${a.id}/${planId}`);
  await logOut(A.page);
  await expect.poll(() => storedLocally(A.page)).toEqual({ databases: [], caches: [], workers: 0 });

  for (const visitor of [A, B]) {
    visitor.check();
    await visitor.context.close();
  }
  // Three sign-ins, two offline round trips and a reload on a shared two-core machine.
}, 180_000);

it("a member who signs in on a browser another member left without signing out never sees their copies", async () => {
  const db = suite.server.db;
  const a = await makeMember(db, { role: "planner", name: "王芳" });
  const b = await makeMember(db, { role: "planner", name: "赵磊" });
  const planId = await makePlan(db, a.id, "2027 中秋会员营销");
  await addToPlan(db, planId, b.id, "edit", a.id);

  const A = await openPlanPage(a, planId);
  await A.page.locator(".connection[data-offline-ready='true']").waitFor();
  expect(await storedLocally(A.page)).toMatchObject({ databases: [`campaigndesk/plan/${a.id}/${planId}`], caches: expect.arrayContaining([`campaigndesk-pages-${a.id}`]) as unknown });

  // A's session ends without a sign-out (it expired); B signs in on the same browser.
  await A.context.clearCookies();
  await logIn(A.page, suite.server.url, b.username, b.password);
  await expect.poll(async () => (await storedLocally(A.page)).databases).toEqual([]);
  await expect.poll(async () => (await storedLocally(A.page)).caches).not.toContain(`campaigndesk-pages-${a.id}`);

  A.check();
  await A.context.close();
});
