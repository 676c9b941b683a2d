import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { PlanWorkbookFile } from "~/services/context";
import { countLines, openReader, slices, writePlanWorkbookFile, type PlanWorkbookRequest } from "./plan-workbook-file";
import type { PlanWorkerInput, PlanWorkerMessage } from "./plan-worker";
import { startWorker } from "./worker-thread";

export interface PlanExportsOptions {
  /** The SQLite file every export reads through a connection of its own. */
  databasePath: string;
  /**
   * Budgets of fewer lines are written on the server's own thread, in slices; larger ones in
   * a worker thread. Starting a worker costs about half a second and 60 MB (it loads exceljs
   * and the app's modules afresh), as much as a whole 20,000-line export.
   */
  inlineBelow?: number;
  /** Worker threads at once; more large exports wait for one to finish. */
  maxWorkers?: number;
  /** A worker still running after this long is stopped and its export fails. */
  maxRunMs?: number;
  directory?: string;
}

/** The packages the worker's modules use (the domain's zod, yjs and calendar among them). */
const PRELOAD = ["exceljs", "kysely", "sqlite3", "zod", "yjs", "lib0", "i18next", "react-i18next", "lunar-typescript", "chinese-days"];

/** Longest stretch of workbook writing on the server's thread before it serves anything else. */
const INLINE_SLICE_MS = 1;

/**
 * Plan workbooks (the 方案 export route). Each is written to a temp file, from a read
 * transaction of its own connection; the finished file is opened and unlinked at once, so
 * the caller streams it and nothing is left behind whatever happens to the download.
 */
export class PlanExports {
  readonly #inlineBelow: number;
  readonly #maxWorkers: number;
  readonly #maxRunMs: number;
  readonly #directory: string;
  readonly #workers = new Set<Worker>();
  readonly #waiting: (() => void)[] = [];
  #closed = false;

  constructor(private readonly options: PlanExportsOptions) {
    this.#inlineBelow = options.inlineBelow ?? 20_000;
    this.#maxWorkers = options.maxWorkers ?? 2;
    this.#maxRunMs = options.maxRunMs ?? 10 * 60_000;
    this.#directory = options.directory ?? tmpdir();
  }

  async build(request: PlanWorkbookRequest): Promise<PlanWorkbookFile> {
    if (this.#closed) throw new Error("the server is shutting down");
    const path = join(this.#directory, `campaigndesk-plan-${randomBytes(12).toString("base64url")}.xlsx`);
    try {
      const reader = await openReader(this.options.databasePath);
      let inline: boolean;
      try {
        inline = (await countLines(reader, request.budget, request.planId)) < this.#inlineBelow;
        if (inline) await writePlanWorkbookFile(reader, request, path, slices(INLINE_SLICE_MS));
      } finally {
        await reader.destroy();
      }
      if (!inline) await this.#inWorker({ databasePath: this.options.databasePath, request, outputPath: path });
      const handle = await open(path);
      const { size } = await handle.stat();
      return { size, stream: handle.createReadStream() };
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Stops every worker (their exports fail) and takes no more exports; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#waiting.splice(0)) wake();
    await Promise.all([...this.#workers].map((worker) => worker.terminate()));
  }

  async #inWorker(input: PlanWorkerInput): Promise<void> {
    while (this.#workers.size >= this.#maxWorkers) {
      await new Promise<void>((wake) => this.#waiting.push(wake));
      if (this.#closed) throw new Error("the server is shutting down");
    }
    const worker = startWorker("plan-worker", input, { resourceLimits: { maxOldGenerationSizeMb: 512 }, preload: PRELOAD });
    this.#workers.add(worker);
    const timer = setTimeout(() => void worker.terminate(), this.#maxRunMs);
    try {
      await new Promise<void>((resolve, reject) => {
        worker.on("message", (message: PlanWorkerMessage) => (message.kind === "done" ? resolve() : reject(new Error("plan export failed in its worker", { cause: message.error }))));
        worker.on("error", reject);
        worker.on("exit", (code) => reject(new Error(`plan export worker exited with code ${code} before finishing`)));
      });
    } finally {
      clearTimeout(timer);
      this.#workers.delete(worker);
      this.#waiting.shift()?.();
      await worker.terminate();
    }
  }
}
