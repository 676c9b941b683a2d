import { WebSocket as NodeWebSocket } from "ws";
import { PlanSession } from "~/collab/plan-session";
import { HttpClient } from "./http-client";

/** A `ws` WebSocket class that sends a member's cookies (and an Origin) like a browser would. */
export function webSocketFor(client: HttpClient, origin: string | null = client.baseUrl): typeof WebSocket {
  const headers: Record<string, string> = { cookie: client.cookieHeader };
  if (origin !== null) headers.origin = origin;
  class MemberWebSocket extends NodeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  return MemberWebSocket as unknown as typeof WebSocket;
}

export function collabUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, "ws")}/collab`;
}

/** A real y-websocket client (through PlanSession) signed in as the HttpClient's member. */
export function openPlan(client: HttpClient, planId: string): PlanSession {
  return new PlanSession({ serverUrl: collabUrl(client.baseUrl), planId, WebSocketPolyfill: webSocketFor(client) });
}

/** Signs the member in and opens the plan through a real y-websocket client; resolves once it has synced. */
export async function openSynced(baseUrl: string, member: { username: string; password: string }, planId: string, timeoutMs = 20_000): Promise<PlanSession> {
  const client = new HttpClient(baseUrl);
  const response = await client.login(member.username, member.password);
  if (response.status !== 302) throw new Error(`${member.username} could not sign in (HTTP ${response.status})`);
  const session = openPlan(client, planId);
  try {
    await waitUntil(() => session.state.synced, `${member.username} synced`, timeoutMs);
  } catch (error) {
    session.destroy();
    throw error;
  }
  return session;
}

// The default deadline is generous: on a busy machine (2 cores, load 6–8) a sync can take seconds.
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** Opens a raw socket and resolves with its close code (or the HTTP refusal). */
export function rawSocket(url: string, headers: Record<string, string>): Promise<{ socket: NodeWebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const socket = new NodeWebSocket(url, { headers });
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      socket.on("close", (code, reason) => done({ code, reason: reason.toString() }));
    });
    socket.on("open", () => resolve({ socket, closed }));
    socket.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on("error", reject);
  });
}
