import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { WebSocket as NodeWebSocket, WebSocketServer } from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PlanSession } from "~/collab/plan-session";
import { CloseCode } from "~/domain/collab-codes";
import { blankRow, insertRows, readBlock } from "~/domain/plan-document";
import { applyPaste, type NewBudgetLine } from "~/blocks/budget-grid";
import { CollabServer } from "../../server/collab/collab-server";
import { makeMember, type MadeMember } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { makePlan } from "../support/plans";
import { collabUrl, openSynced, waitUntil, webSocketFor } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: MadeMember;
const sessions: PlanSession[] = [];
const sockets: NodeWebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  for (const socket of sockets.splice(0)) socket.close();
  // Every test starts with no socket counted, so a leaked place shows up as a refusal.
  await connectionsSettle(server.collab, 0);
});
afterAll(() => server.close());

async function cookieOf(member: MadeMember, baseUrl = server.url): Promise<string> {
  const client = new HttpClient(baseUrl);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  return client.cookieHeader;
}

type Outcome = { accepted: true; socket: NodeWebSocket } | { accepted: false; code: number; reason: string };

/** A raw socket, settled by the server: accepted (it sends sync step 1 after joining) or closed with a code. */
function connect(url: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new NodeWebSocket(url, { headers });
    sockets.push(socket);
    socket.once("message", () => resolve({ accepted: true, socket }));
    socket.once("close", (code, reason) => resolve({ accepted: false, code, reason: reason.toString() }));
    socket.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.on("error", reject);
  });
}

function codesOf(outcomes: Outcome[]): number[] {
  return outcomes.flatMap((outcome) => (outcome.accepted ? [] : [outcome.code]));
}

function acceptedOf(outcomes: Outcome[]): NodeWebSocket[] {
  return outcomes.flatMap((outcome) => (outcome.accepted ? [outcome.socket] : []));
}

/** Resolves once the server counts exactly `count` sockets; counts only fall as sockets close. */
function connectionsSettle(collab: CollabServer, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (collab.connectionCount !== count) return;
      collab.events.off("connectionReleased", check);
      resolve();
    };
    collab.events.on("connectionReleased", check);
    check();
  });
}

function closed(session: PlanSession): Promise<number | null> {
  return new Promise((resolve) => {
    const check = () => {
      if (session.state.status !== "closed") return;
      unsubscribe();
      resolve(session.state.closedCode);
    };
    const unsubscribe = session.subscribe(check);
    check();
  });
}

function newLines(count: number): NewBudgetLine[] {
  return Array.from({ length: count }, (_, i) => ({
    ...blankRow("budget", "2027-05-01"),
    category: "物料制作",
    item: `门店海报 第${i + 1}张`,
    quantityHundredths: 100,
    unit: "张",
    unitPriceFen: 4_500,
    note: "按门店清单分发",
  }));
}

/** A PlanSession whose sockets are counted, to tell one connection from a reconnect loop. */
function countedSession(cookieClient: HttpClient, planId: string, serverUrl = collabUrl(server.url)): { session: PlanSession; opened: () => number } {
  let opened = 0;
  const Base = webSocketFor(cookieClient) as unknown as typeof NodeWebSocket;
  class Counted extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      opened += 1;
    }
  }
  const session = new PlanSession({ serverUrl, planId, WebSocketPolyfill: Counted as unknown as typeof WebSocket });
  sessions.push(session);
  return { session, opened: () => opened };
}

async function signedIn(member: MadeMember): Promise<HttpClient> {
  const client = new HttpClient(server.url);
  expect((await client.login(member.username, member.password)).status).toBe(302);
  return client;
}

