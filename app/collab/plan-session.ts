import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { CloseCode } from "~/domain/collab-codes";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline" | "closed";

export interface PlanSessionState {
  doc: Y.Doc;
  provider: WebsocketProvider;
  status: ConnectionStatus;
  synced: boolean;
  /** The current document has synced at least once: it can be shown and edited, also offline. */
  ready: boolean;
  /** Why syncing stopped for good (4401, 4403, 4413, 4429, 4400, or the last code of a connection that kept failing), if it did. */
  closedCode: number | null;
  /** Bumped when the server said this member's access changed (4205): the page reloads its data. */
  accessChanges: number;
  /** The reason of the last refused update, after which the document was rebuilt from the server. */
  resyncedReason: string | null;
}

export interface PlanSessionOptions {
  /** ws(s)://host/collab */
  serverUrl: string;
  planId: string;
  /** Node clients pass `ws` (with cookie headers); browsers use the global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
}

/** ws cuts a frame beyond its hard limit with 1009: the same change would be resent on every reconnect. */
const MESSAGE_TOO_BIG = 1009;
/** A connection that closes this soon after opening failed rather than ended. */
const QUICK_FAILURE_MS = 10_000;
/** This many quick failures in a row and the session stops: reconnecting is evidently not helping. */
const MAX_QUICK_FAILURES = 5;

/** Closes that are not failures: the server going down, or asking the client to reconnect. */
const EXPECTED_CLOSES: ReadonlySet<number> = new Set([CloseCode.goingAway, CloseCode.accessChanged]);

/**
 * A plan document kept in sync with the collaboration server. Edits made while offline stay
 * in the local document and merge on reconnect. When the server refuses an update (4409) the
 * local document cannot keep it, so the session drops that document and starts a fresh one
 * from the server's state; listeners get the new `doc`.
 */
export class PlanSession {
  #state: PlanSessionState;
  #listeners = new Set<(state: PlanSessionState) => void>();
  #destroyed = false;

  constructor(private readonly options: PlanSessionOptions) {
    this.#state = this.#connect(null);
    if (typeof window !== "undefined") {
      window.addEventListener("offline", this.#goOffline);
      window.addEventListener("online", this.#goOnline);
    }
  }

  // Without a network the socket would only time out slowly; edits keep going into the local
  // document meanwhile and are merged as soon as the browser is back online.
  readonly #goOffline = () => {
    this.#state.provider.disconnect();
    this.#emit({ status: "offline" });
  };

  readonly #goOnline = () => {
    if (this.#state.closedCode === null) this.#state.provider.connect();
  };

  get state(): PlanSessionState {
    return this.#state;
  }

  subscribe(listener: (state: PlanSessionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(patch: Partial<PlanSessionState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }

  #connect(resyncedReason: string | null): PlanSessionState {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(this.options.serverUrl, this.options.planId, doc, {
      disableBc: true,
      maxBackoffTime: 5000,
      // y-websocket's rule (4400–4499 are decisions reconnecting cannot fix) plus 1009.
      shouldReconnect: (event) => !(event.code >= 4400 && event.code < 4500) && event.code !== MESSAGE_TOO_BIG,
      ...(this.options.WebSocketPolyfill && { WebSocketPolyfill: this.options.WebSocketPolyfill }),
    });
    let everConnected = false;
    let openedAt = 0;
    let quickFailures = 0;
    provider.on("status", ({ status }) => {
      if (this.#state.provider !== provider) return;
      if (status === "connected") {
        everConnected = true;
        openedAt = Date.now();
      }
      const mapped: ConnectionStatus =
        status === "connected" ? "connected" : !isOnline() ? "offline" : everConnected ? "reconnecting" : "connecting";
      this.#emit({ status: mapped });
    });
    provider.on("sync", (synced: boolean) => {
      if (this.#state.provider === provider) this.#emit(synced ? { synced, ready: true } : { synced });
    });
    provider.on("connection-close", (event) => {
      if (this.#state.provider !== provider || !event) return;
      if (event.code === CloseCode.accessChanged) this.#emit({ accessChanges: this.#state.accessChanges + 1 });
      // y-websocket restarts its back-off whenever a connection syncs, so a server that accepts,
      // syncs and then drops every connection would be reconnected to several times a second.
      // Only connections that opened count; the back-off already slows attempts that never do.
      if (openedAt === 0 || !provider.shouldConnect || !provider.shouldReconnect(event, provider) || EXPECTED_CLOSES.has(event.code)) return;
      quickFailures = Date.now() - openedAt < QUICK_FAILURE_MS ? quickFailures + 1 : 0;
      openedAt = 0;
      if (quickFailures < MAX_QUICK_FAILURES) return;
      // After the provider has finished handling this close; it must not be handled twice.
      queueMicrotask(() => {
        provider.disconnect();
        if (this.#state.provider === provider && !this.#destroyed) this.#emit({ status: "closed", closedCode: event.code });
      });
    });
    provider.on("closed", ({ code, reason }: { code: number; reason: string }) => {
      if (this.#state.provider !== provider || this.#destroyed) return;
      if (code === CloseCode.updateRefused) {
        provider.destroy();
        doc.destroy();
        // The server's close frame says why it refused the update.
        const next = this.#connect(reason || "refused");
        this.#emit(next);
        return;
      }
      this.#emit({ status: "closed", closedCode: code === MESSAGE_TOO_BIG ? CloseCode.tooLarge : code });
    });
    return {
      doc,
      provider,
      status: "connecting",
      synced: false,
      ready: false,
      closedCode: null,
      accessChanges: this.#state?.accessChanges ?? 0,
      resyncedReason,
    };
  }

  destroy(): void {
    this.#destroyed = true;
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", this.#goOffline);
      window.removeEventListener("online", this.#goOnline);
    }
    this.#state.provider.destroy();
    this.#state.doc.destroy();
    this.#listeners.clear();
  }
}

function isOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}
