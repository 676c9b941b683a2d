import { expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { browserSuite, logIn, logOut, watchPageErrors } from "../support/browser";

const suite = browserSuite();

it("an admin creates a member, who then logs in; deactivating them signs them out", async () => {
  const adminContext = await suite.browser.newContext();
  const admin = await adminContext.newPage();
  const noErrors = watchPageErrors(admin);
  await logIn(admin, suite.server.url, "admin", DEMO_PASSWORD);
  await admin.locator("nav.main-nav a", { hasText: "管理" }).click();
  await admin.waitForURL(/\/admin\/members$/);
  await admin.locator("a", { hasText: "新建成员" }).click();
  await admin.waitForURL(/\/admin\/members\/new$/);

  // A bad submission is explained beside the fields and creates nothing.
  await admin.locator('input[name="name"]').fill("钱芳");
  await admin.locator('input[name="username"]').fill("qf");
  await admin.locator('input[name="password"]').fill("short");
  await admin.locator("button", { hasText: "创建成员" }).click();
  await expect.poll(() => admin.locator(".field-error").allInnerTexts()).toHaveLength(2);

  await admin.locator('input[name="username"]').fill("qian.fang");
  await admin.locator('input[name="password"]').fill("qianfang-2026");
  await admin.locator('select[name="role"]').selectOption("manager");
  await admin.locator('select[name="title"]').selectOption("deputyGm");
  await admin.locator("button", { hasText: "创建成员" }).click();
  await admin.waitForURL(/\/admin\/members\?created=\d+$/);
  await expect.poll(() => admin.locator(".notice").innerText()).toBe("已创建成员 钱芳。");
  const row = admin.locator("tr", { hasText: "qian.fang" });
  expect(await row.locator("td").allInnerTexts()).toEqual(expect.arrayContaining(["钱芳", "qian.fang", "审批人", "副总经理", "在职"]));

  const memberContext = await suite.browser.newContext();
  const member = await memberContext.newPage();
  await logIn(member, suite.server.url, "qian.fang", "qianfang-2026");
  expect(await member.locator(".user-name").innerText()).toBe("钱芳");
  expect(await member.locator(".user-role").innerText()).toBe("审批人 · 副总经理");

  await row.locator("a", { hasText: "编辑" }).click();
  await admin.locator("button", { hasText: "停用" }).click();
  await admin.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await expect.poll(() => admin.locator(".notice").innerText()).toBe("已停用 钱芳，其登录会话已全部结束。");

  await member.locator("nav.main-nav a", { hasText: "日历" }).click();
  await expect.poll(() => member.locator("body").innerText()).toContain("请先登录");
  await member.goto(`${suite.server.url}/plans`);
  expect(new URL(member.url()).pathname).toBe("/login");

  await logOut(admin);
  noErrors();
  await adminContext.close();
  await memberContext.close();
});