describe("big changes", () => {
  it("stores all 15,000 lines of a paste, written in batches under the message limit", async () => {
    const planId = await makePlan(server.db, owner.id);
    const session = await openSynced(server.url, owner, planId, 20_000);
    sessions.push(session);
    const doc = session.state.doc;
    const before = readBlock(doc, "budget").rows.length;
    const sizes: number[] = [];
    doc.on("update", (update: Uint8Array) => sizes.push(update.length));
    applyPaste(doc, { updates: [], newLines: newLines(15_000) }, before);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(512 * 1024);

    const fresh = await openSynced(server.url, owner, planId, 60_000);
    sessions.push(fresh);
    await waitUntil(() => fresh.state.doc.getArray("budget").length === before + 15_000, "a fresh copy has every pasted line", 60_000);
    expect(session.state.status).toBe("connected");
    const rows = readBlock(fresh.state.doc, "budget").rows;
    expect(rows[before]?.item).toBe("门店海报 第1张");
    expect(rows[before + 14_999]?.item).toBe("门店海报 第15000张");
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await server.collab.documentState(planId, { stored: true }));
    expect(readBlock(stored, "budget").rows).toHaveLength(before + 15_000);
  });

  it("refuses a single change over the limit with 4413, and the client stops instead of reconnecting", async () => {
    const planId = await makePlan(server.db, owner.id);
    const { session, opened } = countedSession(await signedIn(owner), planId);
    await waitUntil(() => session.state.synced, "synced", 20_000);
    const before = readBlock(session.state.doc, "budget").rows.length;
    insertRows(session.state.doc, "budget", newLines(15_000));
    expect(await closed(session)).toBe(CloseCode.tooLarge);
    // y-websocket schedules no further attempt once reconnecting is off.
    expect(session.state.provider.shouldConnect).toBe(false);
    expect(opened()).toBe(1);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await server.collab.documentState(planId, { stored: true }));
    expect(readBlock(stored, "budget").rows).toHaveLength(before);
  });

  it("answers a 3 MB frame with 4413 and a reason, and cuts one past the hard limit", async () => {
    const planId = await makePlan(server.db, owner.id);
    const headers = { cookie: await cookieOf(owner), origin: server.url };
    const url = `${collabUrl(server.url)}/${planId}`;
    const over = await connect(url, headers);
    if (!over.accepted) throw new Error(`refused with ${over.code}`);
    const overClosed = new Promise<[number, string]>((resolve) => over.socket.once("close", (code, reason) => resolve([code, reason.toString()])));
    over.socket.send(Buffer.alloc(3 * 1024 * 1024, 1));
    expect(await overClosed).toEqual([CloseCode.tooLarge, "message over 2 MB"]);

    const huge = await connect(url, headers);
    if (!huge.accepted) throw new Error(`refused with ${huge.code}`);
    const hugeClosed = new Promise<number>((resolve) => huge.socket.once("close", (code) => resolve(code)));
    huge.socket.send(Buffer.alloc(9 * 1024 * 1024, 1));
    expect(await hugeClosed).toBe(1009);
  });
});

describe("connection caps", () => {
  it("keeps exactly 20 of 30 parallel sockets of one member, refuses the rest with 4429, and takes new ones after some close", async () => {
    const planId = await makePlan(server.db, owner.id);
    const headers = { cookie: await cookieOf(owner), origin: server.url };
    const url = `${collabUrl(server.url)}/${planId}`;
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => connect(url, headers)));
    const accepted = acceptedOf(outcomes);
    expect(accepted).toHaveLength(20);
    expect(codesOf(outcomes)).toEqual(Array(10).fill(CloseCode.tooManyConnections));

    // The member's browser gets the code and stops, with a banner, instead of retrying.
    const { session, opened } = countedSession(await signedIn(owner), planId);
    expect(await closed(session)).toBe(CloseCode.tooManyConnections);
    expect(session.state.provider.shouldConnect).toBe(false);
    expect(opened()).toBe(1);

    await connectionsSettle(server.collab, 20);
    for (const socket of accepted.slice(0, 5)) socket.close();
    await connectionsSettle(server.collab, 15);
    const again = await Promise.all(Array.from({ length: 5 }, () => connect(url, headers)));
    expect(acceptedOf(again)).toHaveLength(5);
  });
});

