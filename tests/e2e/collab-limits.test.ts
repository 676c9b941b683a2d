import { once } from "node:events";
import { WebSocket as NodeWebSocket } from "ws";
import { expect, it } from "vitest";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { collabUrl } from "../support/collab-client";
import { makeMember } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { makePlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

it("tells a member with the plan open in too many windows why syncing stopped, and does not retry", async () => {
  const member = await makeMember(suite.server.db, { role: "planner", name: "李娜" });
  const planId = await makePlan(suite.server.db, member.id);
  // The member's other windows: 20 sockets, the per-member cap, from another session of theirs.
  const client = new HttpClient(suite.server.url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  const others = await Promise.all(
    Array.from(
      { length: 20 },
      () =>
        new Promise<NodeWebSocket>((resolve, reject) => {
          const socket = new NodeWebSocket(`${collabUrl(suite.server.url)}/${planId}`, { headers: { cookie: client.cookieHeader, origin: suite.server.url } });
          socket.once("message", () => resolve(socket));
          socket.once("close", (code) => reject(new Error(`socket closed with ${code}`)));
        }),
    ),
  );

  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const check = watchPageErrors(page);
    let opened = 0;
    page.on("websocket", (socket) => {
      if (socket.url().includes("/collab/")) opened += 1;
    });
    await logIn(page, suite.server.url, member.username, member.password);
    await page.goto(`${suite.server.url}/plans/${planId}`);
    await page.locator(".connection[data-status='closed']").waitFor();
    await expect.poll(() => page.locator(".plan-workspace [role='alert']").innerText()).toContain("你同时打开此方案的窗口太多");
    expect(opened).toBe(1);
    // Closing the other windows does not make this page reconnect on its own: it says to reload.
    for (const socket of others) socket.close();
    const collab = suite.server.collab;
    while (collab.connectionCount > 0) await once(collab.events, "connectionReleased");
    await page.reload();
    await page.locator(".connection[data-status='connected']").waitFor();
    expect(await page.locator(".plan-workspace [role='alert']").count()).toBe(0);
    check();
  } finally {
    await context.close();
    for (const socket of others) socket.terminate();
  }
});
