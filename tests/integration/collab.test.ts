import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadStoredDocument } from "../../db/queries/documents";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import type { PlanSession } from "~/collab/plan-session";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan, makePlan } from "../support/plans";
import { collabUrl, openPlan, rawSocket, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

let server: TestServer;
let owner: MadeMember;
let editor: MadeMember;
let viewer: MadeMember;
let outsider: MadeMember;
const sessions: PlanSession[] = [];

async function signedIn(member: MadeMember): Promise<HttpClient> {
  const client = new HttpClient(server.url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  return client;
}

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = openPlan(await signedIn(member), planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, `${member.username} synced`);
  return session;
}

function typeInto(session: PlanSession, sectionIndex: number, text: string): void {
  const doc = session.state.doc;
  const section = readPlanDoc(doc).sections[sectionIndex]!;
  const fragment = sectionFragment(doc, section.id);
  doc.transact(() => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    fragment.insert(fragment.length, [paragraph]);
  });
}

function textOf(doc: Y.Doc, sectionIndex: number): string {
  const section = readPlanDoc(doc).sections[sectionIndex]!;
  return sectionFragment(doc, section.id).toString();
}

/** Resolves when the collaboration server reports `event` for this plan. */
function roomEvent(event: "roomLoaded" | "roomUnloaded", planId: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (id: string) => {
      if (id !== planId) return;
      server.collab.events.off(event, listener);
      resolve();
    };
    server.collab.events.on(event, listener);
  });
}

