import type { BrowserContext, Page } from "playwright-core";
import * as Y from "yjs";
import { expect, it } from "vitest";
import { ROOT, blankRow, insertRow, readBlock, readPlanDoc, removeRow, sectionFragment, updateRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { openSynced, waitUntil } from "../support/collab-client";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";
import { addToPlan, makePlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });
const as = signedInClients(() => suite.server.url);

const SENTENCE = "端午家庭套餐限时八折优惠。";

async function signIn(member: MadeMember): Promise<{ context: BrowserContext; page: Page; check: () => void }> {
  const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, member.username, member.password);
  return { context, page, check };
}

async function openPlan(page: Page, planId: string, query = ""): Promise<void> {
  await page.goto(`${suite.server.url}/plans/${planId}${query}`);
  await page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();
  await page.locator(".plan-section .ProseMirror").first().waitFor();
}

const firstSection = (page: Page) => page.locator(".plan-section .ProseMirror").first();

/** Selects the first occurrence of `text` in the first section, as a mouse drag would. */
async function selectText(page: Page, text: string): Promise<void> {
  await firstSection(page).evaluate((root, wanted) => {
    if (root.getAttribute("contenteditable") === "true") (root as HTMLElement).focus();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = document.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the section`);
  }, text);
}

/** The text a thread's highlight covers in a page (a highlight may be split across several spans). */
async function highlighted(page: Page, threadId: string): Promise<string> {
  const parts = await firstSection(page).locator(`[data-comment-thread="${threadId}"]`).allInnerTexts();
  return parts.join("");
}

async function newestThreadId(page: Page): Promise<string> {
  const id = await page.locator("#comments-panel .comment-thread").last().getAttribute("data-thread-id");
  if (!id) throw new Error("no thread in the panel");
  return id;
}

it("a planner comments a sentence and mentions a colleague, who is told live, lands on it, replies; the anchor survives concurrent edits", async () => {
  const db = suite.server.db;
  const lina = await makeMember(db, { role: "planner", name: "李娜" });
  const chen = await makeMember(db, { role: "planner", name: "陈晨" });
  const planId = await makePlan(db, lina.id, "2027 端午节酒店促销");
  await addToPlan(db, planId, chen.id, "edit", lina.id);

  const A = await signIn(lina);
  const B = await signIn(chen);
  await openPlan(A.page, planId);
  await firstSection(A.page).click();
  await A.page.keyboard.press("Control+End");
  await A.page.keyboard.type(`开场。${SENTENCE}结束。`);
  // 陈晨 waits on another page with the bell in the top bar.
  await B.page.goto(`${suite.server.url}/plans`);
  const bell = B.page.locator("header.topbar button.bell-button[data-notification-count]");
  await bell.waitFor();
  const before = Number((await bell.getAttribute("data-notification-count")) ?? "0");

  await selectText(A.page, SENTENCE);
  const bubble = A.page.locator(".comment-bubble__button");
  await bubble.waitFor();
  await bubble.click();
  const composer = A.page.locator("#comments-panel .comments-panel__new textarea");
  await composer.waitFor();
  await expect.poll(() => A.page.locator("#comments-panel .comments-panel__new blockquote").innerText()).toBe(SENTENCE);
  await composer.pressSequentially("请确认折扣 @陈");
  await A.page.locator('#comments-panel [role="option"]', { hasText: "陈晨" }).click();
  await composer.pressSequentially("看一下");
  await A.page.locator("#comments-panel .comments-panel__new button[type='submit']").click();
  await A.page.locator("#comments-panel .comment-thread[data-status='open']").waitFor();
  const threadId = await newestThreadId(A.page);
  await expect.poll(() => highlighted(A.page, threadId)).toBe(SENTENCE);
  await expect.poll(() => A.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment__body`).first().innerText()).toContain("@陈晨");
  await expect.poll(() => A.page.locator(".comments-toggle").getAttribute("data-comments-count")).toBe("1");

  // Her bell counts the mention without a reload.
  await expect.poll(() => bell.getAttribute("data-notification-count"), { timeout: 15_000 }).toBe(String(before + 1));

  // A third client types before the sentence and inside it, over the websocket.
  const third = await openSynced(suite.server.url, chen, planId);
  try {
    const doc = third.state.doc;
    const sectionId = readPlanDoc(doc).sections[0]!.id;
    const paragraph = sectionFragment(doc, sectionId)
      .toArray()
      .flatMap((node) => (node instanceof Y.XmlElement ? node.toArray() : []))
      .find((node): node is Y.XmlText => node instanceof Y.XmlText && (node.toString() as string).includes(SENTENCE));
    if (!paragraph) throw new Error("the sentence is not in the document");
    const at = (paragraph.toString() as string).indexOf(SENTENCE);
    doc.transact(() => {
      paragraph.insert(at + 6, "（会员专享）");
      paragraph.insert(at, "【新】");
    });
    await expect.poll(() => firstSection(A.page).innerText()).toContain("开场。【新】端午家庭套餐（会员专享）限时八折优惠。结束。");
    await expect.poll(() => highlighted(A.page, threadId)).toBe("端午家庭套餐（会员专享）限时八折优惠。");
  } finally {
    third.destroy();
  }

  // The notification takes 陈晨 to the plan with the thread open and its text highlighted.
  await bell.click();
  await B.page.locator('.notification-panel li[data-kind="mentioned"] button.notification-link').first().click();
  await B.page.waitForURL(new RegExp(`/plans/${planId}\\?thread=${threadId}`));
  await B.page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();
  const active = B.page.locator(`#comments-panel .comment-thread--active[data-thread-id="${threadId}"]`);
  await active.waitFor();
  await expect.poll(() => B.page.locator(`.comment-anchor--active[data-comment-thread="${threadId}"]`).count()).toBeGreaterThan(0);
  await expect.poll(() => highlighted(B.page, threadId)).toBe("端午家庭套餐（会员专享）限时八折优惠。");

  await active.locator("textarea").pressSequentially("会员价已确认，没问题");
  await active.locator("button[type='submit']", { hasText: "回复" }).click();
  // 李娜's panel shows the reply live, and she resolves the thread.
  const thread = A.page.locator(`#comments-panel [data-thread-id="${threadId}"]`);
  await expect.poll(() => thread.locator(".comment").count()).toBe(2);
  await expect.poll(() => thread.locator(".comment").nth(1).innerText()).toContain("会员价已确认，没问题");
  await thread.locator("button", { hasText: "解决" }).click();
  await expect.poll(() => A.page.locator(".comments-toggle").getAttribute("data-comments-count")).toBe("0");
  await expect.poll(() => A.page.locator("#comments-tab-resolved").innerText()).toBe("已解决（1）");
  // 陈晨 sees it resolved too.
  await expect.poll(() => B.page.locator("#comments-tab-resolved").innerText()).toBe("已解决（1）");
  await expect.poll(() => B.page.locator("#comments-tab-open").innerText()).toBe("未解决（0）");

  A.check();
  B.check();
  await A.context.close();
  await B.context.close();
}, 150_000);

