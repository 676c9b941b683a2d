import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

async function openPlanPage(member: MadeMember, planId: string): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-synced='true']").waitFor();
  await page.locator(".plan-section .ProseMirror").first().waitFor();
  return { context, page, check };
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.locator(".connection[data-synced='true']").waitFor();
  await page.locator('table[data-block="budget"] tr[data-row-id]').first().waitFor();
}

const section = (page: Page, index: number) => page.locator(".plan-section").nth(index).locator(".ProseMirror");
/** A section's text without collaborators' caret labels. */
const sectionText = (page: Page, index: number) =>
  section(page, index).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return copy.textContent ?? "";
  });
const sectionButton = (page: Page, index: number, name: string) => page.locator(".plan-section").nth(index).locator(`.section-editor__toolbar button[aria-label="${name}"]`);
const grid = (page: Page) => page.locator('table[data-block="budget"]');
const budgetCell = (page: Page, item: string, field: string) =>
  grid(page).locator("tr[data-row-id]", { has: page.locator('td[data-field="item"]', { hasText: new RegExp(`^${item}$`) }) }).locator(`td[data-field="${field}"]`);
const blockButton = (page: Page, block: string, action: "undo" | "redo") => page.locator(`${block} .undo-bar button[data-undo="${action}"]`);
const quantities = (page: Page) => Promise.all(["条幅", "气球"].map((item) => budgetCell(page, item, "quantity").innerText()));

async function typeAtEnd(page: Page, index: number, text: string): Promise<void> {
  await section(page, index).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

async function setQuantity(page: Page, item: string, quantity: string): Promise<void> {
  await budgetCell(page, item, "quantity").click();
  await page.keyboard.type(quantity);
  await page.keyboard.press("Enter");
}

function budgetPlan(db: typeof suite.server.db, ownerId: number, title: string) {
  const line = { ...blankRow("budget", "2027-06-01"), category: "宣传物料", unit: "个", unitPriceFen: 6_000 };
  return createPlan(
    db,
    ownerId,
    { title, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [
          { ...line, item: "条幅" },
          { ...line, item: "气球" },
        ],
        timeline: [{ ...blankRow("timeline", "2027-06-01"), task: "确定场地" }],
      },
    },
  );
}

