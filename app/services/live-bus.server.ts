/**
 * In-process pub/sub and the server-sent-event streams that carry it to browsers.
 *
 * The state lives on globalThis, not in module variables, because one process holds two
 * copies of this module (the server runs the bundled build/index.js; server/, scripts and
 * tests import the source) and a publish from either copy must reach streams opened by the other.
 */

type Listener = (data: unknown) => void;

interface OpenStream {
  /** What a stream belongs to (the server's Db handle), so one server's shutdown closes only its own streams. */
  scope: object;
  memberId: number;
  sessionIdHash: string;
  close: () => void;
}

interface BusState {
  topics: Map<string, Set<Listener>>;
  streams: Set<OpenStream>;
}

const BUS = Symbol.for("campaigndesk.liveBus");
const holder = globalThis as { [BUS]?: BusState };
const state: BusState = (holder[BUS] ??= { topics: new Map(), streams: new Set() });

export function subscribe(topic: string, listener: Listener): () => void {
  let listeners = state.topics.get(topic);
  if (!listeners) {
    listeners = new Set();
    state.topics.set(topic, listeners);
  }
  listeners.add(listener);
  return () => {
    const current = state.topics.get(topic);
    if (!current) return;
    current.delete(listener);
    if (current.size === 0) state.topics.delete(topic);
  };
}

export function publish(topic: string, data: unknown): void {
  const listeners = state.topics.get(topic);
  if (!listeners) return;
  for (const listener of [...listeners]) {
    try {
      listener(data);
    } catch (error) {
      console.error(`live bus listener for ${topic} failed`, error);
    }
  }
}

export const STREAMS_PER_MEMBER = 5;
export const STREAMS_OVERALL = 2000;
export const HEARTBEAT_MS = 25_000;

export interface SseEvent {
  event: string;
  data: unknown;
}

export interface EventStreamOptions {
  scope: object;
  memberId: number;
  sessionIdHash: string;
  /** Sent first; null sends nothing. */
  onOpen?: () => Promise<SseEvent | null>;
  /** Turns a publish on one of the topics into the event to send; publishes arriving while one is being turned are coalesced. */
  onPublish: (data: unknown) => Promise<SseEvent | null>;
  /** Asked at every heartbeat: false (the session ended or expired, the member lost access) closes the stream. */
  stillAllowed?: () => Promise<boolean>;
  heartbeatMs?: number;
  limits?: { perMember: number; overall: number };
}

function countStreams(scope: object, memberId: number): { mine: number; all: number } {
  let mine = 0;
  let all = 0;
  for (const stream of state.streams) {
    if (stream.scope !== scope) continue;
    all += 1;
    if (stream.memberId === memberId) mine += 1;
  }
  return { mine, all };
}

const encoder = new TextEncoder();

function frame(event: SseEvent): Uint8Array {
  return encoder.encode(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

/**
 * An SSE response on `topics`, or 429 when the member (or the server) already holds as many
 * streams as allowed. The slot is taken synchronously before anything is awaited, so fifty
 * parallel opens cannot all pass the check; it is freed when the client goes away, the
 * session ends or the server shuts down.
 */
export function eventStreamResponse(request: Request, topics: string[], options: EventStreamOptions): Response {
  const limits = options.limits ?? { perMember: STREAMS_PER_MEMBER, overall: STREAMS_OVERALL };
  const counts = countStreams(options.scope, options.memberId);
  if (counts.mine >= limits.perMember || counts.all >= limits.overall) {
    return new Response(JSON.stringify({ ok: false, code: "tooManyStreams" }), {
      status: 429,
      headers: { "Content-Type": "application/json; charset=utf-8", "Retry-After": "30" },
    });
  }

  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let closed = false;
  const unsubscribers: (() => void)[] = [];
  const stream: OpenStream = {
    scope: options.scope,
    memberId: options.memberId,
    sessionIdHash: options.sessionIdHash,
    close: () => close(),
  };
  state.streams.add(stream);

  const close = () => {
    if (closed) return;
    closed = true;
    state.streams.delete(stream);
    for (const unsubscribe of unsubscribers) unsubscribe();
    clearInterval(heartbeat);
    request.signal.removeEventListener("abort", close);
    try {
      controller?.close();
    } catch {
      // Already closed by the reader going away.
    }
  };

  const send = (bytes: Uint8Array) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(bytes);
    } catch {
      close();
    }
  };

  const heartbeat = setInterval(() => {
    if (!options.stillAllowed) {
      send(encoder.encode(": ping\n\n"));
      return;
    }
    options.stillAllowed().then(
      (allowed) => (allowed ? send(encoder.encode(": ping\n\n")) : close()),
      () => close(),
    );
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref?.();

  let running = false;
  let pending: unknown[] = [];
  const drain = async () => {
    if (running) return;
    running = true;
    try {
      while (pending.length > 0 && !closed) {
        const latest = pending[pending.length - 1];
        pending = [];
        const event = await options.onPublish(latest);
        if (event) send(frame(event));
      }
    } catch (error) {
      console.error("live stream update failed", error);
      close();
    } finally {
      running = false;
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => close(),
  });

  if (request.signal.aborted) close();
  else request.signal.addEventListener("abort", close);

  for (const topic of topics) {
    unsubscribers.push(
      subscribe(topic, (data) => {
        pending.push(data);
        void drain();
      }),
    );
  }

  // An opening comment gets the headers and first bytes through proxies at once.
  send(encoder.encode(": open\nretry: 5000\n\n"));
  if (options.onOpen) {
    options.onOpen().then(
      (event) => {
        if (event) send(frame(event));
      },
      (error) => {
        console.error("live stream open failed", error);
        close();
      },
    );
  }

  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Stops nginx-style proxies from buffering the stream.
      "X-Accel-Buffering": "no",
    },
  });
}

/** Closes the streams a signed-out session opened (logout mirrors CollabControl.closeSessionSockets). */
export function closeSessionStreams(sessionIdHash: string): void {
  for (const stream of [...state.streams]) if (stream.sessionIdHash === sessionIdHash) stream.close();
}

/** Closes a member's streams on one server, e.g. when they are deactivated. */
export function closeMemberStreams(scope: object, memberId: number): void {
  for (const stream of [...state.streams]) if (stream.scope === scope && stream.memberId === memberId) stream.close();
}

/** Closes every stream of one server, so its shutdown need not wait for browsers to hang up. */
export function closeStreams(scope: object): void {
  for (const stream of [...state.streams]) if (stream.scope === scope) stream.close();
}

export function openStreamCount(scope: object): number {
  let n = 0;
  for (const stream of state.streams) if (stream.scope === scope) n += 1;
  return n;
}