it("a read-only viewer can select text and comment but not edit; the owner can turn viewer comments off; an admin can delete a comment", async () => {
  const db = suite.server.db;
  const lina = await makeMember(db, { role: "planner", name: "李娜" });
  const zheng = await makeMember(db, { role: "viewer", name: "郑洁" });
  const planId = await makePlan(db, lina.id, "2027 中秋门店活动");
  await addToPlan(db, planId, zheng.id, "view", lina.id);

  const A = await signIn(lina);
  await openPlan(A.page, planId);
  await firstSection(A.page).click();
  await A.page.keyboard.press("Control+End");
  await A.page.keyboard.type("中秋月饼礼盒买一送一。");

  const V = await signIn(zheng);
  await openPlan(V.page, planId);
  await expect.poll(() => firstSection(V.page).innerText()).toContain("中秋月饼礼盒买一送一。");
  expect(await firstSection(V.page).getAttribute("contenteditable")).toBe("false");

  await selectText(V.page, "月饼礼盒");
  await V.page.locator(".comment-bubble__button").click();
  const composer = V.page.locator("#comments-panel .comments-panel__new textarea");
  await composer.pressSequentially("礼盒库存够吗？");
  await V.page.locator("#comments-panel .comments-panel__new button[type='submit']").click();
  await V.page.locator("#comments-panel .comment-thread").waitFor();
  const threadId = await newestThreadId(V.page);
  await expect.poll(() => highlighted(V.page, threadId)).toBe("月饼礼盒");
  // The owner sees the viewer's comment live; the text itself is untouched.
  await A.page.locator(".comments-toggle").click();
  await expect.poll(() => A.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment__body`).innerText()).toContain("礼盒库存够吗？");
  await expect.poll(() => highlighted(A.page, threadId)).toBe("月饼礼盒");
  await firstSection(V.page).click();
  await V.page.keyboard.type("不该出现");
  expect(await firstSection(A.page).innerText()).not.toContain("不该出现");

  // The owner turns viewer comments off: the viewer may read but no longer write.
  await A.page.locator("#comments-panel .comments-panel__setting input[type='checkbox']").uncheck();
  await expect.poll(() => A.page.locator("#comments-panel .comments-panel__setting input[type='checkbox']").isChecked()).toBe(false);
  await V.page.reload();
  await V.page.locator(".connection[data-status='connected'][data-synced='true']").waitFor();
  await V.page.locator(".comments-toggle").click();
  await V.page.locator("#comments-panel .comments-panel__note").waitFor();
  expect(await V.page.locator(`#comments-panel [data-thread-id="${threadId}"] textarea`).count()).toBe(0);
  expect(await V.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment__body`).innerText()).toContain("礼盒库存够吗？");

  // 李娜 replies; an admin moderates: deletes the viewer's comment (never edits it), and everyone sees 此评论已删除 in its place.
  const ownerThread = A.page.locator(`#comments-panel [data-thread-id="${threadId}"]`);
  await ownerThread.locator("textarea").pressSequentially("库存充足");
  await ownerThread.locator("button[type='submit']", { hasText: "回复" }).click();
  await expect.poll(() => V.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment`).count()).toBe(2);
  const admin = await makeMember(db, { role: "admin", name: "王磊" });
  const M = await signIn(admin);
  await openPlan(M.page, planId);
  await M.page.locator(".comments-toggle").click();
  const moderated = M.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment`).first();
  expect(await moderated.locator("button", { hasText: "编辑" }).count()).toBe(0);
  await moderated.locator("button", { hasText: "删除" }).click();
  await M.page.locator("dialog.app-dialog[open] [data-dialog-confirm]").click();
  await expect.poll(() => V.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment__body`).first().innerText()).toBe("此评论已删除");
  expect(await V.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment__body`).nth(1).innerText()).toContain("库存充足");
  await expect.poll(() => moderated.innerText()).toContain("此评论已删除");

  A.check();
  V.check();
  M.check();
  await A.context.close();
  await V.context.close();
  await M.context.close();
}, 120_000);

it("a budget line carries its own threads: the row button and the outline count them, and a removed row leaves them readable under 原文已删除", async () => {
  const db = suite.server.db;
  const lina = await makeMember(db, { role: "planner", name: "李娜" });
  const planId = await makePlan(db, lina.id, "2027 端午节酒店促销");
  const writer = await openSynced(suite.server.url, lina, planId);
  try {
    const lineId = insertRow(writer.state.doc, ROOT.budget, { ...blankRow(ROOT.budget, "2027-06-01"), category: "物料", item: "粽子礼盒", quantityHundredths: 10_000, unit: "盒", unitPriceFen: 8_800 });
    const budgetSection = readPlanDoc(writer.state.doc).sections.find((s) => s.kind === "budget")!.id;
    const A = await signIn(lina);
    // A link to a section (a mention in the text) scrolls it into view.
    await openPlan(A.page, planId, `?section=${budgetSection}`);
    const inView = () => A.page.locator(`#section-${budgetSection}`).evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < window.innerHeight);
    await expect.poll(inView).toBe(true);
    const rowButton = A.page.locator(`button[data-comment-anchor="budgetLine:${lineId}"]`);
    await rowButton.click();
    await expect.poll(() => A.page.locator("#comments-panel .comments-panel__filter").innerText()).toContain("只看：预算行「粽子礼盒」");
    await A.page.locator("#comments-panel .comments-panel__new textarea").pressSequentially("单价偏高，能再谈吗？");
    await A.page.locator("#comments-panel .comments-panel__new button[type='submit']").click();
    await A.page.locator("#comments-panel .comment-thread").waitFor();
    const threadId = await newestThreadId(A.page);
    await expect.poll(() => rowButton.getAttribute("data-comment-count")).toBe("1");
    const outlineEntry = A.page.locator(".outline li", { has: A.page.locator(`a[href="#section-${budgetSection}"]`) });
    await expect.poll(() => outlineEntry.locator("[data-outline-comments]").getAttribute("data-outline-comments")).toBe("1");

    // Another client removes the line: the thread stays, under 原文已删除, and no longer counts.
    removeRow(writer.state.doc, ROOT.budget, lineId);
    await expect.poll(() => A.page.locator(`#comments-panel .comments-orphaned [data-thread-id="${threadId}"]`).count()).toBe(1);
    await expect.poll(() => A.page.locator(`#comments-panel [data-thread-id="${threadId}"] .comment__body`).innerText()).toContain("单价偏高，能再谈吗？");
    await expect.poll(() => rowButton.count()).toBe(0);
    await expect.poll(() => outlineEntry.locator("[data-outline-comments]").count()).toBe(0);
    await expect.poll(() => A.page.locator(".comments-toggle").getAttribute("data-comments-count")).toBe("1");

    // A side panel on a desktop, a full-width sheet on a phone; Escape closes it and gives focus back to the toggle.
    const panelWidth = async () => (await A.page.locator("#comments-panel").boundingBox())?.width ?? 0;
    expect(await panelWidth()).toBe(380);
    await A.page.setViewportSize({ width: 600, height: 800 });
    await expect.poll(panelWidth).toBeGreaterThan(560);
    await A.page.locator("#comments-tab-open").focus();
    await A.page.keyboard.press("ArrowRight");
    await expect.poll(() => A.page.locator("#comments-tab-resolved").getAttribute("aria-selected")).toBe("true");
    await A.page.keyboard.press("Escape");
    await expect.poll(() => A.page.locator("#comments-panel").count()).toBe(0);
    expect(await A.page.evaluate(() => document.activeElement?.classList.contains("comments-toggle"))).toBe(true);
    A.check();
    await A.context.close();
  } finally {
    writer.destroy();
  }
});