it("Ctrl+Z and the 撤销 buttons undo only the member's own text and budget cells, on both screens and after reload", async () => {
  const db = suite.server.db;
  const a = await makeMember(db, { role: "planner", name: "李娜" });
  const b = await makeMember(db, { role: "planner", name: "陈晨" });
  const v = await makeMember(db, { role: "viewer", name: "郑洁" });
  const planId = await budgetPlan(db, a.id, "2027 端午节酒店促销");
  await addToPlan(db, planId, b.id, "edit", a.id);
  await addToPlan(db, planId, v.id, "view", a.id);
  const A = await openPlanPage(a, planId);
  const B = await openPlanPage(b, planId);

  // A viewer has nothing to undo: no buttons anywhere.
  const V = await openPlanPage(v, planId);
  await V.page.locator('table[data-block="budget"] tr[data-row-id]').first().waitFor();
  expect(await V.page.locator(".undo-bar, .section-editor__toolbar").count()).toBe(0);
  V.check();
  await V.context.close();

  // Nothing of one's own yet: both buttons disabled, each with its shortcut in the tooltip.
  const undoBudgetA = blockButton(A.page, ".budget-block", "undo");
  expect(await undoBudgetA.isDisabled()).toBe(true);
  expect(await undoBudgetA.getAttribute("title")).toBe("撤销（Ctrl+Z）");
  expect(await blockButton(A.page, ".budget-block", "redo").getAttribute("title")).toBe("重做（Ctrl+Shift+Z）");
  expect(await sectionButton(A.page, 0, "撤销").getAttribute("title")).toBe("撤销（Ctrl+Z）");

  // A writes a sentence and changes a budget cell.
  await typeAtEnd(A.page, 0, "端午家庭套餐");
  await setQuantity(A.page, "条幅", "50");
  await expect.poll(() => sectionText(B.page, 0)).toContain("端午家庭套餐");
  await expect.poll(() => quantities(B.page)).toEqual(["50", "1"]);
  expect(await undoBudgetA.isEnabled()).toBe(true);
  // A collaborator's change is not B's to undo.
  expect(await blockButton(B.page, ".budget-block", "undo").isDisabled()).toBe(true);

  // Inside an open cell editor, Ctrl+Z is the input's own: the grid keeps A's 50.
  await budgetCell(A.page, "条幅", "note").click();
  await A.page.keyboard.type("tmp");
  await A.page.keyboard.press("Control+z");
  await A.page.keyboard.press("Escape");
  expect(await quantities(A.page)).toEqual(["50", "1"]);

  // B adds to A's sentence, writes another section and changes another cell.
  await typeAtEnd(B.page, 0, "，粽子礼盒");
  await typeAtEnd(B.page, 1, "提升客房入住率");
  await setQuantity(B.page, "气球", "200");
  await expect.poll(() => sectionText(A.page, 0)).toContain("端午家庭套餐，粽子礼盒");
  await expect.poll(() => sectionText(A.page, 1)).toContain("提升客房入住率");
  await expect.poll(() => quantities(A.page)).toEqual(["50", "200"]);

  // Ctrl+Z in the grid undoes A's cell only; in the text, A's words only.
  await budgetCell(A.page, "条幅", "item").click();
  await A.page.keyboard.press("Control+z");
  for (const page of [A.page, B.page]) await expect.poll(() => quantities(page)).toEqual(["1", "200"]);
  expect(await undoBudgetA.isDisabled()).toBe(true);
  expect(await blockButton(A.page, ".budget-block", "redo").isEnabled()).toBe(true);
  expect(await sectionText(A.page, 0)).toContain("端午家庭套餐");

  await section(A.page, 0).click();
  await A.page.keyboard.press("Control+z");
  for (const page of [A.page, B.page]) {
    await expect.poll(() => sectionText(page, 0)).toBe("，粽子礼盒");
    expect(await sectionText(page, 1)).toBe("提升客房入住率");
  }
  expect(await quantities(A.page)).toEqual(["1", "200"]);

  // Ctrl+Shift+Z redoes each where it was undone.
  await A.page.keyboard.press("Control+Shift+z");
  await expect.poll(() => sectionText(B.page, 0)).toBe("端午家庭套餐，粽子礼盒");
  await budgetCell(A.page, "气球", "item").click();
  await A.page.keyboard.press("Control+Shift+z");
  await expect.poll(() => quantities(B.page)).toEqual(["50", "200"]);

  // The toolbar buttons do the same.
  await undoBudgetA.click();
  await expect.poll(() => quantities(B.page)).toEqual(["1", "200"]);
  await blockButton(A.page, ".budget-block", "redo").click();
  await expect.poll(() => quantities(B.page)).toEqual(["50", "200"]);
  await undoBudgetA.click();
  // A section's toolbar shows while its editor has the focus.
  await section(A.page, 0).click();
  await sectionButton(A.page, 0, "撤销").click();
  await expect.poll(() => sectionText(B.page, 0)).toBe("，粽子礼盒");
  await expect.poll(() => quantities(B.page)).toEqual(["1", "200"]);
  expect(await sectionButton(A.page, 0, "撤销").isDisabled()).toBe(true);
  expect(await sectionButton(A.page, 0, "重做").isEnabled()).toBe(true);

  // With nothing of A's left, more Ctrl+Z in the text must not fall through to the browser's own undo.
  await section(A.page, 0).click();
  await A.page.keyboard.press("Control+z");
  await A.page.keyboard.press("Control+z");
  await typeAtEnd(A.page, 2, "。");
  await expect.poll(() => sectionText(B.page, 2)).toBe("。");
  expect(await sectionText(B.page, 0)).toBe("，粽子礼盒");
  expect(await sectionText(A.page, 0)).toBe("，粽子礼盒");

  // B's undo is B's own: it takes back 200, and leaves A's undone state alone.
  await budgetCell(B.page, "条幅", "item").click();
  await B.page.keyboard.press("Control+z");
  await expect.poll(() => quantities(A.page)).toEqual(["1", "1"]);
  await B.page.keyboard.press("Control+Shift+z");
  await expect.poll(() => quantities(A.page)).toEqual(["1", "200"]);

  // What both see is what the server stored.
  for (const page of [A.page, B.page]) {
    await reload(page);
    expect(await quantities(page)).toEqual(["1", "200"]);
    expect(await sectionText(page, 0)).toBe("，粽子礼盒");
    expect(await sectionText(page, 1)).toBe("提升客房入住率");
    expect(await blockButton(page, ".budget-block", "undo").isDisabled()).toBe(true);
  }

  for (const visitor of [A, B]) {
    visitor.check();
    await visitor.context.close();
  }
});

it("a locked budget refuses undo with a message while the other blocks still undo", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const planId = await budgetPlan(db, planner.id, "2027 中秋会员答谢");
  const P = await openPlanPage(planner, planId);
  const { page } = P;

  await setQuantity(page, "条幅", "50");
  const task = page.locator('table[data-block="timeline"] td[data-field="task"] input');
  await task.fill("确定场地与搭建商");
  await task.press("Enter");
  await expect.poll(() => blockButton(page, ".block-timeline", "undo").isEnabled()).toBe(true);

  await page.locator(".approval-panel button", { hasText: "提交审批" }).click();
  await page.locator(".budget-locked").waitFor();
  const undoBudget = blockButton(page, ".budget-block", "undo");
  await expect.poll(() => undoBudget.isDisabled()).toBe(true);
  expect(await undoBudget.getAttribute("title")).toBe("预算已提交审批或已批准，不能撤销或重做预算的修改");

  await budgetCell(page, "条幅", "item").click();
  await page.keyboard.press("Control+z");
  await expect.poll(() => page.locator(".budget-block .undo-refused").innerText()).toBe("预算已提交审批或已批准，不能撤销或重做预算的修改");
  expect(await quantities(page)).toEqual(["50", "1"]);

  // Focus in a written timeline cell (no draft open): Ctrl+Z undoes the timeline's step.
  await task.click();
  await page.keyboard.press("Control+z");
  await expect.poll(() => task.inputValue()).toBe("确定场地");
  await reload(page);
  expect(await task.inputValue()).toBe("确定场地");
  expect(await quantities(page)).toEqual(["50", "1"]);

  P.check();
  await P.context.close();
});
