import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

export type FetchBody = { kind: "memory"; bytes: Buffer } | { kind: "file"; path: string };

/**
 * Express ↔ Fetch conversion. We own it (instead of @remix-run/express) because mutating
 * request bodies are read first — bounded, after the session and Origin are known — so
 * the CSRF check can see the token before Remix parses the form.
 */
export function toFetchRequest(req: ExpressRequest, res: ExpressResponse, url: URL, body: FetchBody | undefined): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  // Buffer.concat allocates a plain ArrayBuffer, never a shared one.
  if (body?.kind === "memory") init.body = body.bytes as Uint8Array<ArrayBuffer>;
  if (body?.kind === "file") {
    init.body = Readable.toWeb(createReadStream(body.path)) as ReadableStream<Uint8Array>;
    init.duplex = "half";
  }
  return new Request(url, init);
}

/**
 * The request's URL, or null when its Host header or path cannot make one (answered 400, not 500).
 * Its host is always the checked Host header: an absolute-form target (`GET http://user:pw@other/x`,
 * which the Fetch Request refuses outright) and a `//other/x` path contribute their path only.
 */
export function requestUrl(req: ExpressRequest): URL | null {
  const host = req.get("host");
  if (!host || !/^[a-z0-9.\-[\]:]+$/i.test(host)) return null;
  try {
    const absolute = req.originalUrl.startsWith("/") ? null : new URL(req.originalUrl);
    if (absolute && absolute.protocol !== "http:" && absolute.protocol !== "https:") return null;
    const target = absolute ? absolute.pathname + absolute.search : req.originalUrl;
    return new URL(`${req.protocol}://${host}${target}`);
  } catch {
    return null;
  }
}

/** Sends a Remix response; dynamic answers are never stored by browsers or shared caches unless a route says otherwise. */
export async function sendFetchResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) {
    if (key.toLowerCase() === "set-cookie") continue;
    res.append(key, value);
  }
  if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "private, no-store");
  for (const cookie of response.headers.getSetCookie()) res.append("Set-Cookie", cookie);
  if (!response.body) {
    res.end();
    return;
  }
  // pipeline waits for the client to take each chunk (Remix's writeReadableStreamToWritable
  // does not, so a slow reader of a large export made the server buffer all of it).
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
  } catch (error) {
    if (res.destroyed && (error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return;
    throw error;
  }
}
