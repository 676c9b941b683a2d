/**
 * The flood of `bench/body-flood.ts`, in a process of its own so that the clients' work does
 * not delay the driver's latency probe in the same event loop. Driven over IPC: `start`, then
 * `warm` back once every client has had a post answered (or refused by a closed connection),
 * then `stop`, answered with every post's outcome.
 */
import { setMaxListeners } from "node:events";
import { request, type ClientRequest } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface FloodTarget {
  route: string;
  contentType: "urlencoded" | "multipart";
  /** "length": a Content-Length header announcing the whole body; "chunked": no length, as a client hiding its size would send. */
  framing: "length" | "chunked";
}

export interface FloodStart {
  type: "start";
  baseUrl: string;
  origin: string;
  targets: FloodTarget[];
  clients: number;
  bodyBytes: number;
  /** Each client's upload rate. */
  bytesPerSecond: number;
  /** The flood stops by itself after this long even if the driver never says stop. */
  maxMs: number;
}

export interface PostOutcome {
  target: FloodTarget;
  /** Null when the connection closed before any response. */
  status: number | null;
  /** From the first byte sent to the response's headers. */
  responseMs: number | null;
  /** Body bytes written when the response arrived. */
  bytesAtResponse: number | null;
  /** Body bytes written in all. */
  bytesSent: number;
  error: string | null;
}

export type FloodMessage = { type: "warm" } | { type: "result"; posts: PostOutcome[]; stoppedBy: "driver" | "maxMs" };

const CHUNK_BYTES = 64 * 1024;
const BOUNDARY = "----CampaignDeskFloodBoundary";
/** Bounds the loop beyond the time cap: at the paced rate a client never gets near it. */
const MAX_POSTS_PER_CLIENT = 10_000;

function bodyParts(target: FloodTarget): { prefix: Buffer; suffix: Buffer; contentType: string } {
  if (target.contentType === "urlencoded") {
    return { prefix: Buffer.from("username=flood&password="), suffix: Buffer.alloc(0), contentType: "application/x-www-form-urlencoded" };
  }
  return {
    prefix: Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="flood.xlsx"\r\n` +
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
    ),
    suffix: Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
  };
}

const filler = Buffer.alloc(CHUNK_BYTES, "a");
const inFlight = new Set<ClientRequest>();
const posts: PostOutcome[] = [];
let stopping = false;
/** Cuts short a client's wait between posts when the driver stops the flood. */
const halt = new AbortController();
// Every client's wait listens on it at once.
setMaxListeners(Infinity, halt.signal);

/**
 * One post, the body written in 64 KB chunks at `bytesPerSecond` (waiting for drain when the
 * socket is full). The client keeps sending after an early response, as a careless or hostile
 * sender does; the post ends when the connection closes.
 */
function postOnce(start: FloodStart, target: FloodTarget): Promise<PostOutcome> {
  const { prefix, suffix, contentType } = bodyParts(target);
  const url = new URL(target.route, start.baseUrl);
  const headers: Record<string, string> = { "content-type": contentType, origin: start.origin, accept: "text/html" };
  if (target.framing === "length") headers["content-length"] = String(start.bodyBytes);
  return new Promise((resolve) => {
    const outcome: PostOutcome = { target, status: null, responseMs: null, bytesAtResponse: null, bytesSent: 0, error: null };
    const req = request(url, { method: "POST", headers, agent: false });
    inFlight.add(req);
    const began = performance.now();
    const fillerBytes = start.bodyBytes - prefix.length - suffix.length;
    let written = 0;
    req.on("response", (res) => {
      outcome.status = res.statusCode ?? null;
      outcome.responseMs = performance.now() - began;
      outcome.bytesAtResponse = outcome.bytesSent;
      res.resume();
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      outcome.error = error.code ?? error.message;
    });
    req.on("close", () => {
      inFlight.delete(req);
      resolve(outcome);
    });
    const send = (piece: Buffer) => {
      outcome.bytesSent += piece.length;
      return req.write(piece);
    };
    const writeNext = () => {
      if (req.destroyed || stopping) return;
      let ok = true;
      if (outcome.bytesSent === 0) ok = send(prefix);
      if (written < fillerBytes) {
        const piece = Math.min(CHUNK_BYTES, fillerBytes - written);
        written += piece;
        ok = send(piece === CHUNK_BYTES ? filler : filler.subarray(0, piece)) && ok;
      }
      if (written >= fillerBytes) {
        if (suffix.length > 0) send(suffix);
        req.end();
        return;
      }
      const due = began + (outcome.bytesSent / start.bytesPerSecond) * 1000;
      const schedule = () => setTimeout(writeNext, Math.max(0, due - performance.now()));
      if (ok) schedule();
      else req.once("drain", schedule);
    };
    writeNext();
  });
}

/**
 * One client: posts again and again until stopped. A post refused early does not make the
 * next one start sooner than the body would have taken at the client's rate: this measures
 * large bodies, not a flood of request starts (a rate limit's job).
 */
async function client(start: FloodStart, index: number, deadline: number, onFirst: () => void): Promise<void> {
  const target = start.targets[index % start.targets.length]!;
  const bodyMs = (start.bodyBytes / start.bytesPerSecond) * 1000;
  for (let n = 0; n < MAX_POSTS_PER_CLIENT && !stopping && performance.now() < deadline; n++) {
    const began = performance.now();
    posts.push(await postOnce(start, target));
    if (n === 0) onFirst();
    const rest = began + bodyMs - performance.now();
    const wait = Math.min(rest, deadline - performance.now());
    if (wait > 0 && !stopping) await sleep(wait, undefined, { signal: halt.signal }).catch(() => undefined);
  }
}

process.on("message", (message: FloodStart | { type: "stop" }) => {
  if (message.type === "start") void run(message);
  else stop();
});

let finished: Promise<unknown> = Promise.resolve();
let stoppedBy: "driver" | "maxMs" = "maxMs";

function stop(): void {
  stoppedBy = "driver";
  stopping = true;
  halt.abort();
  for (const req of inFlight) req.destroy();
  void finished.then(() => report());
}

function report(): void {
  const message: FloodMessage = { type: "result", posts, stoppedBy };
  process.send!(message, () => process.exit(0));
}

async function run(start: FloodStart): Promise<void> {
  const deadline = performance.now() + start.maxMs;
  let answered = 0;
  const onFirst = () => {
    answered += 1;
    if (answered === start.clients) process.send!({ type: "warm" } satisfies FloodMessage);
  };
  finished = Promise.all(Array.from({ length: start.clients }, (_, i) => client(start, i, deadline, onFirst)));
  await finished;
  if (!stopping) report();
}
