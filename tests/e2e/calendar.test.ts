import { expect, it } from "vitest";
import { findPlanById } from "../../db/queries/plans";
import { festivalDate, FESTIVAL_KEYS, fixedDate, type Festival } from "~/domain/calendar";
import { FIXED_FESTIVALS, type FestivalKey, type FixedFestival } from "~/domain/campaign-calendar";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";

const suite = browserSuite({ seedDemo: false });

function dateOf(festival: FestivalKey, year: number): string {
  return (FESTIVAL_KEYS as readonly string[]).includes(festival) ? festivalDate(festival as Festival, year) : fixedDate(FIXED_FESTIVALS[festival as FixedFestival], year);
}

it("marks holidays, 调休 and festivals, and a festival suggestion creates a plan on that festival", async () => {
  const planner = await makeMember(suite.server.db, { role: "planner", name: "周敏" });
  const context = await suite.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);

  // 2026: the library's 国庆 schedule — 10-01 off, Saturday 10-10 worked.
  await page.goto(`${suite.server.url}/calendar?month=2026-10`);
  const first = page.locator('.cal-day[data-date="2026-10-01"]');
  expect(await first.getAttribute("data-holiday")).toBe("国庆节");
  expect(await first.innerText()).toContain("休 · 国庆节");
  const tenth = page.locator('.cal-day[data-date="2026-10-10"]');
  expect(await tenth.getAttribute("data-workday")).toBe("国庆节");
  expect(await tenth.innerText()).toContain("班 · 国庆节");
  expect(await page.locator("[data-unpublished]").count()).toBe(0);

  // 2027: festivals from the lunar calendar, and no official schedule yet.
  await page.locator('.cal-views a', { hasText: "季度" }).click();
  await expect.poll(() => page.locator(".cal-month").count()).toBe(3);
  expect(new URL(page.url()).searchParams.get("view")).toBe("quarter");
  await page.goto(`${suite.server.url}/calendar?month=2027-09`);
  expect(await page.locator('.cal-day[data-date="2027-09-15"]').innerText()).toContain("中秋");
  expect(await page.locator('.cal-day[data-date="2027-09-15"]').getAttribute("data-holiday")).toBeNull();
  expect(await page.locator('[data-unpublished="2027"]').innerText()).toBe("2027 年的法定节假日安排尚未发布，管理员可在「管理 → 节假日」中录入");

  // Today's suggestions: the first festival ahead without a plan, with a template anchored on it.
  await page.locator(".cal-nav a", { hasText: "今天" }).click();
  await expect.poll(() => page.locator('.cal-day[data-date="2027-09-15"]').count()).toBe(0);
  const suggestion = page.locator(".cal-suggestions li").first();
  const festival = (await suggestion.getAttribute("data-festival")) as FestivalKey;
  const date = (await suggestion.getAttribute("data-date"))!;
  const link = suggestion.locator("a.cal-suggestion-link").first();
  const templateId = (await link.getAttribute("data-template"))!;
  const year = Number(new URL((await link.getAttribute("href"))!, suite.server.url).searchParams.get("year"));
  expect(dateOf(festival, year)).toBe(date);
  const templateName = /「(.+)」/.exec(await link.innerText())![1]!;

  await link.click();
  await page.waitForURL((url) => url.pathname === "/plans/new" && url.searchParams.get("template") === templateId);
  expect(await page.locator("label.template-card.selected .template-card-name").innerText()).toBe(templateName);
  expect(await page.locator(".template-preview").innerText()).toContain(date);
  await page.locator('form[method="post"] button.primary').click();
  await page.locator("article.plan-page").waitFor();
  const planId = new URL(page.url()).pathname.split("/").pop()!;
  const plan = await findPlanById(suite.server.db, planId);
  expect(plan?.anchor_date).toBe(date);
  expect(plan?.template_id).toBe(templateId);

  // The festival now has a plan: the calendar stops suggesting it.
  await page.goto(`${suite.server.url}/calendar`);
  expect(await page.locator(`.cal-suggestions li[data-festival="${festival}"][data-date="${date}"]`).count()).toBe(0);
  check();
  await context.close();
});
