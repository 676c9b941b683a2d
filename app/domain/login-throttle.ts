/** Failed logins allowed in the window before further attempts are refused. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Guesses one address may make at one account: the limit a single attacker meets. */
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
/**
 * Guesses at one account from every address together. Higher than the per-address limit,
 * so one client cannot lock a member out for everyone with 5 wrong passwords; low enough
 * that guessing from many addresses stays slow.
 */
export const MAX_FAILURES_PER_ACCOUNT = 20;
/** Offices in China often share one public IP, so the per-IP limit is looser. */
export const MAX_FAILURES_PER_IP = 30;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Decides whether another login attempt may be checked, from the timestamps of recent
 * failures (attempts still being checked count as failures) for the account from this
 * address, for the account from anywhere, and for the address at any account.
 * Any order, any age.
 */
export function decideLoginThrottle(input: {
  now: number;
  accountIpFailures: readonly number[];
  accountFailures: readonly number[];
  ipFailures: readonly number[];
}): ThrottleDecision {
  const waits = [
    waitFor(input.now, input.accountIpFailures, MAX_FAILURES_PER_ACCOUNT_AND_IP),
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

/**
 * When to tell the member to come back: whole minutes to wait and the minute the lock ends,
 * both rounded up, so trying at the time shown always works.
 */
export function retryTime(now: number, retryAfterMs: number): { minutes: number; at: number } {
  return {
    minutes: Math.max(1, Math.ceil(retryAfterMs / 60_000)),
    at: Math.ceil((now + retryAfterMs) / 60_000) * 60_000,
  };
}
