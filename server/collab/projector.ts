import type * as Y from "yjs";
import type { Db } from "../../db/client";
import { replacePlanProjection, updatePlanProjection } from "../../db/queries/projection";
import { describeInvalidRows, projectPlanDoc, type PlanProjection } from "~/domain/projection";

export interface ProjectorOptions {
  db: Db;
  log: (message: string, error?: unknown) => void;
  /** Quiet time after the last stored change before projecting. */
  debounceMs?: number;
  /** Longest a stored change waits for its projection while edits keep coming. */
  maxWaitMs?: number;
}

interface PlanState {
  /** The live document; null once its room unloaded. */
  doc: Y.Doc | null;
  /** The document changed since it was last projected. */
  dirty: boolean;
  /** Projected, but the write failed: written on the next attempt unless a newer projection replaces it. */
  unwritten: PlanProjection | null;
  firstChangeAt: number | null;
  timer: NodeJS.Timeout | null;
  retryDelay: number;
}

/**
 * Keeps the relational projection (budget_lines, timeline_items, kpis, assignments and the
 * plan row's totals) following the live documents. A burst of edits is projected once, from
 * the room's in-memory document, in one transaction. Nothing here throws to its caller: a
 * failed write is logged and retried, and the document itself is never at risk because the
 * projection can always be rebuilt from it.
 */
export class Projector {
  readonly #plans = new Map<string, PlanState>();
  /** What this process last wrote for each open plan, so the next write is only the difference. */
  readonly #written = new Map<string, PlanProjection>();
  /**
   * Projections run one at a time, all plans together: so an older state of a plan never
   * overwrites a newer one, and hundreds of plans due at once never queue hundreds of
   * transactions on SQLite's one connection ahead of the editors' updates.
   */
  #running: Promise<void> = Promise.resolve();
  readonly #debounceMs: number;
  readonly #maxWaitMs: number;
  #closed = false;

  constructor(private readonly options: ProjectorOptions) {
    // The projection feeds lists, dashboards and exports, not editors: while a plan is being
    // edited continuously it is refreshed every 10 s rather than after every edit, which
    // with hundreds of plans open was most of the server's database work (docs/PERFORMANCE.md).
    this.#debounceMs = options.debounceMs ?? 1_500;
    this.#maxWaitMs = options.maxWaitMs ?? 10_000;
  }

  /** A change to the plan's projected roots is stored: project it soon. */
  changed(planId: string, doc: Y.Doc): void {
    if (this.#closed || doc.isDestroyed) return;
    let state = this.#plans.get(planId);
    if (!state) {
      state = { doc, dirty: false, unwritten: null, firstChangeAt: null, timer: null, retryDelay: 0 };
      this.#plans.set(planId, state);
    }
    state.doc = doc;
    state.dirty = true;
    const now = Date.now();
    state.firstChangeAt ??= now;
    this.#arm(planId, state, Math.min(this.#debounceMs, state.firstChangeAt + this.#maxWaitMs - now));
  }

  /** Projects the plan's pending changes now (something is about to read the projection). */
  async flush(planId: string): Promise<void> {
    const state = this.#plans.get(planId);
    if (state) await this.#runNow(planId, state);
    else await this.#running;
  }

  /** Projects the plan's pending changes now, then lets go of its document (its room is unloading). */
  async release(planId: string): Promise<void> {
    const state = this.#plans.get(planId);
    if (state) {
      await this.#runNow(planId, state);
      state.doc = null;
    }
    // Written by someone else while nobody had it open (a rebuild), it is replaced whole next time.
    this.#written.delete(planId);
  }

  /** Projects everything pending, once, and accepts no more changes. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#plans].map(([planId, state]) => this.#runNow(planId, state)));
    for (const state of this.#plans.values()) if (state.timer) clearTimeout(state.timer);
    this.#plans.clear();
    this.#written.clear();
  }

  #arm(planId: string, state: PlanState, delayMs: number): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      void this.#run(planId, state);
    }, Math.max(0, delayMs));
  }

  #runNow(planId: string, state: PlanState): Promise<void> {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    return this.#run(planId, state);
  }

  #run(planId: string, state: PlanState): Promise<void> {
    const run = this.#running.then(() => this.#project(planId, state));
    // #project logs its failures instead of throwing; the chain must outlive a bug anyway.
    this.#running = run.catch(() => undefined);
    return run;
  }

  async #project(planId: string, state: PlanState): Promise<void> {
    const { db, log } = this.options;
    if (state.dirty && state.doc) {
      state.dirty = false;
      state.firstChangeAt = null;
      try {
        state.unwritten = projectPlanDoc(state.doc);
        const { invalid } = state.unwritten;
        if (invalid.length > 0) log(`projection: plan ${planId}: skipped ${invalid.length} malformed row(s): ${describeInvalidRows(invalid)}`);
      } catch (error) {
        // A bug, not bad data (bad rows are skipped): retrying the same document would fail the same way.
        state.unwritten = null;
        log(`projection: plan ${planId} could not be projected`, error);
      }
    }
    const projection = state.unwritten;
    if (!projection) return this.#forget(planId, state);
    const previous = this.#written.get(planId);
    try {
      const now = Date.now();
      const written = previous ? await updatePlanProjection(db, planId, previous, projection, now) : await replacePlanProjection(db, planId, projection, now);
      if (written) this.#written.set(planId, projection);
      else log(`projection: plan ${planId} no longer exists; nothing written`);
    } catch (error) {
      // The tables may not be what we last wrote (a rebuild ran): the retry replaces them whole.
      this.#written.delete(planId);
      state.retryDelay = Math.min(Math.max(state.retryDelay * 2, 250), 10_000);
      if (this.#closed) {
        log(`projection: plan ${planId} could not be written before shutdown; run npm run projection:rebuild`, error);
      } else {
        log(`projection: plan ${planId} could not be written; retrying in ${state.retryDelay} ms`, error);
        if (!state.timer) this.#arm(planId, state, state.retryDelay);
      }
      return;
    }
    state.unwritten = null;
    state.retryDelay = 0;
    this.#forget(planId, state);
  }

  /** Drops a plan with nothing pending; its next change starts afresh. */
  #forget(planId: string, state: PlanState): void {
    if (!state.dirty && !state.unwritten && !state.timer && this.#plans.get(planId) === state) this.#plans.delete(planId);
  }
}
