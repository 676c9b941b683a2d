import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { loadStoredDocument } from "../../db/queries/documents";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import type { PlanSession } from "~/collab/plan-session";
import { freshDbPath } from "../support/db";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";
import { collabUrl, openPlan, rawSocket, waitUntil } from "../support/collab-client";
import { startTestServer } from "../support/server";

const children: ChildProcess[] = [];
const sessions: PlanSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

async function prepare(dbPath: string) {
  const db = createDb(dbPath);
  await migrateToLatest(db);
  const a = await makeMember(db, { role: "planner" });
  const b = await makeMember(db, { role: "planner" });
  const planId = await makePlan(db, a.id);
  await addToPlan(db, planId, b.id, "edit", a.id);
  await db.destroy();
  return { a, b, planId };
}

function startChild(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: dbPath, SEED_DEMO: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function join(url: string, member: MadeMember, planId: string): Promise<PlanSession> {
  const client = new HttpClient(url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  const session = openPlan(client, planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, "synced");
  return session;
}

function write(session: PlanSession, text: string): void {
  const doc = session.state.doc;
  const fragment = sectionFragment(doc, readPlanDoc(doc).sections[0]!.id);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

const text = (session: PlanSession) => sectionFragment(session.state.doc, readPlanDoc(session.state.doc).sections[0]!.id).toString();

describe("durability", () => {
  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    it(`keeps every edit a peer received across ${signal}`, async () => {
      const dbPath = freshDbPath();
      const { a, b, planId } = await prepare(dbPath);
      const first = await startChild(dbPath);
      const sa = await join(first.url, a, planId);
      const sb = await join(first.url, b, planId);
      const seen: string[] = [];
      for (let i = 0; i < 20; i++) {
        const from = i % 2 === 0 ? sa : sb;
        const to = i % 2 === 0 ? sb : sa;
        write(from, `第${i}条`);
        await waitUntil(() => text(to).includes(`第${i}条`), `edit ${i} reached the peer`);
        seen.push(`第${i}条`);
      }
      const exited = new Promise((resolve) => first.child.on("exit", resolve));
      first.child.kill(signal);
      await exited;
      for (const s of sessions.splice(0)) s.destroy();

      const second = await startChild(dbPath);
      const sc = await join(second.url, a, planId);
      for (const edit of seen) expect(text(sc)).toContain(edit);
    });
  }
});

describe("a document that fails to load", () => {
  it("tells the client and leaves the stored bytes exactly as they were", async () => {
    const server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 50 } });
    try {
      const owner = await makeMember(server.db, { role: "planner" });
      const planId = await makePlan(server.db, owner.id);
      await server.db
        .insertInto("doc_updates")
        .values({ plan_id: planId, data: new Uint8Array([1, 1, 200, 7, 0, 4, 9, 9, 9]), user_id: null, created_at: Date.now() })
        .execute();
      const before = await loadStoredDocument(server.db, planId);
      const client = new HttpClient(server.url);
      await client.login(owner.username, owner.password);
      const { closed } = await rawSocket(`${collabUrl(server.url)}/${planId}`, { cookie: client.cookieHeader, origin: server.url });
      const result = await closed;
      expect(result.code).toBe(4500);
      expect(result.reason).toBe("the document could not be loaded");
      // The server is done with the connection once its place under the caps is given back.
      if (server.collab.connectionCount > 0) await once(server.collab.events, "connectionReleased");
      expect(server.collab.connectionCount).toBe(0);
      expect(await loadStoredDocument(server.db, planId)).toEqual(before);
      expect(server.loggedErrors.length).toBeGreaterThan(0);
      const page = await client.get(`/plans/${planId}`);
      expect(page.status).toBe(500);
      expect(await page.text()).not.toMatch(/DocumentLoadError|at .*\.ts:\d+/);
    } finally {
      await server.close();
    }
  });
});