async function serverDoc(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  return doc;
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  outsider = await makeMember(server.db, { role: "planner", name: "路人" });
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(() => server.close());

describe("co-editing a plan", () => {
  it("converges two editors' concurrent edits, and a late joiner gets the same state", async () => {
    const planId = await makePlan(server.db, owner.id);
    await addToPlan(server.db, planId, editor.id, "edit", owner.id);
    const a = await open(owner, planId);
    const b = await open(editor, planId);
    typeInto(a, 0, "端午节是家庭消费高峰。");
    typeInto(b, 0, "酒店推出粽子礼盒。");
    b.state.doc.getArray("budget").push([new Y.Map(Object.entries({ id: "l1", item: "DM 单页", qty: 5000 }))]);
    await waitUntil(() => textOf(a.state.doc, 0) === textOf(b.state.doc, 0) && a.state.doc.getArray("budget").length === 1, "a and b converge");
    expect(textOf(a.state.doc, 0)).toContain("端午节是家庭消费高峰。");
    expect(textOf(a.state.doc, 0)).toContain("酒店推出粽子礼盒。");

    const late = await open(owner, planId);
    expect(Y.encodeStateAsUpdate(late.state.doc)).toEqual(Y.encodeStateAsUpdate(a.state.doc));
    expect(late.state.doc.getArray("budget").toJSON()).toEqual([{ id: "l1", item: "DM 单页", qty: 5000 }]);
  });

  it("never applies, stores or relays a viewer's update, and brings the viewer back to the server's state", async () => {
    const planId = await makePlan(server.db, owner.id);
    await addToPlan(server.db, planId, viewer.id, "view", owner.id);
    const a = await open(owner, planId);
    const v = await open(viewer, planId);
    const storedBefore = await loadStoredDocument(server.db, planId);
    const viewerDoc = v.state.doc;
    typeInto(v, 0, "只读用户的修改");
    await waitUntil(() => v.state.doc !== viewerDoc && v.state.synced, "viewer resynced with a fresh document");
    expect(v.state.resyncedReason).toContain("readOnly");
    expect(textOf(v.state.doc, 0)).not.toContain("只读用户的修改");
    typeInto(a, 0, "负责人继续编辑");
    await waitUntil(() => textOf(v.state.doc, 0).includes("负责人继续编辑"), "viewer still receives edits");
    expect(textOf(a.state.doc, 0)).not.toContain("只读用户的修改");
    expect(textOf(await serverDoc(planId), 0)).not.toContain("只读用户的修改");
    const storedAfter = await loadStoredDocument(server.db, planId);
    for (const { data } of storedAfter.updates.slice(storedBefore.updates.length)) {
      const probe = await serverDoc(planId);
      Y.applyUpdate(probe, data);
      expect(textOf(probe, 0)).not.toContain("只读用户的修改");
    }
  });

  it("refuses an update written under another member's Yjs client id", async () => {
    const planId = await makePlan(server.db, owner.id);
    await addToPlan(server.db, planId, editor.id, "edit", owner.id);
    const a = await open(owner, planId);
    typeInto(a, 0, "李娜的第一句");
    const b = await open(editor, planId);
    await waitUntil(() => textOf(b.state.doc, 0).includes("李娜的第一句"), "b has a's text");
    // B clones the document and writes as if it were A's client.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(b.state.doc));
    // Set after loading: Yjs picks a new id when remote changes arrive under its own.
    forged.clientID = a.state.doc.clientID;
    const before = Y.encodeStateVector(forged);
    forged.getMap("meta").set("title", "冒名修改");
    const bDoc = b.state.doc;
    b.state.provider.ws?.send(syncUpdateFrame(Y.encodeStateAsUpdate(forged, before)));
    await waitUntil(() => b.state.doc !== bDoc && b.state.synced, "forger resynced");
    expect(b.state.resyncedReason).toContain("another member");
    typeInto(a, 0, "李娜的第二句");
    await waitUntil(() => textOf(b.state.doc, 0).includes("李娜的第二句"), "a's own edits still flow");
    expect((await serverDoc(planId)).getMap("meta").get("title")).toBe("2027 端午节酒店促销");
  });

  it("unloads a document after its last client leaves", async () => {
    const planId = await makePlan(server.db, owner.id);
    // Waits on this plan's own room: the count of all rooms also moves as earlier tests' rooms unload.
    const loaded = roomEvent("roomLoaded", planId);
    const a = await open(owner, planId);
    await loaded;
    typeInto(a, 1, "离开前写下的内容");
    const unloaded = roomEvent("roomUnloaded", planId);
    sessions.splice(sessions.indexOf(a), 1);
    a.destroy();
    await unloaded;
    expect(textOf(await serverDoc(planId), 1)).toContain("离开前写下的内容");
  });
});

describe("who may connect", () => {
  it("closes a socket without a session cookie with 4401", async () => {
    const planId = await makePlan(server.db, owner.id);
    const { closed } = await rawSocket(`${collabUrl(server.url)}/${planId}`, { origin: server.url });
    expect((await closed).code).toBe(4401);
  });

  it("refuses a foreign Origin before upgrading", async () => {
    const planId = await makePlan(server.db, owner.id);
    const client = await signedIn(owner);
    await expect(rawSocket(`${collabUrl(server.url)}/${planId}`, { cookie: client.cookieHeader, origin: "https://evil.example" })).rejects.toThrow(
      "HTTP 403",
    );
  });

  it("closes a non-member's socket with 4403", async () => {
    const planId = await makePlan(server.db, owner.id);
    const client = await signedIn(outsider);
    const { closed } = await rawSocket(`${collabUrl(server.url)}/${planId}`, { cookie: client.cookieHeader, origin: server.url });
    expect((await closed).code).toBe(4403);
  });

  it("closes a removed member's socket within a second, and lets them back in only as allowed", async () => {
    const planId = await makePlan(server.db, owner.id);
    await addToPlan(server.db, planId, editor.id, "edit", owner.id);
    const ownerClient = await signedIn(owner);
    const b = await open(editor, planId);
    const removedAt = Date.now();
    const response = await ownerClient.post(`/plans/${planId}`, { intent: "removeMember", userId: String(editor.id) });
    expect(response.status).toBe(200);
    await waitUntil(() => b.state.status === "closed", "removed member's socket closed", 1000);
    expect(Date.now() - removedAt).toBeLessThan(1000);
    expect(b.state.closedCode).toBe(4403);
  });

  it("closes a deactivated member's sockets", async () => {
    const admin = await makeMember(server.db, { role: "admin" });
    const target = await makeMember(server.db, { role: "planner" });
    const planId = await makePlan(server.db, target.id);
    const session = await open(target, planId);
    const adminClient = await signedIn(admin);
    await adminClient.post(`/admin/members/${target.id}`, { intent: "deactivate" });
    await waitUntil(() => session.state.status === "closed", "deactivated member's socket closed");
    expect([4401, 4403]).toContain(session.state.closedCode);
  });
});

describe("bad frames", () => {
  it("closes only the offending socket on text, garbage, truncated and oversized frames", async () => {
    const planId = await makePlan(server.db, owner.id);
    await addToPlan(server.db, planId, editor.id, "edit", owner.id);
    const a = await open(owner, planId);
    const b = await open(editor, planId);
    const client = await signedIn(owner);
    const url = `${collabUrl(server.url)}/${planId}`;
    const headers = { cookie: client.cookieHeader, origin: server.url };
    const frames: Array<[string, (s: import("ws").WebSocket) => void, number]> = [
      ["text", (s) => s.send("hello"), 4400],
      ["garbage", (s) => s.send(Buffer.from([0, 1, 255, 255, 255, 255, 255, 255])), 4400],
      ["truncated update", (s) => s.send(Buffer.from([0, 2, 50, 1, 2, 3])), 4400],
      ["unknown type", (s) => s.send(Buffer.from([9])), 4400],
      ["oversized", (s) => s.send(Buffer.alloc(3 * 1024 * 1024, 1)), 4413],
    ];
    for (const [name, sendBad, code] of frames) {
      const { socket, closed } = await rawSocket(url, headers);
      sendBad(socket);
      expect((await closed).code, name).toBe(code);
      typeInto(a, 2, `仍可编辑-${name}`);
      await waitUntil(() => textOf(b.state.doc, 2).includes(`仍可编辑-${name}`), `edits flow after ${name}`);
    }
    expect(a.state.status).toBe("connected");
    expect(b.state.status).toBe("connected");
  });
});
