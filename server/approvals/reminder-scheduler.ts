import type { Db } from "../../db/client";
import { sendOverdueReminders } from "~/services/approval-center.server";

export interface ReminderOptions {
  /** How often overdue steps are looked for; a minute unless tests shorten it. */
  intervalMs?: number;
  /** The clock due times are judged by; tests inject one to make a step overdue. */
  now?: () => number;
}

export interface ReminderScheduler {
  /** One pass now; resolves with the number of steps reminded. */
  tick(): Promise<number>;
  /** Stops the timer and waits for a pass under way, so the database can close after it. */
  stop(): Promise<void>;
  /** Passes completed so far, for tests that wait for the timer. */
  readonly ticks: number;
}

export const REMINDER_INTERVAL_MS = 60_000;

/**
 * Reminds overdue approval steps on a timer. A pass that is still running when the timer
 * fires again is not doubled; passes started by hand may overlap, and the reminder table
 * keeps each step to one reminder anyway.
 */
export function startReminderScheduler(db: Db, options: ReminderOptions & { log: (message: string, error?: unknown) => void }): ReminderScheduler {
  const now = options.now ?? Date.now;
  let running: Promise<number> | null = null;
  let ticks = 0;
  let stopped = false;
  const tick = async () => {
    try {
      return await sendOverdueReminders(db, now());
    } finally {
      ticks += 1;
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error: unknown) => {
        options.log("approval reminders: a pass failed", error);
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }, options.intervalMs ?? REMINDER_INTERVAL_MS);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    get ticks() {
      return ticks;
    },
  };
}