describe("connection caps, per address and overall", () => {
  let collab: CollabServer;
  let http: Server;
  let url: string;
  let members: MadeMember[];

  beforeAll(async () => {
    members = await Promise.all(Array.from({ length: 4 }, () => makeMember(server.db, { role: "planner" })));
    collab = new CollabServer({
      db: server.db,
      allowedOrigins: () => [server.url],
      log: () => undefined,
      maxConnections: 4,
      maxConnectionsPerIp: 3,
      maxConnectionsPerMember: 2,
      // As behind a trusted proxy: the address the proxy reports.
      clientIp: (request) => String(request.headers["x-forwarded-for"] ?? "unknown"),
    });
    http = createServer();
    http.on("upgrade", (request, socket, head) => collab.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab`;
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await connectionsSettle(collab, 0);
  });
  afterAll(async () => {
    await collab.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it("gives every place back when a socket is refused for its session, its access or a document that fails to load", async () => {
    const [a, b, c] = members as [MadeMember, MadeMember, MadeMember];
    const [planA, planB, planC, broken] = await Promise.all([makePlan(server.db, a.id), makePlan(server.db, b.id), makePlan(server.db, c.id), makePlan(server.db, b.id)]);
    await server.db
      .insertInto("doc_updates")
      .values({ plan_id: broken, data: new Uint8Array([1, 1, 200, 7, 0, 4, 9, 9, 9]), user_id: null, created_at: Date.now() })
      .execute();
    const from = (ip: string, cookie?: string) => ({ origin: server.url, "x-forwarded-for": ip, ...(cookie && { cookie }) });
    const [cookieB, cookieC] = await Promise.all([cookieOf(b), cookieOf(c)]);
    const twice = (planId: string, headers: Record<string, string>) => Promise.all([1, 2].map(() => connect(`${url}/${planId}`, headers)));

    // Each refusal fills the address's or the member's cap; a place not given back would refuse the next wave.
    expect(codesOf(await Promise.all([1, 2, 3].map(() => connect(`${url}/${planA}`, from("10.0.0.1")))))).toEqual([4401, 4401, 4401]);
    await connectionsSettle(collab, 0);
    expect(codesOf(await twice(broken, from("10.0.0.1", cookieB)))).toEqual([CloseCode.loadFailed, CloseCode.loadFailed]);
    await connectionsSettle(collab, 0);
    expect(codesOf(await twice(planA, from("10.0.0.1", cookieC)))).toEqual([CloseCode.forbidden, CloseCode.forbidden]);
    await connectionsSettle(collab, 0);

    expect(acceptedOf(await twice(planB, from("10.0.0.1", cookieB)))).toHaveLength(2);
    expect(acceptedOf(await twice(planC, from("10.0.0.2", cookieC)))).toHaveLength(2);
    expect(codesOf([await connect(`${url}/${planB}`, from("10.0.0.3", cookieB))])).toEqual([CloseCode.tooManyConnections]);
  });

  it("caps sockets per address and overall", async () => {
    const [a, b, c, d] = members as [MadeMember, MadeMember, MadeMember, MadeMember];
    const planIds = await Promise.all([a, b, c, d].map((member) => makePlan(server.db, member.id)));
    const [cookieA, cookieB, cookieC, cookieD] = (await Promise.all([a, b, c, d].map((member) => cookieOf(member)))) as [string, string, string, string];
    const open = (planIndex: number, ip: string, cookie: string) => connect(`${url}/${planIds[planIndex]}`, { origin: server.url, "x-forwarded-for": ip, cookie });

    const sameAddress = await Promise.all([open(0, "10.0.1.1", cookieA), open(0, "10.0.1.1", cookieA), open(1, "10.0.1.1", cookieB), open(1, "10.0.1.1", cookieB)]);
    expect(acceptedOf(sameAddress)).toHaveLength(3);
    expect(codesOf(sameAddress)).toEqual([CloseCode.tooManyConnections]);

    const elsewhere = await open(2, "10.0.1.2", cookieC);
    expect(elsewhere.accepted).toBe(true);
    const overall = await open(3, "10.0.1.3", cookieD);
    expect(codesOf([overall])).toEqual([CloseCode.tooManyConnections]);
  });
});

describe("a connection that keeps failing right after it opens", () => {
  it("stops reconnecting after a few quick failures and says the connection is closed", async () => {
    // A server that syncs each connection and then drops it: y-websocket's own back-off restarts on every sync.
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    let connections = 0;
    wss.on("connection", (socket) => {
      connections += 1;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep2(encoder, new Y.Doc());
      socket.send(encoding.toUint8Array(encoder));
      socket.close(1011, "internal error");
    });
    try {
      await new Promise<void>((resolve) => wss.once("listening", resolve));
      const port = (wss.address() as AddressInfo).port;
      const { session, opened } = countedSession(new HttpClient(server.url), "p-unstable", `ws://127.0.0.1:${port}/collab`);
      expect(await closed(session)).toBe(1011);
      expect(session.state.provider.shouldConnect).toBe(false);
      expect(opened()).toBe(5);
      expect(connections).toBe(5);
    } finally {
      for (const session of sessions.splice(0)) session.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
