import { describe, expect, it } from "vitest";
import { DEMO_MEMBERS, DEMO_PASSWORD } from "../../server/demo-seed";
import { browserSuite, logIn, logOut, watchPageErrors } from "../support/browser";

const suite = browserSuite();

const NAV_BY_ROLE: Record<string, string[]> = {
  admin: ["概览", "计划", "任务", "审批", "财务", "日历", "管理"],
  planner: ["概览", "计划", "任务", "审批", "日历"],
  manager: ["概览", "计划", "任务", "审批", "日历"],
  finance: ["概览", "计划", "任务", "审批", "财务", "日历"],
  viewer: ["概览", "计划", "审批", "日历"],
};

/** The demo's approval data has one step waiting for each of these members (server/demo-seed.ts). */
const WAITING_IN_DEMO: Record<string, string> = { finance: "1", manager: "1", chairman: "1" };

describe("every demo member logs in to the Chinese shell", () => {
  for (const member of DEMO_MEMBERS) {
    it(`${member.username} (${member.role}) sees their name, role and the areas they may open`, async () => {
      const context = await suite.browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      const noErrors = watchPageErrors(page);
      await logIn(page, suite.server.url, member.username, DEMO_PASSWORD);
      expect(new URL(page.url()).pathname).toBe("/dashboard");
      await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
      await expect.poll(() => page.locator("h1").innerText()).toBe("概览");
      expect(await page.locator(".user-name").innerText()).toBe(member.name);
      // Each link's own label; the 审批 link also carries a count of the steps waiting for the member.
      expect(await page.locator("nav.main-nav a").evaluateAll((links) => links.map((link) => link.firstChild?.textContent ?? ""))).toEqual(NAV_BY_ROLE[member.role]);
      const waiting = page.locator("nav.main-nav [data-approvals-waiting]");
      expect(await waiting.count()).toBe(WAITING_IN_DEMO[member.username] === undefined ? 0 : 1);
      if (WAITING_IN_DEMO[member.username] !== undefined) expect(await waiting.innerText()).toBe(WAITING_IN_DEMO[member.username]);
      await logOut(page);
      noErrors();
      await context.close();
    });
  }

  it("shows the same message for a wrong password as for an unknown user", async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/login`);
    await page.locator('input[name="username"]').fill("planner");
    await page.locator('input[name="password"]').fill("not-the-password");
    await page.locator('button[type="submit"]').first().click();
    await expect.poll(() => page.locator(".form-error").textContent()).toBe("用户名或密码不正确。");
    await page.locator('input[name="username"]').fill("no-such-member");
    await page.locator('input[name="password"]').fill("not-the-password");
    await page.locator('button[type="submit"]').first().click();
    await expect.poll(() => page.locator(".form-error").textContent()).toBe("用户名或密码不正确。");
    await page.close();
  });
});
