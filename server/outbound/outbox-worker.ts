import type { Db } from "../../db/client";
import { claimDueOutbox, markOutboxFailedAttempt, markOutboxSent, releaseOutboxLeases } from "../../db/queries/outbound";
import type { OutboxRow } from "../../db/schema";
import { DEFAULT_BACKOFF_MS, LEASE_MS, MAX_ATTEMPTS, nextAttemptAt, SEND_TIMEOUT_MS } from "~/domain/outbound/backoff";
import { deliverOutboxRow } from "~/services/outbound/deliver.server";

export interface OutboxWorkerOptions {
  db: Db;
  allowedHosts: readonly string[];
  /** Read at each send: the port is known only once the server listens. */
  publicUrl: () => string;
  smtpUrl?: string;
  pollMs?: number;
  backoffMs?: readonly number[];
  now?: () => number;
  log: (message: string, error?: unknown) => void;
}

/** Sends at most this many messages at once: one slow robot must not hold up the rest. */
const CONCURRENCY = 8;
const DEFAULT_POLL_MS = 1_000;

/**
 * Sends the outbox (app/services/outbound/enqueue.server.ts queues it), off every request's
 * path. Due rows are claimed with a lease in one UPDATE, sent with a timeout, then marked
 * sent or given their next try. A crash between claim and mark leaves the lease, which the
 * next start voids; the row is sent again with the same idempotency key.
 */
export class OutboxWorker {
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private started = false;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    const released = await releaseOutboxLeases(this.options.db);
    if (released > 0) this.options.log(`Outbox: ${released} message(s) claimed by the previous process will be sent again.`);
    this.started = true;
    this.wake();
  }

  /** Look for due rows now (after a test message is queued, or a send finished). */
  wake(): void {
    if (this.stopped || !this.started) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
  }

  private tick(): void {
    this.ticking = this.claimAndSend();
  }

  private async claimAndSend(): Promise<void> {
    try {
      do {
        this.again = false;
        const room = CONCURRENCY - this.inflight.size;
        if (room <= 0) break;
        const rows = await claimDueOutbox(this.options.db, this.now(), LEASE_MS, room);
        for (const row of rows) if (!this.stopped) this.send(row);
      } while (this.again && !this.stopped);
    } catch (error) {
      if (!this.stopped) this.options.log("Outbox: claiming due messages failed", error);
    } finally {
      this.ticking = null;
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.pollMs);
    }
  }

  private send(row: OutboxRow): void {
    const done = (async () => {
      const result = await deliverOutboxRow(this.options.db, row, {
        allowedHosts: this.options.allowedHosts,
        publicUrl: this.options.publicUrl(),
        smtpUrl: this.options.smtpUrl,
        timeoutMs: SEND_TIMEOUT_MS,
        signal: this.abort.signal,
        now: this.now,
      });
      // Shutting down: record nothing; the lease is voided at the next start and the row sent then.
      if (this.stopped) return;
      if (result.ok) {
        await markOutboxSent(this.options.db, row.id, this.now());
        return;
      }
      const next = result.permanent ? null : nextAttemptAt(row.attempts, this.now(), this.options.backoffMs ?? DEFAULT_BACKOFF_MS, MAX_ATTEMPTS);
      await markOutboxFailedAttempt(this.options.db, row.id, result.error, next);
    })()
      .catch((error: unknown) => {
        if (!this.stopped) this.options.log(`Outbox: recording message ${row.id} failed`, error);
      })
      .finally(() => {
        this.inflight.delete(row.id);
        this.wake();
      });
    this.inflight.set(row.id, done);
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.ticking;
    await Promise.allSettled([...this.inflight.values()]);
  }
}
