import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { browserSuite, logIn } from "../support/browser";

/**
 * Every page at a phone, a tablet and a desktop width, as each role: the page never scrolls
 * sideways (a wide table scrolls inside its own box), and no header, nav or heading text is
 * squeezed to one character per line. The screenshots are kept under test-results/ for CI.
 */

const suite = browserSuite({ seedDemo: true });

const WIDTHS = [
  { name: "phone", width: 390, height: 844, touch: true },
  { name: "tablet", width: 820, height: 1180, touch: true },
  { name: "desktop", width: 1440, height: 900, touch: false },
] as const;
const ROLES = ["admin", "planner", "finance", "manager", "viewer"] as const;
const SHOTS = path.resolve("test-results/responsive");

async function demoRoutes(): Promise<string[]> {
  const db = suite.server.db;
  const plan = async (title: string) => (await db.selectFrom("plans").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
  const [inReview, approved] = await Promise.all([plan("2027 端午门店促销"), plan("2027 春节年货节")]);
  const revision = await db.selectFrom("budget_revisions").select("id").where("plan_id", "=", inReview).where("status", "=", "pending").executeTakeFirstOrThrow();
  const version = await db.selectFrom("plan_versions").select("id").where("plan_id", "=", approved).orderBy("id", "desc").executeTakeFirstOrThrow();
  const member = await db.selectFrom("users").select("id").where("username", "=", "planner").executeTakeFirstOrThrow();
  return [
    "/dashboard",
    "/plans",
    "/plans/new",
    `/plans/${inReview}`,
    `/plans/${approved}`,
    `/plans/${approved}/actuals`,
    `/plans/${approved}/actuals/import`,
    `/plans/${inReview}/approval`,
    `/plans/${approved}/history`,
    `/plans/${approved}/history/${version.id}`,
    `/plans/${approved}/save-template`,
    "/approvals",
    `/approvals/${revision.id}`,
    "/finance",
    "/calendar",
    "/tasks",
    "/notifications",
    "/settings/notifications",
    "/admin",
    "/admin/members",
    "/admin/members/new",
    `/admin/members/${member.id}`,
    "/admin/authority",
    "/admin/templates",
    "/admin/holidays",
    "/admin/notifications",
    "/admin/audit",
  ];
}

/** What is wrong with the page as laid out: sideways overflow, and text squeezed one character per line. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const scroller = document.scrollingElement ?? document.documentElement;
    if (scroller.scrollWidth > window.innerWidth) problems.push(`page is ${scroller.scrollWidth}px wide`);
    const roots = document.querySelectorAll("header, nav, h1, .plan-header, .page-header, th, button, .button, .status, .badge");
    const walker = (root: Node) => document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (const root of Array.from(roots)) {
      const texts = walker(root);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        const chars = Array.from((node.textContent ?? "").replace(/\s/g, ""));
        if (chars.length < 2) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
        if (tops.size >= 2 && tops.size >= chars.length) problems.push(`"${chars.join("")}" is one character per line`);
      }
    }
    return problems;
  });
}

async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

const fileName = (route: string) => route.replace(/^\//, "").replace(/[/?=&]/g, "_") || "root";

for (const size of WIDTHS) {
  it(`every page fits ${size.width}×${size.height} for every role`, { timeout: 600_000 }, async () => {
    const routes = await demoRoutes();
    const problems: string[] = [];
    const dir = path.join(SHOTS, size.name);
    mkdirSync(dir, { recursive: true });
    // Not `isMobile`: a mobile viewport zooms out to fit a page that overflows, which would hide the very overflow we look for.
    const contextOptions = { viewport: { width: size.width, height: size.height }, hasTouch: size.touch };

    const anonymous = await suite.browser.newContext(contextOptions);
    const loginPage = await anonymous.newPage();
    await visit(loginPage, `${suite.server.url}/login`);
    problems.push(...(await layoutProblems(loginPage)).map((problem) => `anonymous /login: ${problem}`));
    await loginPage.screenshot({ path: path.join(dir, "anonymous-login.jpg"), fullPage: true, type: "jpeg", quality: 70 });
    await anonymous.close();

    for (const role of ROLES) {
      const context = await suite.browser.newContext(contextOptions);
      const page = await context.newPage();
      await logIn(page, suite.server.url, role, DEMO_PASSWORD);
      for (const route of routes) {
        await visit(page, `${suite.server.url}${route}`);
        problems.push(...(await layoutProblems(page)).map((problem) => `${role} ${route}: ${problem}`));
        await page.screenshot({ path: path.join(dir, `${role}-${fileName(route)}.jpg`), fullPage: true, type: "jpeg", quality: 70 });
      }
      await context.close();
    }
    writeFileSync(path.join(dir, "problems.txt"), problems.join("\n"));
    expect(problems).toEqual([]);
  });
}
