import { expect, it } from "vitest";
import { browserSuite, logIn, logOut, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";

const suite = browserSuite({ seedDemo: false });

it("switches the shell to English and keeps it after logging out and in again, on another browser too", async () => {
  const member = await makeMember(suite.server.db, { role: "finance", title: "finance", name: "赵敏" });
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  await expect.poll(() => page.locator("nav.main-nav a").allInnerTexts()).toEqual(["概览", "计划", "任务", "审批", "财务", "日历"]);

  await page.locator(".topbar .language-switch button[value='en']").click();
  await expect.poll(() => page.locator("nav.main-nav a").allInnerTexts()).toEqual(["Overview", "Plans", "Tasks", "Approvals", "Finance", "Calendar"]);
  await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
  await expect.poll(() => page.locator("h1").innerText()).toBe("Overview");
  expect(await page.locator(".user-role").innerText()).toBe("Finance · Finance");

  await logOut(page);
  await expect.poll(() => page.locator("h1").innerText()).toBe("Log in to CampaignDesk");
  await logIn(page, suite.server.url, member.username, member.password);
  await expect.poll(() => page.locator("h1").innerText()).toBe("Overview");
  noErrors();
  await context.close();

  // The choice belongs to the member, not to one browser's cookie.
  const fresh = await suite.browser.newContext();
  const other = await fresh.newPage();
  await other.goto(`${suite.server.url}/login`);
  await expect.poll(() => other.locator("h1").innerText()).toBe("登录活动策划台");
  await logIn(other, suite.server.url, member.username, member.password);
  await expect.poll(() => other.locator("h1").innerText()).toBe("Overview");
  await other.locator(".topbar .language-switch button[value='zh-CN']").click();
  await expect.poll(() => other.locator("h1").innerText()).toBe("概览");
  await fresh.close();
});
