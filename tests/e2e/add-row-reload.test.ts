import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { makePlan } from "../support/plans";

// Each block's add-row flow: add a row through the UI, fill every field, reload, and find every field kept.
const suite = browserSuite({ seedDemo: false });

async function openPlan(member: MadeMember, planId: string): Promise<{ page: Page; done: () => Promise<void> }> {
  const context = await suite.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  return {
    page,
    done: async () => {
      noErrors();
      await context.close();
    },
  };
}

/** Reloads once every change is on the server: the page marks the document synced again. */
async function reload(page: Page): Promise<void> {
  await page.locator(".connection[data-synced='true']").waitFor();
  await page.reload();
  await page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();
}

const cell = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** A text cell: type, then leave it (blur commits, also for multi-line cells). */
async function fillText(page: Page, label: string, text: string): Promise<void> {
  await cell(page, label).fill(text);
  await cell(page, label).blur();
  await expect.poll(() => cell(page, label).getAttribute("data-draft")).toBeNull();
}

/** A date cell: Enter commits (Tab would only move between the date's parts). */
async function fillDate(page: Page, label: string, day: string): Promise<void> {
  await cell(page, label).fill(day);
  await cell(page, label).press("Enter");
}

async function planner(name: string): Promise<MadeMember> {
  return makeMember(suite.server.db, { role: "planner", name });
}

