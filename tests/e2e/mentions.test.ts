// @mentions in a section (issue 17): typing "@li" opens the member picker, picking 李娜 inserts
// her chip and notifies her; a member who cannot read the plan is offered 分享给TA.
import { expect, it } from "vitest";
import { ROOT, blankRow, insertRow } from "~/domain/plan-document";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { openSynced, waitUntil } from "../support/collab-client";
import { makeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";
import { addToPlan, makePlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

it("mentions a reader from the section editor, and shares the plan with an outsider to mention them", async () => {
  const db = suite.server.db;
  const owner = await makeMember(db, { role: "planner", name: "王芳" });
  const lina = await makeMember(db, { role: "viewer", name: "李娜" });
  const linan = await makeMember(db, { role: "planner", name: "李楠" });
  const planId = await makePlan(db, owner.id, "2027 中秋会员日");
  await addToPlan(db, planId, lina.id, "view", owner.id);

  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, owner.username, owner.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator(".connection[data-status='connected']").waitFor();
  const editor = page.locator(".plan-section").first().locator(".ProseMirror");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("请@li");

  const picker = page.getByRole("listbox", { name: "选择要提及的成员" });
  await picker.waitFor();
  const options = picker.getByRole("option");
  await expect.poll(() => options.allInnerTexts()).toHaveLength(2);
  await expect.poll(async () => (await options.first().innerText()).includes("李娜")).toBe(true);
  expect(await options.nth(1).innerText()).toContain("无权查看此方案");
  // The owner may share the plan, so the outsider stays selectable (choosing shares first).
  expect(await options.nth(1).getAttribute("aria-disabled")).toBeNull();
  expect(await editor.getAttribute("aria-activedescendant")).toBe(await options.first().getAttribute("id"));

  await page.keyboard.press("Enter");
  await editor.locator(`span.mention[data-member-id="${lina.id}"]`).waitFor();
  expect(await editor.innerText()).toContain("请@李娜");
  await expect
    .poll(() => db.selectFrom("notifications").select(["kind", "dedupe_key"]).where("user_id", "=", lina.id).execute())
    .toEqual([{ kind: "mentioned", dedupe_key: expect.stringMatching(new RegExp(`^mention:rt:${planId}:`)) as unknown }]);

  // 李楠 may not read the plan: the owner shares it read-only from the picker, and the mention follows.
  await page.keyboard.type("和@linan");
  const outsider = picker.getByRole("option").filter({ hasText: "李楠" });
  await outsider.getByRole("button", { name: "分享给TA" }).click();
  await editor.locator(`span.mention[data-member-id="${linan.id}"]`).waitFor();
  const membership = await db.selectFrom("plan_members").select("access").where("plan_id", "=", planId).where("user_id", "=", linan.id).executeTakeFirst();
  expect(membership).toEqual({ access: "view" });
  await expect.poll(() => db.selectFrom("notifications").select("kind").where("user_id", "=", linan.id).where("kind", "=", "mentioned").execute()).toEqual([{ kind: "mentioned" }]);
  await page.getByText("已将方案以只读权限分享给李楠。").waitFor();

  // Escape closes the picker and leaves the typed text alone.
  await page.keyboard.type(" @wang");
  await picker.waitFor();
  await page.keyboard.press("Escape");
  await picker.waitFor({ state: "detached" });
  expect(await editor.innerText()).toContain("@wang");
  check();
  await context.close();
});

it("picks a member by pinyin with the keyboard in a comment reply and sends the mention token", async () => {
  const db = suite.server.db;
  const owner = await makeMember(db, { role: "planner", name: "王芳" });
  const chen = await makeMember(db, { role: "planner", name: "陈晨" });
  const cheng = await makeMember(db, { role: "planner", name: "程橙" });
  const planId = await makePlan(db, owner.id, "2027 双十一大促");
  await addToPlan(db, planId, chen.id, "edit", owner.id);
  await addToPlan(db, planId, cheng.id, "edit", owner.id);
  const writer = await openSynced(suite.server.url, owner, planId);
  let lineId: string;
  try {
    lineId = insertRow(writer.state.doc, ROOT.budget, { ...blankRow(ROOT.budget, "2027-11-01"), category: "物料", item: "海报", quantityHundredths: 100, unit: "张", unitPriceFen: 5_000 });
    await waitUntil(async () => (await db.selectFrom("budget_lines").select("line_id").where("line_id", "=", lineId).executeTakeFirst()) !== undefined, "the line reached the projection");
  } finally {
    writer.destroy();
  }
  const created = await (await as(owner)).post(`/plans/${planId}/comments`, { intent: "create", anchor: JSON.stringify({ kind: "budgetLine", lineId }), quote: "海报", body: "单价偏高" });
  expect(created.status).toBe(200);
  const { threadId } = (await created.json()) as { threadId: string };

  const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, owner.username, owner.password);
  await page.goto(`${suite.server.url}/plans/${planId}?thread=${threadId}`);
  const reply = page.getByRole("textbox", { name: "回复这条讨论" });
  await reply.waitFor();
  await reply.pressSequentially("收到请@ch");
  const picker = page.locator("#comments-panel").getByRole("listbox", { name: "选择要提及的成员" });
  await expect.poll(() => picker.getByRole("option").allInnerTexts()).toEqual([expect.stringContaining("陈晨"), expect.stringContaining("程橙")]);
  await page.keyboard.press("ArrowDown");
  expect(await reply.getAttribute("aria-activedescendant")).toBe(await picker.getByRole("option").nth(1).getAttribute("id"));
  await page.keyboard.press("Enter");
  await picker.waitFor({ state: "detached" });
  await expect.poll(() => reply.inputValue()).toBe("收到请@程橙 ");
  // Escape closes a picker without touching the text; an e-mail address never opens one.
  await reply.pressSequentially("和 @x");
  await picker.waitFor();
  await page.keyboard.press("Escape");
  await picker.waitFor({ state: "detached" });
  await reply.pressSequentially(" cc@wang");
  expect(await picker.count()).toBe(0);
  await page.keyboard.press("Control+Enter");
  await expect
    .poll(() => db.selectFrom("comments").select("body").where("thread_id", "=", threadId).orderBy("created_at").execute())
    .toEqual([{ body: "单价偏高" }, { body: `收到请<@${cheng.id}> 和 @x cc@wang` }]);
  await page.locator(`#comments-panel .mention[data-member-id="${cheng.id}"]`, { hasText: "@程橙" }).waitFor();
  check();
  await context.close();
});
