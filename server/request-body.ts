import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_IMPORT_FILE_BYTES } from "~/domain/actuals-import";
import { MAX_ATTACHMENT_BYTES } from "~/domain/attachments";

/**
 * How much of a request body the server will read, decided from the path and whether a
 * member is signed in — before a byte of the body is read. Anonymous posts (sign-in,
 * language) are tiny; a member's forms are small; only a signed-in member's workbook
 * upload is large, and that one goes to a temporary file instead of memory.
 */
export type BodyPolicy =
  | { kind: "memory"; maxBytes: number; message: string }
  | { kind: "file"; maxBytes: number; message: string };

export const ANONYMOUS_BODY_BYTES = 16 * 1024;
export const FORM_BODY_BYTES = 1024 * 1024;
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const UPLOAD_PATH = /^\/plans\/[^/]+\/actuals\/import\/?$/;
/** The 实际支出 page takes an invoice photo with an entry: only its multipart posts are uploads. */
const ATTACHMENT_PATH = /^\/plans\/[^/]+\/actuals\/?$/;

export function bodyPolicy(path: string, signedIn: boolean, contentType?: string): BodyPolicy {
  if (!signedIn) return { kind: "memory", maxBytes: ANONYMOUS_BODY_BYTES, message: "提交的内容过大。" };
  if (ATTACHMENT_PATH.test(path) && /^multipart\/form-data\s*;/i.test(contentType ?? "")) {
    return {
      kind: "file",
      maxBytes: MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD_BYTES,
      message: `文件过大：发票附件不能超过 ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB。`,
    };
  }
  if (UPLOAD_PATH.test(path)) {
    return {
      kind: "file",
      maxBytes: MAX_IMPORT_FILE_BYTES + MULTIPART_OVERHEAD_BYTES,
      message: `文件过大：Excel 文件不能超过 ${MAX_IMPORT_FILE_BYTES / (1024 * 1024)} MB。`,
    };
  }
  return { kind: "memory", maxBytes: FORM_BODY_BYTES, message: `提交的内容过大（上限 ${FORM_BODY_BYTES / (1024 * 1024)} MB）。` };
}

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

export class BodyRefusedError extends Error {
  override name = "BodyRefusedError";
}

export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers["content-length"];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
}

/** The client hung up, or was cut off as too slow, before its body arrived: nobody is left to answer. */
export class ClientGoneError extends Error {
  override name = "ClientGoneError";
}

// The iterator must not destroy the request when we stop early: the socket still has to
// carry our 413/403 answer.
async function* chunksOf(req: IncomingMessage): AsyncGenerator<Buffer> {
  try {
    yield* req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  } catch (error) {
    // Node reports a request whose socket closed mid-body as `aborted` (ECONNRESET).
    if ((error as NodeJS.ErrnoException).code === "ECONNRESET") throw new ClientGoneError("request aborted", { cause: error });
    throw error;
  }
}

/** The server holds as many bodies in memory as it will: this one has to wait. */
export class BodyBudgetError extends Error {
  override name = "BodyBudgetError";
}

export async function readBodyToMemory(req: IncomingMessage, maxBytes: number, reserve: (bytes: number) => boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunksOf(req)) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError();
    if (!reserve(chunk.length)) throw new BodyBudgetError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface UploadedBody {
  path: string;
  size: number;
  /** Removes the temporary file; safe to call more than once. */
  discard: () => Promise<void>;
}

/**
 * Streams a body to a private temporary file. The first `headBytes` are shown to
 * `acceptHead` before the rest is read, so a forged upload is refused after a few
 * kilobytes, not after megabytes.
 */
export async function readBodyToFile(
  req: IncomingMessage,
  options: { maxBytes: number; headBytes: number; acceptHead: (head: Buffer) => boolean },
): Promise<UploadedBody> {
  const dir = await mkdtemp(join(tmpdir(), "campaigndesk-upload-"));
  const path = join(dir, "body");
  let discarded: Promise<void> | undefined;
  const discard = () => (discarded ??= rm(dir, { recursive: true, force: true }));
  const file = createWriteStream(path, { mode: 0o600 });
  const fileDone = new Promise<void>((resolve, reject) => {
    file.once("finish", resolve);
    file.once("error", reject);
  });
  // Awaited after the last write; until then a write error must not surface as unhandled.
  fileDone.catch(() => undefined);
  try {
    const head: Buffer[] = [];
    let headSize = 0;
    let headAccepted = false;
    let size = 0;
    const write = async (chunk: Buffer) => {
      if (!file.write(chunk)) await new Promise<void>((resolve) => file.once("drain", resolve));
    };
    for await (const chunk of chunksOf(req)) {
      size += chunk.length;
      if (size > options.maxBytes) throw new BodyTooLargeError();
      if (headAccepted) {
        await write(chunk);
        continue;
      }
      head.push(chunk);
      headSize += chunk.length;
      if (headSize >= options.headBytes) {
        if (!options.acceptHead(Buffer.concat(head))) throw new BodyRefusedError();
        headAccepted = true;
        for (const part of head.splice(0)) await write(part);
      }
    }
    if (!headAccepted) {
      if (!options.acceptHead(Buffer.concat(head))) throw new BodyRefusedError();
      for (const part of head) await write(part);
    }
    file.end();
    await fileDone;
    return { path, size, discard };
  } catch (error) {
    file.destroy();
    await discard();
    throw error;
  }
}
