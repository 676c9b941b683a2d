import type { Db } from "../../db/client";
import { appendUpdates, UPDATES_PER_STATEMENT } from "../../db/queries/documents";

export interface LoggedUpdate {
  planId: string;
  data: Uint8Array;
  userId: number | null;
  /** Called once the update is on disk, with the id of its plan's last stored update. */
  stored: (lastUpdateId: number) => void;
}

/**
 * The one writer of every open plan's updates: what all rooms accepted during an event-loop
 * tick goes to SQLite in one transaction. SQLite has one writer at a time, so a transaction
 * per plan per tick would queue hundreds of plans behind each other; one per tick does not.
 * A failed write keeps the batch, in order, and retries with back-off; it is logged, never dropped.
 */
export class UpdateLog {
  #queue: LoggedUpdate[] = [];
  #scheduled = false;
  #flushing = false;
  #retryDelay = 0;

  constructor(
    private readonly db: Db,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  append(update: LoggedUpdate): void {
    this.#queue.push(update);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#flushing = true;
      void this.#flush().finally(() => {
        this.#flushing = false;
        if (this.#queue.length > 0) this.#schedule();
      });
    };
    if (this.#retryDelay > 0) setTimeout(run, this.#retryDelay);
    else setImmediate(run);
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.slice();
    if (batch.length === 0) return;
    let last: Map<string, number>;
    try {
      // One INSERT is atomic by itself: BEGIN and COMMIT would only add two round trips.
      last =
        batch.length <= UPDATES_PER_STATEMENT
          ? await appendUpdates(this.db, batch, Date.now())
          : await this.db.transaction().execute((trx) => appendUpdates(trx, batch, Date.now()));
    } catch (error) {
      this.#retryDelay = Math.min(Math.max(this.#retryDelay * 2, 250), 10_000);
      const plans = new Set(batch.map((update) => update.planId)).size;
      this.log(`storing ${batch.length} update(s) of ${plans} plan(s) failed; retrying in ${this.#retryDelay} ms`, error);
      return;
    }
    this.#retryDelay = 0;
    this.#queue.splice(0, batch.length);
    for (const update of batch) update.stored(last.get(update.planId)!);
  }
}
