import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

const grid = (page: Page) => page.locator('table[data-block="budget"]');
const budgetCell = (page: Page, item: string, column: string) =>
  grid(page).locator("tr[data-row-id]", { has: page.locator('td[data-field="item"]', { hasText: new RegExp(`^${item}$`) }) }).locator(`td[data-field="${column}"]`);
const editor = (page: Page) => grid(page).locator("input.budget-editor");
const spend = async (planId: string) => (await findPlanById(suite.server.db, planId))?.spend_fen;

async function openPlanPage(member: MadeMember, planId: string): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.server.url });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();
  await grid(page).locator("tr[data-row-id]").first().waitFor();
  return { context, page, check };
}

/** 王芳 owns the plan, 李娜 edits it with her; a ¥12,000 budget of two priced lines and one role. */
async function sharedPlan(): Promise<{ owner: MadeMember; member: MadeMember; planId: string }> {
  const db = suite.server.db;
  const owner = await makeMember(db, { role: "planner", name: "王芳" });
  const member = await makeMember(db, { role: "planner", name: "李娜" });
  await makeMember(db, { role: "finance", title: "finance", name: "赵敏" });
  await makeMember(db, { role: "manager", title: "deputyGm", name: "孙丽" });
  await makeMember(db, { role: "manager", title: "gm", name: "周杰" });
  const line = { ...blankRow("budget", "2027-06-01"), quantityHundredths: 100 };
  const planId = await createPlan(
    db,
    owner.id,
    { title: "2027 端午节酒店促销", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [
          { ...line, category: "场地布置", item: "舞台搭建", unit: "项", unitPriceFen: 1_000_000 },
          { ...line, category: "来宾礼品", item: "粽子礼盒", unit: "批", unitPriceFen: 200_000 },
        ],
        roles: [{ ...blankRow("roles", "2027-06-01"), person: "王芳", role: "总负责" }],
      },
    },
  );
  await addToPlan(db, planId, member.id, "edit", owner.id);
  return { owner, member, planId };
}

