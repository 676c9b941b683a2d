import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import * as Y from "yjs";
import { blankRow, readBlock, readDocument, readPlanDoc, sectionFragment, updateRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { findPlanById } from "../../db/queries/plans";
import { listVersionRows } from "../../db/queries/versions";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";
import { addToPlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

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
  await connected(page);
  return { context, page, check };
}

async function connected(page: Page): Promise<void> {
  await page.locator(".connection[data-status='connected']").waitFor();
  await page.locator(".plan-section .ProseMirror").first().waitFor();
}

const section = (page: Page, index: number) => page.locator(".plan-section").nth(index).locator(".ProseMirror");
const budgetLine = (page: Page, item: string) =>
  page.locator('table[data-block="budget"] tr[data-row-id]', { has: page.locator('td[data-field="item"]', { hasText: new RegExp(`^${item}$`) }) });
const spendTotal = (page: Page) => page.locator('[data-total="spend"]').innerText();

async function typeAtEnd(page: Page, index: number, text: string): Promise<void> {
  await section(page, index).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

async function setUnitPrice(page: Page, item: string, price: string): Promise<void> {
  await budgetLine(page, item).locator('td[data-field="unitPrice"]').click();
  await page.keyboard.type(price);
  await page.keyboard.press("Enter");
}

/** On the history page: names the current content and waits for the list to show it. */
async function nameVersion(page: Page, name: string): Promise<void> {
  await page.getByLabel("版本名称").fill(name);
  await page.locator(".version-name-form button[type='submit']").click();
  await page.locator(".version-name-form .notice", { hasText: `已保存版本「${name}」` }).waitFor();
  await page.locator(".version-item", { hasText: name }).waitFor();
}

const versionItem = (page: Page, name: string) => page.locator(".version-item", { has: page.locator(".version-name", { hasText: new RegExp(`^${name}$`) }) });

it("a planner names a version, edits on, opens it with the changed budget cell marked, restores it, and a connected viewer sees the restore live", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const viewer = await makeMember(db, { role: "viewer", name: "郑洁" });
  const line = { ...blankRow("budget", "2027-06-01"), category: "场地布置" };
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 端午节酒店促销", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [
          { ...line, item: "舞台搭建", quantityHundredths: 100, unit: "项", unitPriceFen: 800_000 },
          { ...line, item: "宣传海报", quantityHundredths: 10_000, unit: "张", unitPriceFen: 2_000 },
        ],
      },
    },
  );
  await addToPlan(db, planId, viewer.id, "view", planner.id);
  const P = await openPlanPage(planner, planId);
  const V = await openPlanPage(viewer, planId);

  // First draft: 活动背景 and the stage at ¥9,000; the viewer's live copy proves the server has both.
  await typeAtEnd(P.page, 0, "端午家庭套餐");
  await setUnitPrice(P.page, "舞台搭建", "9000");
  await expect.poll(() => section(V.page, 0).innerText()).toContain("端午家庭套餐");
  await expect.poll(() => spendTotal(V.page)).toBe("¥11,000.00");

  await P.page.locator("[data-history-link]").click();
  await P.page.locator(".history-page h1", { hasText: "历史版本" }).waitFor();
  // A name of only spaces is refused beside the field, in Chinese, and saves nothing.
  const before = (await listVersionRows(db, planId)).length;
  await P.page.getByLabel("版本名称").fill("   ");
  await P.page.locator(".version-name-form button[type='submit']").click();
  await P.page.locator("#version-name-error", { hasText: "请输入版本名称，1–60 个字。" }).waitFor();
  expect((await listVersionRows(db, planId)).length).toBe(before);
  await nameVersion(P.page, "发给总经理前");

  // More edits: 活动目的 and the stage at ¥12,000, then a second named version.
  await P.page.locator("a", { hasText: "← 返回方案" }).click();
  await connected(P.page);
  await typeAtEnd(P.page, 1, "提升端午客流");
  await setUnitPrice(P.page, "舞台搭建", "12000");
  await expect.poll(() => section(V.page, 1).innerText()).toContain("提升端午客流");
  await expect.poll(() => spendTotal(V.page)).toBe("¥14,000.00");
  await P.page.locator("[data-history-link]").click();
  await nameVersion(P.page, "舞台加价后");

  // Newest first, each with what it changed, in a planner's words.
  const names = await P.page.locator(".version-item .version-name").allInnerTexts();
  expect(names.indexOf("舞台加价后")).toBeLessThan(names.indexOf("发给总经理前"));
  const latest = versionItem(P.page, "舞台加价后");
  expect(await latest.locator(".version-kind").innerText()).toBe("命名版本");
  expect(await latest.locator(".version-people").innerText()).toContain("李娜");
  expect(await latest.locator(".version-summary").innerText()).toBe("改动 1 个章节：活动目的；预算 改 1 行；总支出 ¥11,000.00 → ¥14,000.00");
  // The plan's first version is compared with an empty plan.
  expect(await versionItem(P.page, "发给总经理前").locator(".version-summary").innerText()).toBe(
    "新增 11 个章节：活动背景、活动目的、活动主题等；预算 +2 行；总支出 ¥0.00 → ¥11,000.00",
  );

  // The named version, read-only: the stage's price is the changed cell, the totals compare with now.
  await versionItem(P.page, "发给总经理前").locator(".version-name").click();
  await P.page.locator(".version-page h1", { hasText: "发给总经理前" }).waitFor();
  const stage = P.page.locator('table[data-history-block="budget"] tr', { has: P.page.locator('td[data-field="item"]', { hasText: "舞台搭建" }) });
  expect(await stage.getAttribute("data-change")).toBe("changed");
  expect(await stage.locator(".row-marker").innerText()).toContain("有改动");
  const price = stage.locator('td[data-field="unitPrice"]');
  expect(await price.getAttribute("data-changed")).toBe("true");
  expect(await price.innerText()).toContain("¥9,000.00");
  expect(await stage.locator('td[data-field="item"]').getAttribute("data-changed")).toBeNull();
  const poster = P.page.locator('table[data-history-block="budget"] tr', { has: P.page.locator('td[data-field="item"]', { hasText: "宣传海报" }) });
  expect(await poster.getAttribute("data-change")).toBe("same");
  expect(await P.page.locator('.version-section[data-change="changed"] h3').allInnerTexts()).toEqual([expect.stringContaining("活动目的")]);
  const spendRow = P.page.locator('.version-totals tr[data-total="spend"]');
  expect(await spendRow.locator('[data-side="version"]').innerText()).toContain("¥11,000.00");
  expect(await spendRow.locator('[data-side="current"]').innerText()).toBe("¥14,000.00");

  // Restore, confirmed in the dialog: the plan is back to the named version, and the viewer sees it live.
  await P.page.locator(".version-restore button", { hasText: "恢复此版本" }).click();
  const dialog = P.page.locator("dialog.version-restore-dialog");
  expect(await dialog.innerText()).toContain("什么都不会丢失");
  await dialog.locator("[data-confirm-restore]").click();
  await P.page.locator(".history-restored .notice", { hasText: "已恢复到历史版本" }).waitFor();
  // Said once: the notice's parameters leave the address, so a reload does not repeat it.
  await expect.poll(() => new URL(P.page.url()).search).toBe("");
  await connected(P.page);
  await expect.poll(() => spendTotal(P.page)).toBe("¥11,000.00");
  expect(await budgetLine(P.page, "舞台搭建").locator('td[data-field="unitPrice"]').innerText()).toBe("¥9,000.00");
  expect(await section(P.page, 1).innerText()).not.toContain("提升端午客流");
  expect(await section(P.page, 0).innerText()).toContain("端午家庭套餐");
  await expect.poll(() => spendTotal(V.page)).toBe("¥11,000.00");
  await expect.poll(() => section(V.page, 1).innerText()).not.toContain("提升端午客流");
  expect(await section(V.page, 0).innerText()).toContain("端午家庭套餐");
  await expect.poll(async () => (await findPlanById(db, planId))?.spend_fen).toBe(1_100_000);

  // The restore is itself the newest version; nothing before it was lost.
  await P.page.locator("[data-history-link]").click();
  await P.page.locator(".version-item[data-kind='restored']").waitFor();
  const kinds = await P.page.locator(".version-item").evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")));
  expect(kinds[0]).toBe("restored");
  expect(await P.page.locator(".version-item .version-name").allInnerTexts()).toEqual(expect.arrayContaining(["发给总经理前", "舞台加价后"]));

  // The viewer reads the history but has no controls to name or restore.
  await V.page.locator("[data-history-link]").click();
  await V.page.locator(".version-item").first().waitFor();
  expect(await V.page.locator(".version-name-form").count()).toBe(0);
  await versionItem(V.page, "舞台加价后").locator(".version-name").click();
  await V.page.locator(".version-page h1", { hasText: "舞台加价后" }).waitFor();
  expect(await V.page.locator(".version-restore").count()).toBe(0);
  expect(await V.page.locator("button", { hasText: "恢复此版本" }).count()).toBe(0);

  // Posting a restore or a name directly is refused and changes nothing.
  const documentText = async () =>
    readDocument(await suite.server.collab.documentState(planId), (doc) => readPlanDoc(doc).sections.map((s) => sectionFragment(doc, s.id).toString()).join("|"));
  const textBefore = await documentText();
  const versions = await listVersionRows(db, planId);
  const named = versions.find((v) => v.name === "舞台加价后")!;
  const client = await as(viewer);
  expect((await client.post(`/plans/${planId}/history/${named.id}`, { intent: "restore" })).status).toBe(403);
  expect((await client.post(`/plans/${planId}/history`, { intent: "name", name: "偷偷保存" })).status).toBe(403);
  expect((await listVersionRows(db, planId)).map((v) => v.id)).toEqual(versions.map((v) => v.id));
  expect((await findPlanById(db, planId))?.spend_fen).toBe(1_100_000);
  expect(await documentText()).toBe(textBefore);

  for (const visitor of [P, V]) {
    visitor.check();
    await visitor.context.close();
  }
  // Two members' browsers through two rounds of edits, two history pages and a restore: long on a shared machine.
}, 180_000);

