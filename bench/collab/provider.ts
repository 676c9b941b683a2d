import type * as Y from "yjs";
import { WebSocket as NodeWebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";

export interface Endpoint {
  /** ws://…/collab */
  serverUrl: string;
  room: string;
  origin: string;
  /** `name=value`, or "" for the reference server, which has no accounts. */
  cookie: string;
}

/**
 * A real y-websocket provider for `doc` that connects like a browser does (Origin and
 * session cookie), and a promise of its first sync.
 */
export function openProvider(endpoint: Endpoint, doc: Y.Doc, timeoutMs = 60_000): { provider: WebsocketProvider; synced: Promise<void> } {
  const headers: Record<string, string> = { origin: endpoint.origin };
  if (endpoint.cookie) headers.cookie = endpoint.cookie;
  class BenchWebSocket extends NodeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const provider = new WebsocketProvider(endpoint.serverUrl, endpoint.room, doc, {
    WebSocketPolyfill: BenchWebSocket as unknown as typeof WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${endpoint.room} did not sync within ${timeoutMs / 1000} s`)), timeoutMs);
    provider.once("sync", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { provider, synced };
}