describe("adding a row and reloading keeps every field", () => {
  it("timeline: a new task set to start and end on 2027-06-09 keeps both dates, and the Gantt shows June 2027", async () => {
    const owner = await planner("李娜");
    const planId = await makePlan(suite.server.db, owner.id);
    const { page, done } = await openPlan(owner, planId);
    const block = page.locator('table[data-block="timeline"]');

    await page.getByRole("button", { name: "+ 添加任务" }).click();
    await expect.poll(() => block.locator("tr[data-row-id]").count()).toBe(1);
    // The reported repro: start after the new task's end (today), then the end.
    await fillDate(page, "开始（第 1 行）", "2027-06-09");
    await fillDate(page, "结束（第 1 行）", "2027-06-09");
    expect(await block.locator('[role="alert"]').count()).toBe(0);
    await fillText(page, "任务（第 1 行）", "端午礼盒开售");
    await cell(page, "阶段（第 1 行）").selectOption("live");
    await fillText(page, "负责人（第 1 行）", "李娜");
    await cell(page, "状态（第 1 行）").selectOption("inProgress");
    // A second task to depend on.
    await page.getByRole("button", { name: "+ 添加任务" }).click();
    await expect.poll(() => block.locator("tr[data-row-id]").count()).toBe(2);
    await fillText(page, "任务（第 2 行）", "礼盒备货");
    await cell(page, "前置任务（第 1 行）").selectOption({ label: "2. 礼盒备货" });

    await reload(page);
    expect(await cell(page, "开始（第 1 行）").inputValue()).toBe("2027-06-09");
    expect(await cell(page, "结束（第 1 行）").inputValue()).toBe("2027-06-09");
    expect(await cell(page, "任务（第 1 行）").inputValue()).toBe("端午礼盒开售");
    expect(await cell(page, "阶段（第 1 行）").inputValue()).toBe("live");
    expect(await cell(page, "负责人（第 1 行）").inputValue()).toBe("李娜");
    expect(await cell(page, "状态（第 1 行）").inputValue()).toBe("inProgress");
    expect(await cell(page, "前置任务（第 1 行）").locator("option:checked").innerText()).toBe("2. 礼盒备货");
    expect(await cell(page, "任务（第 2 行）").inputValue()).toBe("礼盒备货");
    // The chart opens on the tasks' month, not on today's.
    await page.locator("[data-gantt] svg").first().waitFor();
    await expect.poll(() => page.locator("[data-gantt]").innerText()).toMatch(/2027/);
    expect(await page.locator("[data-gantt]").innerText()).toMatch(/6月|六月|June|Jun/);
    await done();
  });

  it("roles: a new assignment keeps person, role, duties and contact", async () => {
    const owner = await planner("王芳");
    const planId = await makePlan(suite.server.db, owner.id);
    const { page, done } = await openPlan(owner, planId);
    await page.getByRole("button", { name: "+ 添加人员" }).click();
    await expect.poll(() => page.locator('table[data-block="roles"] tr[data-row-id]').count()).toBe(1);
    await fillText(page, "人员（第 1 行）", "王芳");
    await fillText(page, "角色（第 1 行）", "现场总控");
    await fillText(page, "职责（第 1 行）", "统筹现场执行\n协调供应商");
    await fillText(page, "联系方式（第 1 行）", "138 0000 1234");

    await reload(page);
    expect(await cell(page, "人员（第 1 行）").inputValue()).toBe("王芳");
    expect(await cell(page, "角色（第 1 行）").inputValue()).toBe("现场总控");
    expect(await cell(page, "职责（第 1 行）").inputValue()).toBe("统筹现场执行\n协调供应商");
    expect(await cell(page, "联系方式（第 1 行）").inputValue()).toBe("138 0000 1234");
    await done();
  });

  it("KPIs: a new indicator keeps name, unit, target, direction and notes", async () => {
    const owner = await planner("赵磊");
    const planId = await makePlan(suite.server.db, owner.id);
    const { page, done } = await openPlan(owner, planId);
    await page.getByRole("button", { name: "+ 添加指标" }).click();
    await expect.poll(() => page.locator('table[data-block="kpis"] tr[data-row-id]').count()).toBe(1);
    await fillText(page, "指标名称（第 1 行）", "客诉率");
    await fillText(page, "单位（第 1 行）", "%");
    await fillText(page, "目标值（第 1 行）", "0.5");
    await cell(page, "方向（第 1 行）").selectOption("down");
    await fillText(page, "说明（第 1 行）", "活动期间客诉数 ÷ 成交单数");

    await reload(page);
    expect(await cell(page, "指标名称（第 1 行）").inputValue()).toBe("客诉率");
    expect(await cell(page, "单位（第 1 行）").inputValue()).toBe("%");
    expect(await cell(page, "目标值（第 1 行）").inputValue()).toBe("0.5");
    expect(await cell(page, "方向（第 1 行）").inputValue()).toBe("down");
    expect(await cell(page, "说明（第 1 行）").inputValue()).toBe("活动期间客诉数 ÷ 成交单数");
    await done();
  });

  it("budget: a new line keeps item, quantity, unit, price, income, owner, quarter and note", async () => {
    const owner = await planner("陈晨");
    const planId = await makePlan(suite.server.db, owner.id);
    const { page, done } = await openPlan(owner, planId);
    const grid = page.locator('table[data-block="budget"]');
    const field = (name: string) => grid.locator("tr[data-row-id]").first().locator(`td[data-field="${name}"]`);
    // Backspace opens the selected cell's editor empty; Chinese text arrives without key events, as from an input method.
    const typeInto = async (name: string, text: string) => {
      await field(name).click();
      await expect.poll(() => field(name).evaluate((element) => element === document.activeElement)).toBe(true);
      await page.keyboard.press("Backspace");
      await field(name).locator("input").waitFor();
      await page.keyboard.type(text);
      await expect.poll(() => field(name).locator("input").inputValue()).toBe(text);
      await page.keyboard.press("Enter");
      await expect.poll(() => field(name).locator("input").count(), { message: await field(name).innerHTML() }).toBe(0);
    };

    await page.getByRole("button", { name: "+ 添加类别" }).click();
    await page.getByLabel("类别名称").fill("商户合作");
    await page.getByLabel("类别名称").press("Enter");
    await expect.poll(() => grid.locator("tr[data-row-id]").count()).toBe(1);
    // The new line opens with its item being typed.
    await page.keyboard.type("商户赞助");
    await page.keyboard.press("Enter");
    await typeInto("quantity", "2");
    await typeInto("unit", "家");
    await typeInto("unitPrice", "3,000");
    await field("income").locator('input[type="checkbox"]').check();
    await typeInto("owner", "陈晨");
    await field("quarter").dblclick();
    await field("quarter").locator("select").selectOption("Q2");
    await field("quarter").locator("select").press("Enter");
    await typeInto("note", "两家商户各 ¥3,000");
    await expect.poll(() => field("amount").innerText()).toBe("收入¥6,000.00");

    await reload(page);
    expect(await page.locator('tbody.budget-group[data-category="商户合作"]').count()).toBe(1);
    expect(await field("item").innerText()).toContain("商户赞助");
    expect(await field("quantity").innerText()).toBe("2");
    expect(await field("unit").innerText()).toBe("家");
    expect(await field("unitPrice").innerText()).toBe("¥3,000.00");
    expect(await field("amount").innerText()).toBe("收入¥6,000.00");
    expect(await field("income").locator('input[type="checkbox"]').isChecked()).toBe(true);
    expect(await field("owner").innerText()).toBe("陈晨");
    expect(await field("quarter").innerText()).toBe("Q2");
    expect(await field("note").innerText()).toBe("两家商户各 ¥3,000");
    await done();
  });
});
