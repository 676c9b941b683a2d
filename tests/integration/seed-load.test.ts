import { execFile } from "node:child_process";
import * as Y from "yjs";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PlanSession } from "~/collab/plan-session";
import { HttpClient } from "../support/http-client";
import { webSocketFor, waitUntil } from "../support/collab-client";
import { freshDbPath } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const dbPath = freshDbPath();
let output: { wsUrlPrefix: string; origin: string; planIds: string[]; members: { username: string; cookie: string }[] };

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/seed-load.ts", "--db", dbPath, "--users", "3", "--plans", "2", "--url", "http://127.0.0.1:1"]);
  output = JSON.parse(stdout) as typeof output;
  server = await startTestServer({ dbPath, seedDemo: false });
});
afterAll(() => server.close());

it("prints members and plans that connect through the real auth path", async () => {
  expect(output.planIds).toHaveLength(2);
  expect(output.members).toHaveLength(3);
  expect(output.wsUrlPrefix).toBe("ws://127.0.0.1:1/collab");
  const client = new HttpClient(server.url);
  const [name, value] = output.members[2]!.cookie.split("=");
  client.cookies.set(name!, value!);
  const session = new PlanSession({
    serverUrl: `${server.url.replace(/^http/, "ws")}/collab`,
    planId: output.planIds[1]!,
    WebSocketPolyfill: webSocketFor(client),
  });
  try {
    await waitUntil(() => session.state.synced, "load member synced");
    session.state.doc.getMap("meta").set("store", "压测门店");
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await server.collab.documentState(output.planIds[1]!));
      return doc.getMap("meta").get("store") === "压测门店";
    }, "the load member's edit reached the server");
  } finally {
    session.destroy();
  }
});
