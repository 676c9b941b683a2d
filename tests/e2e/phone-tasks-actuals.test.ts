import { expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { addDays, chinaToday } from "~/domain/calendar";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, watchPageErrors } from "../support/browser";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";

/** The phone journeys of a planner (今日任务) and of finance (an actual spend with its invoice photo), at 390×844. */

const suite = browserSuite({ seedDemo: false });

function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
}

async function signIn(page: Page, member: MadeMember, touch = true): Promise<void> {
  await page.goto(`${suite.server.url}/login`);
  await page.locator('input[name="username"]').fill(member.username);
  await page.locator('input[name="password"]').fill(member.password);
  const submit = page.locator(".login-card button.primary");
  await (touch ? submit.tap() : submit.click());
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);

it("a planner taps 标记完成 on today's task, and the open plan page shows it done at once", async () => {
  const db = suite.server.db;
  const today = chinaToday();
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const colleague = await makeMember(db, { role: "planner", name: "陈晨" });
  const row = { ...blankRow("timeline", today), owner: "" };
  const planId = await createPlan(
    db,
    colleague.id,
    { title: "2027 春节门店年货节（南京西路旗舰店）", campaignType: "holiday", startDate: addDays(today, -7), endDate: addDays(today, 7), store: "南京西路店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        timeline: [
          { ...row, task: "确认年货礼盒到货数量并通知门店", start: addDays(today, -2), end: today, ownerUserId: planner.id },
          { ...row, task: "彩排", start: addDays(today, -1), end: addDays(today, 2), owner: "市场部" },
        ],
      },
    },
  );
  await addToPlan(db, planId, planner.id, "edit", colleague.id);
  const itemId = (await db.selectFrom("timeline_items").select("item_id").where("plan_id", "=", planId).where("task", "like", "确认年货%").executeTakeFirstOrThrow()).item_id;

  // The colleague has the plan open on a desktop.
  const desk = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const planPage = await desk.newPage();
  const deskErrors = watchPageErrors(planPage);
  await signIn(planPage, colleague, false);
  await planPage.goto(`${suite.server.url}/plans/${planId}`);
  const planRow = planPage.locator(`tr[data-row-id="${itemId}"]`);
  await planRow.waitFor();
  expect(await planRow.getAttribute("class")).toContain("status-notStarted");

  const context = await phone(suite.browser);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signIn(page, planner);
  await page.goto(`${suite.server.url}/tasks`);
  const card = page.locator(`.task-card[data-task-id="${itemId}"]`);
  await card.waitFor();
  // Mine first, due today, readable as a card.
  expect(await page.locator(".task-card").first().getAttribute("data-task-id")).toBe(itemId);
  expect(await card.locator(".badge.mine").textContent()).toBe("我负责");
  expect(await noSidewaysScroll(page)).toBe(true);
  await card.locator("button", { hasText: "标记完成" }).tap();
  await page.locator('[data-task-result="done"]', { hasText: "已将「确认年货礼盒到货数量并通知门店」标记为完成" }).waitFor();
  await card.waitFor({ state: "detached" });

  // Seen live by the colleague, without a reload.
  await expect.poll(async () => planRow.getAttribute("class"), { timeout: 10_000 }).toContain("status-done");

  // Undo from the notice puts it back.
  await page.locator("button", { hasText: "标记未完成" }).tap();
  await page.locator('[data-task-result="undo"]').waitFor();
  await card.waitFor();
  await expect.poll(async () => planRow.getAttribute("class"), { timeout: 10_000 }).toContain("status-notStarted");
  errors();
  deskErrors();
  await context.close();
  await desk.close();
});

it("finance 赵敏 records an actual spend with a photo of the invoice on a phone and sees its thumbnail", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const finance = await makeMember(db, { role: "finance", title: "finance", name: "赵敏" });
  const line = { ...blankRow("budget", "2027-04-01"), quantityHundredths: 100 };
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 超市开业", campaignType: "opening", startDate: "2027-04-01", endDate: "2027-04-30", store: "城东店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [{ ...line, category: "宣传方案", item: "沿街条幅", quantityHundredths: 5000, unit: "条", unitPriceFen: 6000 }] } },
  );
  const lineId = (await db.selectFrom("budget_lines").select("line_id").where("plan_id", "=", planId).executeTakeFirstOrThrow()).line_id;

  const context = await phone(suite.browser);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signIn(page, finance);
  await page.goto(`${suite.server.url}/plans/${planId}/actuals`);
  const add = page.locator("form.actuals-add");
  await add.waitFor();
  expect(await noSidewaysScroll(page)).toBe(true);

  // A real JPEG, drawn by the browser: an invoice-coloured square with a red stamp.
  const jpeg = Buffer.from(
    await page.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 120;
      canvas.height = 80;
      const g = canvas.getContext("2d")!;
      g.fillStyle = "#f5f0e1";
      g.fillRect(0, 0, 120, 80);
      g.fillStyle = "#c8102e";
      g.beginPath();
      g.arc(90, 50, 20, 0, Math.PI * 2);
      g.fill();
      return canvas.toDataURL("image/jpeg", 0.9).split(",")[1]!;
    }),
    "base64",
  );
  const file = add.locator('input[name="attachment"]');
  expect(await file.getAttribute("capture")).toBe("environment");
  expect(await file.getAttribute("accept")).toBe("image/*,application/pdf");

  await add.locator('select[name="lineId"]').selectOption(lineId);
  await add.locator('input[name="spentOn"]').fill("2027-04-20");
  await add.locator('input[name="amount"]').fill("3,450");
  await add.locator('input[name="invoiceNo"]').fill("FP-001");
  await file.setInputFiles({ name: "IMG_0612.jpg", mimeType: "image/jpeg", buffer: jpeg });
  await add.locator("button", { hasText: "保存" }).tap();

  const thumb = page.locator(".entry-attachments .attachment-thumb img");
  await thumb.waitFor();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
  expect(await thumb.getAttribute("alt")).toBe("IMG_0612.jpg");
  expect(await noSidewaysScroll(page)).toBe(true);
  const stored = await db.selectFrom("actual_attachments").selectAll().where("plan_id", "=", planId).execute();
  expect(stored.map((row) => [row.media_type, row.file_name, row.size_bytes])).toEqual([["image/jpeg", "IMG_0612.jpg", jpeg.length]]);
  errors();
  await context.close();
});