it("on a phone, restoring while the budget is in review restores the rest, keeps the budget and says so, and no page scrolls sideways", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "王芳" });
  for (const title of ["finance", "deputyGm", "gm"] as const) await makeMember(db, { role: "manager", title });
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
  const client = await as(planner);
  expect((await client.post(`/plans/${planId}/history`, { intent: "name", name: "初稿" })).status).toBe(200);
  const [draft] = await listVersionRows(db, planId);
  // After the named version: a section written and the gift boxes repriced, then the budget submitted.
  await suite.server.collab.applyServerChange(planId, planner.id, (doc) => {
    const [gift] = readBlock(doc, "budget").rows;
    updateRow(doc, "budget", gift!.id, { unitPriceFen: 26_800 });
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("贵宾专属答谢")]);
    const fragment = sectionFragment(doc, readPlanDoc(doc).sections[0]!.id);
    fragment.insert(0, [paragraph]);
  });
  expect((await client.post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);

  const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  // How far the page scrolls sideways, the app's top bar aside (it is the shell's, not this page's); wide tables scroll inside their own box.
  const overflow = () =>
    page.evaluate(() => {
      const topbar = document.querySelector<HTMLElement>("header.topbar");
      if (topbar) topbar.style.display = "none";
      const sideways = document.documentElement.scrollWidth - document.documentElement.clientWidth;
      if (topbar) topbar.style.display = "";
      return sideways;
    });
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/plans/${planId}/history`);
  await page.locator(".version-item").first().waitFor();
  expect(await page.locator(".version-item[data-kind='submitted']").count()).toBe(1);
  expect(await overflow()).toBe(0);

  await page.goto(`${suite.server.url}/plans/${planId}/history/${draft!.id}`);
  await page.locator(".version-page h1", { hasText: "初稿" }).waitFor();
  expect(await page.locator("[data-budget-locked]").innerText()).toContain("预算不会改动");
  // The budget table is wider than the phone: it scrolls inside its own box.
  const scroller = page.locator(".table-scroll:has(table[data-history-block='budget'])");
  expect(await scroller.evaluate((box) => box.scrollWidth > box.clientWidth)).toBe(true);
  expect(await overflow()).toBe(0);

  await page.locator(".version-restore button", { hasText: "恢复此版本" }).click();
  await page.locator("dialog.version-restore-dialog [data-confirm-restore]").click();
  await page.locator("[data-budget-kept]").waitFor();
  expect(await page.locator("[data-budget-kept]").innerText()).toBe("预算已提交审批或已批准，已恢复其余内容，预算未改动。");
  await connected(page);
  await expect.poll(() => section(page, 0).innerText()).not.toContain("贵宾专属答谢");
  expect(await spendTotal(page)).toBe("¥53,600.00");
  expect((await findPlanById(db, planId))?.spend_fen).toBe(5_360_000);
  check();
  await context.close();
});
