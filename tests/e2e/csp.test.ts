import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { browserSuite, logIn } from "../support/browser";
import { HttpClient } from "../support/http-client";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";

const suite = browserSuite();

/**
 * Every page of the app, loaded in real Chromium under the Content-Security-Policy the
 * server sends, reports no violation: the policy is strict and the app still works.
 */

interface BuiltRoute {
  path?: string;
  parentId?: string;
  index?: boolean;
  module: { default?: unknown };
}

async function pagePatterns(): Promise<string[]> {
  const build = (await import("../../build/index.js")) as { routes: Record<string, BuiltRoute> };
  const full = (id: string): string => {
    const route = build.routes[id]!;
    const own = route.path ?? "";
    const parent = route.parentId ? full(route.parentId) : "";
    return `${parent.replace(/\/$/, "")}/${own}`.replace(/\/+/g, "/");
  };
  return Object.entries(build.routes)
    .filter(([id, route]) => id !== "root" && route.module.default && (route.path !== undefined || route.index))
    .map(([id]) => full(id).replace(/\/$/, "") || "/");
}

async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return violations;
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // Plan pages load their editor client-side and open the collaboration socket.
  if ((await page.locator(".connection").count()) > 0) {
    await page.locator('.connection[data-synced="true"]').first().waitFor({ timeout: 30_000 });
  }
}

describe("the Content-Security-Policy", () => {
  it("holds on every page, for a signed-out visitor and for an admin", async () => {
    const { server, browser } = suite;
    const planId = (await server.db.selectFrom("plans").select("id").orderBy("created_at").executeTakeFirstOrThrow()).id;
    const member = (await server.db.selectFrom("users").select("id").where("username", "=", "planner").executeTakeFirstOrThrow()).id;

    // A revision in review, so the approval page has something to show.
    const planner = new HttpClient(server.url);
    await planner.login("planner", DEMO_PASSWORD);
    const stage = { ...blankRow("budget", "2027-10-01"), category: "活动物料", item: "舞台搭建", quantityHundredths: 100, unit: "项", unitPriceFen: 800_000 };
    const submittedPlan = await createPlan(
      server.db,
      member,
      { title: "2027 国庆门店促销", campaignType: "holiday", startDate: "2027-10-01", endDate: "2027-10-07", store: "南京西路店" },
      { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [stage] } },
    );
    const submitted = await planner.post(`/plans/${submittedPlan}/approval`, { intent: "submit" });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    const revisionId = (await server.db.selectFrom("budget_revisions").select("id").where("plan_id", "=", submittedPlan).executeTakeFirstOrThrow()).id;

    // A named version of the submitted plan, so its history pages have something to show.
    const named = await planner.post(`/plans/${submittedPlan}/history`, { intent: "name", name: "CSP 检查" });
    expect(named.status, await named.clone().text()).toBeLessThan(400);
    const versionId = (await server.db.selectFrom("plan_versions").select("id").where("plan_id", "=", submittedPlan).orderBy("id", "desc").executeTakeFirstOrThrow()).id;

    const params: Record<string, string> = { planId, revisionId: String(revisionId), memberId: String(member), area: "no-such-area", versionId: String(versionId) };
    const patterns = await pagePatterns();
    const urls = patterns
      .filter((pattern) => !pattern.includes("$jobId"))
      .map((pattern) =>
        pattern.replace(/:(\w+)/g, (_, name: string) => {
          const value = params[name];
          if (value === undefined) throw new Error(`no value for :${name} in ${pattern}: add it to this test`);
          return value;
        }),
      );
    expect(urls.length).toBeGreaterThanOrEqual(20);

    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchViolations(page);

    await page.goto(`${server.url}/login`);
    await settle(page);
    await page.goto(`${server.url}/no-such-page`);
    await settle(page);

    await logIn(page, server.url, "admin", DEMO_PASSWORD);
    const visited: string[] = [];
    for (const url of urls) {
      if (url === "/login") continue;
      await page.goto(`${server.url}${url}`);
      await settle(page);
      visited.push(url);
    }
    // A client-side navigation, too: the nonce'd scripts keep working after hydration.
    await page.goto(`${server.url}/dashboard`);
    await page.locator("nav.main-nav a[href='/plans']").click();
    await page.waitForURL(`${server.url}/plans`);
    await settle(page);

    expect(visited).toContain(`/plans/${planId}`);
    // The offline service worker registered under the policy (worker-src 'self') and runs.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(`${server.url}/sw.js`);
    expect(violations).toEqual([]);
    await context.close();
  });
});
