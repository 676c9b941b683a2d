import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { expect, it } from "vitest";
import { updateUser } from "../../db/queries/users";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";
import { makePlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

/** Width and height from a PNG's IHDR chunk: the bytes a launcher reads, not the file name. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The worker is active and serves this page: a page that loaded while it was still installing is reloaded. */
async function workerReady(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

it("the manifest makes the app installable: fields, PNG icons of the sizes they claim, no installability errors", async () => {
  const planner = await makeMember(suite.server.db, { role: "planner" });
  // A profile on disk: Chromium never offers to install from an incognito context, which newContext() is.
  const profile = await mkdtemp(path.join(tmpdir(), "campaigndesk-pwa-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
    viewport: { width: 390, height: 844 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/dashboard`);
  await workerReady(page);

  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  expect(await page.locator('meta[name="theme-color"]').getAttribute("content")).toBe("#c8102e");
  expect(await page.locator('link[rel="apple-touch-icon"]').getAttribute("href")).toBe("/icons/apple-touch-icon.png");

  const response = await fetch(`${suite.server.url}${href}`);
  expect(response.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
  const manifest = (await response.json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    lang: string;
    theme_color: string;
    background_color: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };
  expect(manifest).toMatchObject({
    name: "活动策划台 CampaignDesk",
    short_name: "策划台",
    start_url: "/dashboard",
    display: "standalone",
    lang: "zh-CN",
    theme_color: "#c8102e",
    background_color: "#f5f6f7",
  });
  for (const [size, purpose] of [["192x192", "any"], ["512x512", "any"], ["192x192", "maskable"], ["512x512", "maskable"]]) {
    expect(manifest.icons).toContainEqual(expect.objectContaining({ sizes: size, purpose, type: "image/png" }));
  }
  expect(manifest.icons).toContainEqual(expect.objectContaining({ type: "image/svg+xml", sizes: "any" }));
  const appleIcon = { src: "/icons/apple-touch-icon.png", sizes: "180x180", type: "image/png" };
  for (const icon of [...manifest.icons, appleIcon]) {
    const file = await fetch(`${suite.server.url}${icon.src}`);
    expect(file.status, icon.src).toBe(200);
    expect(file.headers.get("content-type")).toContain(icon.type);
    if (icon.type === "image/png") {
      const { width, height } = pngSize(Buffer.from(await file.arrayBuffer()));
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
  }

  // What Chromium itself concludes: the manifest parses without errors and nothing blocks installing.
  const cdp = await context.newCDPSession(page);
  const parsed = (await cdp.send("Page.getAppManifest")) as { url: string; errors: { message: string; critical: number }[] };
  expect(parsed.url).toBe(`${suite.server.url}/manifest.webmanifest`);
  expect(parsed.errors).toEqual([]);
  const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
  expect(installabilityErrors).toEqual([]);

  check();
  await context.close();
  await rm(profile, { recursive: true, force: true });
});

it("offline, a page never kept shows the offline page (Chinese and English) instead of the browser's error", async () => {
  const planner = await makeMember(suite.server.db, { role: "planner" });
  const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);
  await page.goto(`${suite.server.url}/dashboard`);
  await workerReady(page);

  await context.setOffline(true);
  const response = await page.goto(`${suite.server.url}/calendar`);
  expect(response?.fromServiceWorker()).toBe(true);
  await page.locator("[data-offline-page]").waitFor();
  const text = await page.locator("main").innerText();
  expect(text).toContain("当前没有网络连接");
  expect(text).toContain("You are offline");
  expect(await page.title()).toBe("离线 · 活动策划台 / Offline · CampaignDesk");

  // Back online, the same address is the real page again.
  await context.setOffline(false);
  await page.locator("a.button").first().click();
  await page.locator("header.topbar").waitFor();
  expect(page.url()).toBe(`${suite.server.url}/calendar`);

  check();
  await context.close();
});

it("page titles follow the member's language and name the plan", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner" });
  const planId = await makePlan(db, planner.id, "2027 中秋会员营销");
  const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const check = watchPageErrors(page);
  await logIn(page, suite.server.url, planner.username, planner.password);

  await page.goto(`${suite.server.url}/plans`);
  expect(await page.title()).toBe("计划 · 活动策划台");
  await page.goto(`${suite.server.url}/plans/${planId}/history`);
  expect(await page.title()).toBe("历史版本 · 2027 中秋会员营销 · 活动策划台");

  await updateUser(db, planner.id, { locale: "en" }, Date.now());
  await page.goto(`${suite.server.url}/plans`);
  expect(await page.title()).toBe("Plans · CampaignDesk");
  await page.goto(`${suite.server.url}/plans/${planId}`);
  expect(await page.title()).toBe("2027 中秋会员营销 · CampaignDesk");
  // A client-side navigation retitles too.
  await page.locator(`header.topbar a[href="/calendar"]`).first().click();
  await expect.poll(() => page.title()).toBe("Calendar · CampaignDesk");

  check();
  await context.close();
});
