/**
 * When a failed delivery is tried again: quickly at first (a robot's brief hiccup), then
 * further apart, then every 6 hours, until MAX_ATTEMPTS have failed (about five days).
 */
export const DEFAULT_BACKOFF_MS: readonly number[] = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
export const MAX_ATTEMPTS = 24;
/** How long one send may take before it counts as failed. */
export const SEND_TIMEOUT_MS = 10_000;
/** A claimed row's lease: longer than a send may take, so two workers never send the same row at once. */
export const LEASE_MS = SEND_TIMEOUT_MS * 6;

/**
 * After `attempts` failed tries: when to try next, or null when the row has failed for good.
 * Past the end of the schedule its last delay repeats.
 */
export function nextAttemptAt(attempts: number, now: number, schedule: readonly number[] = DEFAULT_BACKOFF_MS, maxAttempts = MAX_ATTEMPTS): number | null {
  if (attempts >= maxAttempts) return null;
  if (schedule.length === 0) return now;
  const delay = schedule[Math.min(attempts, schedule.length) - 1] ?? schedule[0]!;
  return now + delay;
}
