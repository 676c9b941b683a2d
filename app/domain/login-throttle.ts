/** Failed logins allowed in the window before further attempts are refused. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Offices in China often share one public IP, so the per-IP limit is looser. */
export const MAX_FAILURES_PER_IP = 30;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Decides whether another login attempt may be checked, from the timestamps of recent
 * failures for the account and for the IP (any order, any age).
 */
export function decideLoginThrottle(input: {
  now: number;
  accountFailures: readonly number[];
  ipFailures: readonly number[];
}): ThrottleDecision {
  const waits = [
    waitFor(input.now, input.accountFailures, MAX_FAILURES_PER_ACCOUNT),
    waitFor(input.now, input.ipFailures, MAX_FAILURES_PER_IP),
  ];
  const retryAfterMs = Math.max(...waits);
  return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
}

/** Until enough of the recent failures age out of the window to drop below the limit. */
function waitFor(now: number, failures: readonly number[], limit: number): number {
  const recent = failures.filter((t) => now - t < LOGIN_WINDOW_MS).sort((a, b) => b - a);
  if (recent.length < limit) return 0;
  const blocking = recent[limit - 1]!;
  return blocking + LOGIN_WINDOW_MS - now;
}

/** Whole minutes to wait, rounded up, for the message shown to the user. */
export function minutesToWait(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}
