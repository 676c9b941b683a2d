import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { launchBrowser } from "./chromium";
import { startTestServer, type TestServer } from "./server";

export { launchBrowser };

export async function logIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator(".login-card button.primary").click();
  await page.locator("header.topbar .user-name").waitFor();
}

export async function logOut(page: Page): Promise<void> {
  await page.locator("header form[action='/logout'] button").click();
  await page.locator(".login-card").waitFor();
}

/**
 * Fails the test on any uncaught page error or console error in the browser. A refused
 * request the test provokes on purpose (400/401/403/409/429) is the app working, not an error,
 * and so is a request the browser could not send because the test took the network away.
 */
export function watchPageErrors(page: Page): () => void {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    const expected = /Failed to load resource: (.* status of (400|401|403|409|429)\b|net::ERR_INTERNET_DISCONNECTED)/.test(message.text());
    if (message.type() === "error" && !expected) problems.push(`console: ${message.text()}`);
  });
  return () => expect(problems).toEqual([]);
}

/** Starts a real server and Chromium for a test file, and stops both after it. */
export function browserSuite(options: { seedDemo?: boolean } = {}): { server: TestServer; browser: Browser } {
  const suite = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    [suite.server, suite.browser] = await Promise.all([startTestServer(options), launchBrowser()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
