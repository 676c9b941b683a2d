import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { CloseCode } from "~/domain/collab-codes";
import { OfflineCopy, canKeepOfflineCopies, offlineCopyName } from "./offline-copy";
import { listenForRefusals, type Refusal } from "./refusal-notice";

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
  /** The last part of an edit the server refused and reverted while keeping the rest (a locked budget). */
  refusal: Refusal | null;
  /** Local changes the server has not received yet; kept with the offline copy across reloads. */
  pendingChanges: number;
}

export interface PlanSessionOptions {
  /** ws(s)://host/collab */
  serverUrl: string;
  planId: string;
  /** Node clients pass `ws` (with cookie headers); browsers use the global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  /** The signed-in member: browsers then keep the plan in IndexedDB under their name and can reload it offline. */
  memberId?: number;
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
 * in the local document and merge on reconnect. A write to a locked budget is reverted by the
 * server, which says so (`refusal`); the rest of the edit stays. When the server refuses an
 * update outright (4409: a viewer's write, a forged one) the local document cannot keep it,
 * so the session drops that document and starts a fresh one from the server's state;
 * listeners get the new `doc`.
 */
export class PlanSession {
  #state: PlanSessionState;
  #listeners = new Set<(state: PlanSessionState) => void>();
  #destroyed = false;
  #copy: OfflineCopy | null = null;
  /** The current document's offline copy has loaded (or there is none): the socket may connect. */
  #started = false;

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
    if (this.#state.closedCode === null && this.#started) this.#state.provider.connect();
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

  #connect(resyncedReason: string | null, previousCopyGone: Promise<void> = Promise.resolve()): PlanSessionState {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(this.options.serverUrl, this.options.planId, doc, {
      // #start connects once the offline copy is in the document.
      connect: false,
      disableBc: true,
      maxBackoffTime: 5000,
      // y-websocket's rule (4400–4499 are decisions reconnecting cannot fix) plus 1009.
      shouldReconnect: (event) => !(event.code >= 4400 && event.code < 4500) && event.code !== MESSAGE_TOO_BIG,
      ...(this.options.WebSocketPolyfill && { WebSocketPolyfill: this.options.WebSocketPolyfill }),
    });
    listenForRefusals(provider, (refusal) => {
      if (this.#state.provider === provider) this.#emit({ refusal: { ...refusal, seq: (this.#state.refusal?.seq ?? 0) + 1 } });
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
      if (this.#state.provider !== provider) return;
      if (synced) this.#copy?.markServerSynced();
      this.#emit(synced ? { synced, ready: true } : { synced });
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
        // The stored copy holds the refused change too: it goes with the document.
        const copyGone = this.#copy?.discard().catch((error: unknown) => console.warn("offline copy: could not delete a refused copy", error));
        provider.destroy();
        doc.destroy();
        // The server's close frame says why it refused the update.
        const next = this.#connect(reason || "refused", copyGone);
        this.#emit(next);
        return;
      }
      this.#emit({ status: "closed", closedCode: code === MESSAGE_TOO_BIG ? CloseCode.tooLarge : code });
    });
    this.#started = false;
    void this.#start(provider, doc, previousCopyGone);
    return {
      doc,
      provider,
      status: isOnline() ? "connecting" : "offline",
      synced: false,
      ready: false,
      closedCode: null,
      accessChanges: this.#state?.accessChanges ?? 0,
      resyncedReason,
      refusal: this.#state?.refusal ?? null,
      pendingChanges: 0,
    };
  }

  /**
   * Loads the offline copy into the document before the socket connects, so the sync sends
   * the server only what it lacks (the offline edits). A copy that was synced once makes the
   * document ready at once: it can be shown and edited with no network.
   */
  async #start(provider: WebsocketProvider, doc: Y.Doc, previousCopyGone: Promise<void>): Promise<void> {
    // Also lets #connect return first: the provider's events need the session's state.
    await previousCopyGone;
    if (this.#state.provider !== provider || this.#destroyed) return;
    const { memberId, planId } = this.options;
    if (memberId !== undefined && canKeepOfflineCopies()) {
      const copy = new OfflineCopy(offlineCopyName(memberId, planId), doc, () => provider.wsconnected && provider.synced);
      this.#copy = copy;
      copy.onPending((pendingChanges) => {
        if (this.#copy === copy) this.#emit({ pendingChanges });
      });
      const { hasServerState } = await copy.load();
      if (this.#state.provider !== provider || this.#destroyed) return;
      if (hasServerState) this.#emit({ ready: true, pendingChanges: copy.pending });
    }
    this.#started = true;
    if (isOnline()) provider.connect();
  }

  destroy(): void {
    this.#destroyed = true;
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", this.#goOffline);
      window.removeEventListener("online", this.#goOnline);
    }
    this.#copy?.destroy();
    this.#state.provider.destroy();
    this.#state.doc.destroy();
    this.#listeners.clear();
  }
}

function isOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}
