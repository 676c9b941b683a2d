import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { ExportControl, ExportJobState, ExportJobView, ExportStart, PlanWorkbookFile } from "~/services/context";
import type { PortfolioFilter } from "~/domain/portfolio";
import type { Locale } from "~/domain/roles";
import { PlanExports } from "./plan-exports";
import type { PlanWorkbookRequest } from "./plan-workbook-file";
import type { PortfolioWorkerInput, PortfolioWorkerMessage } from "./portfolio-worker";
import { startWorker } from "./worker-thread";

export interface ExportJobsOptions {
  /** The SQLite file the worker opens for itself. */
  databasePath: string;
  log: (message: string, error?: unknown) => void;
  /** Workbooks built at once across all members; each is a thread and a database connection. */
  maxRunning?: number;
  /** How long a finished file waits to be downloaded. */
  keepMs?: number;
  /** A job still running after this long is stopped and marked failed. */
  maxRunMs?: number;
  directory?: string;
}

interface Job {
  id: string;
  memberId: number;
  state: ExportJobState;
  done: number;
  total: number;
  fileName: string;
  path: string;
  threadId: number | null;
  worker: Worker | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Finance's long exports. Each job builds its workbook in a worker thread into a temp
 * file, reports progress, and keeps the finished file for a while; a member runs one job at
 * a time and sees only their own. Files are deleted on expiry, on failure, when the member
 * starts another export, and on shutdown. Plan workbooks, answered within their request,
 * are built by PlanExports.
 */
export class ExportJobs implements ExportControl {
  readonly #jobs = new Map<string, Job>();
  readonly #maxRunning: number;
  readonly #keepMs: number;
  readonly #maxRunMs: number;
  readonly #directory: string;
  readonly #plans: PlanExports;
  #closing: Promise<void> | undefined;

  constructor(private readonly options: ExportJobsOptions) {
    this.#maxRunning = options.maxRunning ?? 2;
    this.#keepMs = options.keepMs ?? 10 * 60_000;
    this.#maxRunMs = options.maxRunMs ?? 10 * 60_000;
    this.#directory = options.directory ?? tmpdir();
    this.#plans = new PlanExports({ databasePath: options.databasePath, maxRunMs: this.#maxRunMs, directory: this.#directory });
  }

  planWorkbook(request: PlanWorkbookRequest): Promise<PlanWorkbookFile> {
    return this.#plans.build(request);
  }

  startPortfolio(memberId: number, request: { filter: PortfolioFilter; locale: Locale; fileName: string }): ExportStart {
    const mine = [...this.#jobs.values()].filter((job) => job.memberId === memberId);
    const running = mine.find((job) => job.state === "running");
    if (running) return { ok: false, code: "memberBusy", job: view(running) };
    const busy = [...this.#jobs.values()].filter((job) => job.state === "running").length;
    if (this.#closing || busy >= this.#maxRunning) return { ok: false, code: "serverBusy" };
    // A member keeps only their newest file.
    for (const old of mine) void this.#discard(old);

    const id = randomBytes(16).toString("base64url");
    const job: Job = {
      id,
      memberId,
      state: "running",
      done: 0,
      total: 0,
      fileName: request.fileName,
      path: join(this.#directory, `campaigndesk-portfolio-${id}.xlsx`),
      threadId: null,
      worker: null,
      timer: null,
    };
    const input: PortfolioWorkerInput = { databasePath: this.options.databasePath, filter: request.filter, locale: request.locale, outputPath: job.path };
    const worker = startWorker("portfolio-worker", input, { resourceLimits: { maxOldGenerationSizeMb: 512 }, preload: ["exceljs", "kysely", "sqlite3", "i18next"] });
    job.worker = worker;
    job.timer = setTimeout(() => this.#fail(job, new Error(`export ${id} ran longer than ${this.#maxRunMs} ms`)), this.#maxRunMs);
    job.timer.unref();
    worker.on("message", (message: PortfolioWorkerMessage) => this.#onMessage(job, message));
    worker.on("error", (error) => this.#fail(job, error));
    worker.on("exit", (code) => {
      if (job.state === "running") this.#fail(job, new Error(`export worker exited with code ${code} before finishing`));
    });
    this.#jobs.set(id, job);
    return { ok: true, job: view(job) };
  }

  job(memberId: number, jobId: string): ExportJobView | null {
    const job = this.#jobs.get(jobId);
    return job && job.memberId === memberId ? view(job) : null;
  }

  latest(memberId: number): ExportJobView | null {
    const mine = [...this.#jobs.values()].filter((job) => job.memberId === memberId);
    const newest = mine[mine.length - 1];
    return newest ? view(newest) : null;
  }

  file(memberId: number, jobId: string): { path: string; fileName: string } | null {
    const job = this.#jobs.get(jobId);
    return job && job.memberId === memberId && job.state === "done" ? { path: job.path, fileName: job.fileName } : null;
  }

  /** Stops every worker and deletes every file; idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([...[...this.#jobs.values()].map((job) => this.#discard(job)), this.#plans.close()]).then(() => undefined);
    return this.#closing;
  }

  #onMessage(job: Job, message: PortfolioWorkerMessage): void {
    if (job.state !== "running") return;
    job.threadId = message.threadId;
    switch (message.kind) {
      case "progress":
        job.done = message.done;
        job.total = message.total;
        return;
      case "done":
        job.state = "done";
        job.done = job.total;
        void this.#settle(job);
        return;
      case "failed":
        this.#fail(job, message.error);
        return;
    }
  }

  /** The worker is finished with; the job (and a finished file) is kept until it expires. */
  async #settle(job: Job): Promise<void> {
    if (job.timer) clearTimeout(job.timer);
    job.timer = setTimeout(() => void this.#discard(job), this.#keepMs);
    job.timer.unref();
    const worker = job.worker;
    job.worker = null;
    await worker?.terminate();
  }

  #fail(job: Job, error: unknown): void {
    if (job.state !== "running") return;
    this.options.log(`portfolio export ${job.id} failed`, error);
    job.state = "failed";
    // Only once the worker is gone can nothing write the partial file again.
    void this.#settle(job).then(() => this.#removeFile(job));
  }

  /** Forgets the job: stops its worker, cancels its timer, deletes its file. */
  async #discard(job: Job): Promise<void> {
    this.#jobs.delete(job.id);
    if (job.timer) clearTimeout(job.timer);
    job.timer = null;
    const worker = job.worker;
    job.worker = null;
    job.state = job.state === "running" ? "failed" : job.state;
    await worker?.terminate();
    await this.#removeFile(job);
  }

  async #removeFile(job: Job): Promise<void> {
    try {
      await rm(job.path, { force: true });
    } catch (error) {
      this.options.log(`could not delete export file ${job.path}`, error);
    }
  }
}

function view(job: Job): ExportJobView {
  return { id: job.id, state: job.state, done: job.done, total: job.total, fileName: job.fileName, threadId: job.threadId };
}
