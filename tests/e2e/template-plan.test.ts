import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

async function signedInPage(member: MadeMember): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  return { context, page, check };
}

const totals = (page: Page) =>
  Promise.all(["spend", "income", "net", "tbd"].map((key) => page.locator(`[data-total="${key}"]`).innerText()));

const budgetRow = (page: Page, item: string) => page.locator('table[data-block="budget"] tr[data-row-id]', { has: page.locator('td[data-field="item"]', { hasText: item }) });
const timelineRows = (page: Page) => page.locator('table[data-block="timeline"] tr[data-row-id]');

it("a planner creates 中秋客户答谢晚会 for 2027 from its template and co-edits budget and timeline live with a colleague", async () => {
  const db = suite.server.db;
  const a = await makeMember(db, { role: "planner", name: "李娜" });
  const b = await makeMember(db, { role: "planner", name: "陈晨" });
  const A = await signedInPage(a);

  // Pick the template, set the year, check the preview, create.
  await A.page.goto(`${suite.server.url}/plans/new`);
  await A.page.locator('label.template-card', { hasText: "中秋客户答谢晚会" }).click();
  const year = A.page.locator('input[name="year"][type="number"]');
  await year.fill("2028");
  await year.press("Tab");
  await expect.poll(() => A.page.locator(".template-preview").innerText()).toContain("2028-10-03");
  await year.fill("2027");
  await year.press("Tab");
  await expect.poll(() => A.page.locator(".template-preview").innerText()).toContain("2027-09-15");
  expect(await A.page.locator(".template-preview").innerText()).toContain("¥6,800.00");
  await A.page.locator('form[method="post"] button.primary').click();
  await A.page.locator("article.plan-page").waitFor();
  const planId = new URL(A.page.url()).pathname.split("/").pop()!;
  expect(await A.page.locator("article.plan-page h1").innerText()).toBe("2027 中秋客户答谢晚会");

  // The timeline is laid out around the anchor: preparation before 2027-09-15, follow-up after.
  await A.page.locator(".connection[data-status='connected']").waitFor();
  await expect.poll(() => A.page.locator("[data-anchor]").getAttribute("data-anchor")).toBe("2027-09-15");
  const dates = (field: string) =>
    timelineRows(A.page).locator(`td[data-field="${field}"] input`).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const starts = await dates("start");
  expect(starts.length).toBeGreaterThan(5);
  // The template's first task starts three weeks before 中秋; its last (the review) after it.
  expect(starts[0]).toBe("2027-08-25");
  expect(await dates("end")).toContain("2027-09-15");
  expect(starts.at(-1)! > "2027-09-15").toBe(true);
  await A.page.locator("[data-gantt] svg").first().waitFor();
  expect(await totals(A.page)).toEqual(["¥6,800.00", "¥0.00", "¥6,800.00", expect.stringContaining("7")]);

  // A colleague joins and opens the same plan.
  await addToPlan(db, planId, b.id, "edit", a.id);
  const B = await signedInPage(b);
  await B.page.goto(`${suite.server.url}/plans/${planId}`);
  await B.page.locator(".connection[data-status='connected']").waitFor();
  await budgetRow(B.page, "背景板").waitFor();

  // A prices the backdrop (待定 → ¥1,200): B sees the amount and the new totals live.
  await budgetRow(A.page, "背景板").locator('td[data-field="unitPrice"]').click();
  await A.page.keyboard.type("1200");
  await A.page.keyboard.press("Enter");
  await expect.poll(() => budgetRow(B.page, "背景板").locator('td[data-field="amount"]').innerText()).toBe("¥1,200.00");
  await expect.poll(() => totals(B.page)).toEqual(["¥8,000.00", "¥0.00", "¥8,000.00", expect.stringContaining("6")]);
  expect(await totals(A.page)).toEqual(await totals(B.page));

  // A renames the first task and moves its end date: B sees both.
  const firstTask = timelineRows(A.page).first();
  const taskInput = firstTask.locator('td[data-field="task"] input');
  await taskInput.fill("与物业、嘉华蛋糕确认商家联盟展位");
  await taskInput.press("Enter");
  const endInput = firstTask.locator('td[data-field="end"] input');
  await endInput.fill("2027-09-02");
  await endInput.press("Enter");
  const bFirst = timelineRows(B.page).first();
  await expect.poll(() => bFirst.locator('td[data-field="task"] input').inputValue()).toBe("与物业、嘉华蛋糕确认商家联盟展位");
  await expect.poll(() => bFirst.locator('td[data-field="end"] input').inputValue()).toBe("2027-09-02");

  // The stored projection agrees with both screens to the fen.
  await expect.poll(async () => (await findPlanById(db, planId))?.spend_fen).toBe(800_000);

  A.check();
  B.check();
  await A.context.close();
  await B.context.close();
});
