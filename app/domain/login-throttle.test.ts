import { describe, expect, it } from "vitest";
import { LOGIN_WINDOW_MS, decideLoginThrottle, minutesToWait } from "./login-throttle";

const now = 1_800_000_000_000;
const minutesAgo = (m: number) => now - m * 60_000;

describe("decideLoginThrottle", () => {
  it("allows checking while an account has fewer than 5 recent failures", () => {
    const accountFailures = [1, 2, 3, 4].map(minutesAgo);
    expect(decideLoginThrottle({ now, accountFailures, ipFailures: accountFailures })).toEqual({ allowed: true });
  });

  it("refuses the 6th attempt after 5 failures and says how long to wait", () => {
    const accountFailures = [14, 10, 5, 2, 1].map(minutesAgo);
    const decision = decideLoginThrottle({ now, accountFailures, ipFailures: [] });
    expect(decision).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });

  it("ignores failures older than the window", () => {
    const accountFailures = [60, 30, 16, 2, 1].map(minutesAgo);
    expect(decideLoginThrottle({ now, accountFailures, ipFailures: [] }).allowed).toBe(true);
  });

  it("throttles by IP across accounts", () => {
    const ipFailures = Array.from({ length: 30 }, (_, i) => minutesAgo(i / 10));
    const decision = decideLoginThrottle({ now, accountFailures: [], ipFailures });
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.retryAfterMs).toBeLessThanOrEqual(LOGIN_WINDOW_MS);
  });

  it("rounds the wait up to whole minutes", () => {
    expect(minutesToWait(1)).toBe(1);
    expect(minutesToWait(60_001)).toBe(2);
    expect(minutesToWait(LOGIN_WINDOW_MS)).toBe(15);
  });
});