it("an approver comments on a line of the approval diff; the planner finds the thread on the plan", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "陈晨" });
  const approvers = {
    finance: await makeMember(db, { role: "finance", title: "finance", name: "钱芳" }),
    gm: await makeMember(db, { role: "manager", title: "gm", name: "郑总" }),
    chairman: await makeMember(db, { role: "manager", title: "chairman", name: "王董" }),
  };
  const line = { ...blankRow(ROOT.budget, "2027-09-01"), quantityHundredths: 100 };
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 中秋晚会", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [{ ...line, category: "场地布置", item: "舞台及灯光音响", unit: "项", unitPriceFen: 8_000_000 }] } },
  );
  const submit = async () => {
    expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    return db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirstOrThrow();
  };
  const first = await submit();
  for (const step of await db.selectFrom("approval_steps").selectAll().where("revision_id", "=", first.id).orderBy("step_index").execute()) {
    const approver = approvers[step.title as keyof typeof approvers];
    expect((await (await as(approver)).post(`/approvals/${first.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" })).status).toBe(302);
  }
  expect((await (await as(planner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: "舞台加宽" })).status).toBe(200);
  const writer = await openSynced(suite.server.url, planner, planId);
  let lineId: string;
  try {
    lineId = readBlock(writer.state.doc, "budget").rows[0]!.id;
    updateRow(writer.state.doc, "budget", lineId, { unitPriceFen: 9_000_000 });
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await suite.server.collab.documentState(planId));
      return readBlock(doc, "budget").rows[0]!.unitPriceFen === 9_000_000;
    }, "the edit reached the server");
  } finally {
    writer.destroy();
  }
  const second = await submit();

  const F = await signIn(approvers.finance);
  await F.page.goto(`${suite.server.url}/approvals/${second.id}`);
  const button = F.page.locator(`.approval-diff button[data-comment-anchor="diffLine:${second.id}:${lineId}"]`);
  await button.click();
  await expect.poll(() => F.page.locator("#comments-panel .comments-panel__filter").innerText()).toContain("只看：审批差异行「舞台及灯光音响」");
  await F.page.locator("#comments-panel .comments-panel__new textarea").pressSequentially("单价涨了一万，请补充报价单");
  await F.page.locator("#comments-panel .comments-panel__new button[type='submit']").click();
  await F.page.locator("#comments-panel .comment-thread").waitFor();
  const threadId = await newestThreadId(F.page);
  await expect.poll(() => button.getAttribute("data-comment-count")).toBe("1");

  const P = await signIn(planner);
  await openPlan(P.page, planId, `?thread=${threadId}`);
  const thread = P.page.locator(`#comments-panel .comment-thread--active[data-thread-id="${threadId}"]`);
  await thread.waitFor();
  expect(await thread.getAttribute("data-orphaned")).toBe("false");
  expect(await thread.locator(".comment__body").innerText()).toContain("单价涨了一万，请补充报价单");
  F.check();
  P.check();
  await F.context.close();
  await P.context.close();
}, 120_000);

it("a comment written while offline is held with its text and a notice, and sent once the network is back", async () => {
  const db = suite.server.db;
  const lina = await makeMember(db, { role: "planner", name: "李娜" });
  const planId = await makePlan(db, lina.id, "2027 端午节酒店促销");
  const writer = await openSynced(suite.server.url, lina, planId);
  try {
    const lineId = insertRow(writer.state.doc, ROOT.budget, { ...blankRow(ROOT.budget, "2027-06-01"), category: "物料", item: "粽子礼盒", quantityHundredths: 10_000, unit: "盒", unitPriceFen: 8_800 });
    const A = await signIn(lina);
    await openPlan(A.page, planId);
    await A.page.locator(`button[data-comment-anchor="budgetLine:${lineId}"]`).click();
    const composer = A.page.locator("#comments-panel .comments-panel__new");
    await composer.locator("textarea").pressSequentially("离线时写的意见");

    await A.context.setOffline(true);
    await composer.locator("[data-comments-offline]").waitFor();
    expect(await composer.locator("button[type='submit']").isDisabled()).toBe(true);
    // Ctrl+Enter is held too: nothing leaves, the page stays, the text stays.
    await composer.locator("textarea").press("Control+Enter");
    expect(await composer.locator("textarea").inputValue()).toBe("离线时写的意见");
    expect(await A.page.locator(".plan-section").count()).toBeGreaterThan(0);

    await A.context.setOffline(false);
    await expect.poll(() => composer.locator("[data-comments-offline]").count()).toBe(0);
    await composer.locator("button[type='submit']").click();
    await A.page.locator("#comments-panel .comment-thread .comment__body", { hasText: "离线时写的意见" }).waitFor();
    A.check();
    await A.context.close();
  } finally {
    writer.destroy();
  }
});