/** Opens a budget cell's editor and replaces its text, without saving it. */
async function typeInto(page: Page, item: string, column: string, text: string): Promise<void> {
  await budgetCell(page, item, column).dblclick();
  await editor(page).waitFor();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

it("a collaborator's open cell is outlined with their name, and a cell saved under an open editor asks before overwriting", async () => {
  const { owner, member, planId } = await sharedPlan();
  const A = await openPlanPage(member, planId);
  const B = await openPlanPage(owner, planId);

  // 李娜 opens 舞台搭建's price: 王芳 sees her name on that cell, in 李娜's colour, and on no other.
  await typeInto(A.page, "舞台搭建", "unitPrice", "5000");
  const watched = budgetCell(B.page, "舞台搭建", "unitPrice");
  await expect.poll(() => watched.getAttribute("data-peer")).toBe("李娜");
  expect(await watched.evaluate((cell) => cell.style.getPropertyValue("--peer-color"))).toMatch(/^#[0-9a-f]{6}$/i);
  expect(await grid(B.page).locator("td[data-peer]").count()).toBe(1);

  // 王芳 saves ¥3,000 into it: 李娜's editor keeps her 5000 and asks; nothing of hers is written.
  await typeInto(B.page, "舞台搭建", "unitPrice", "3000");
  await B.page.keyboard.press("Enter");
  await expect.poll(() => spend(planId)).toBe(500_000);
  const prompt = grid(A.page).locator("[data-conflict]");
  await expect.poll(() => prompt.innerText()).toContain("王芳 刚把这一格改成了 ¥3,000.00");
  expect(await editor(A.page).inputValue()).toBe("5000");
  await A.page.keyboard.press("Enter");
  expect(await prompt.count()).toBe(1);

  // She keeps 王芳's value: the editor closes on ¥3,000.00 and the store still says so.
  await prompt.locator("button", { hasText: "保留对方的值" }).click();
  await expect.poll(() => editor(A.page).count()).toBe(0);
  expect(await budgetCell(A.page, "舞台搭建", "unitPrice").innerText()).toBe("¥3,000.00");
  expect(await spend(planId)).toBe(500_000);

  // Again, and this time she writes hers over it; 王芳 sees it arrive.
  await typeInto(A.page, "舞台搭建", "unitPrice", "6000");
  await typeInto(B.page, "舞台搭建", "unitPrice", "3500");
  await B.page.keyboard.press("Enter");
  await expect.poll(() => prompt.innerText()).toContain("王芳 刚把这一格改成了 ¥3,500.00");
  await prompt.locator("button", { hasText: "用我的值覆盖" }).click();
  await expect.poll(() => editor(A.page).count()).toBe(0);
  await expect.poll(() => spend(planId)).toBe(800_000);
  await expect.poll(() => budgetCell(B.page, "舞台搭建", "unitPrice").innerText()).toBe("¥6,000.00");

  // Leaving the grid takes her name off the cell.
  await A.page.locator("h1").first().click();
  await expect.poll(() => grid(B.page).locator("td[data-peer]").count()).toBe(0);

  // The roles table: the same outline, and the same question when a cell is saved under a draft.
  const roleA = A.page.locator('table[data-block="roles"] td[data-field="role"]');
  const roleB = B.page.locator('table[data-block="roles"] td[data-field="role"]');
  await roleB.locator("input").focus();
  await expect.poll(() => roleA.getAttribute("data-peer")).toBe("王芳");
  await roleA.locator("input").fill("活动总监");
  await roleB.locator("input").fill("项目经理");
  await roleB.locator("input").press("Enter");
  await expect.poll(() => roleA.locator("[data-conflict]").innerText()).toContain("王芳 刚把这一格改成了 项目经理");
  expect(await roleA.locator("input").inputValue()).toBe("活动总监");
  await roleA.locator("button", { hasText: "用我的值覆盖" }).click();
  await expect.poll(() => roleB.locator("input").inputValue()).toBe("活动总监");
  expect(await roleA.locator("[data-conflict]").count()).toBe(0);
  await A.page.locator("h1").first().click();
  await B.page.locator("h1").first().click();
  await expect.poll(() => A.page.locator('table[data-block="roles"] td[data-peer]').count()).toBe(0);
  await expect.poll(() => B.page.locator('table[data-block="roles"] td[data-peer]').count()).toBe(0);

  for (const visitor of [A, B]) {
    visitor.check();
    await visitor.context.close();
  }
});

it("text typed into a budget cell when the budget is submitted for approval stays on screen to copy", async () => {
  const { owner, member, planId } = await sharedPlan();
  const A = await openPlanPage(member, planId);
  const B = await openPlanPage(owner, planId);

  await typeInto(A.page, "粽子礼盒", "unitPrice", "2888.50");
  const panel = B.page.locator(".approval-panel");
  await panel.locator("button", { hasText: "提交审批" }).click();
  await expect.poll(() => panel.getAttribute("data-approval-state")).toBe("pending");

  // The grid turns read-only under her, and says what was not saved.
  await A.page.locator(".budget-locked").waitFor();
  const kept = A.page.locator("[data-unsaved]");
  await expect.poll(() => kept.innerText()).toContain("预算已提交审批，你的修改未保存：2888.50");
  expect(await editor(A.page).count()).toBe(0);
  expect(await budgetCell(A.page, "粽子礼盒", "unitPrice").innerText()).toBe("¥2,000.00");
  expect(await spend(planId)).toBe(1_200_000);

  await kept.locator("button", { hasText: "复制" }).click();
  await expect.poll(() => kept.locator("button", { hasText: "已复制" }).count()).toBe(1);
  expect(await A.page.evaluate(() => navigator.clipboard.readText())).toBe("2888.50");
  // Still the submitted budget: nothing she typed reached it.
  expect(await spend(planId)).toBe(1_200_000);

  for (const visitor of [A, B]) {
    visitor.check();
    await visitor.context.close();
  }
});
