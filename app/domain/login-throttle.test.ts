import { describe, expect, it } from "vitest";
import { LOGIN_WINDOW_MS, decideLoginThrottle, retryTime } from "./login-throttle";

const now = 1_800_000_000_000;
const minutesAgo = (m: number) => now - m * 60_000;
const none: number[] = [];

describe("decideLoginThrottle", () => {
  it("allows checking while the account has fewer than 5 recent failures from this address", () => {
    const failures = [1, 2, 3, 4].map(minutesAgo);
    expect(decideLoginThrottle({ now, accountIpFailures: failures, accountFailures: failures, ipFailures: failures })).toEqual({ allowed: true });
  });

  it("refuses the 6th attempt from one address after 5 failures and says how long to wait", () => {
    const failures = [14, 10, 5, 2, 1].map(minutesAgo);
    const decision = decideLoginThrottle({ now, accountIpFailures: failures, accountFailures: failures, ipFailures: failures });
    expect(decision).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });

  it("lets other addresses keep trying until the account has 20 failures from all of them", () => {
    const nineteen = Array.from({ length: 19 }, (_, i) => minutesAgo(i / 2));
    expect(decideLoginThrottle({ now, accountIpFailures: none, accountFailures: nineteen, ipFailures: none })).toEqual({ allowed: true });
    const twenty = [...nineteen, minutesAgo(12)];
    expect(decideLoginThrottle({ now, accountIpFailures: none, accountFailures: twenty, ipFailures: none })).toEqual({
      allowed: false,
      retryAfterMs: 3 * 60_000,
    });
  });

  it("ignores failures older than the window", () => {
    const failures = [60, 30, 16, 15, 2, 1].map(minutesAgo);
    expect(decideLoginThrottle({ now, accountIpFailures: failures, accountFailures: failures, ipFailures: failures }).allowed).toBe(true);
  });

  it("throttles by IP across accounts", () => {
    const ipFailures = Array.from({ length: 30 }, (_, i) => minutesAgo(i / 10));
    const decision = decideLoginThrottle({ now, accountIpFailures: none, accountFailures: none, ipFailures });
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.retryAfterMs).toBeLessThanOrEqual(LOGIN_WINDOW_MS);
  });

  it("waits for the longest of the limits reached", () => {
    const pair = [14, 13, 12, 11, 10].map(minutesAgo);
    const ip = Array.from({ length: 30 }, () => minutesAgo(1));
    expect(decideLoginThrottle({ now, accountIpFailures: pair, accountFailures: pair, ipFailures: ip })).toEqual({
      allowed: false,
      retryAfterMs: 14 * 60_000,
    });
  });
});

describe("retryTime", () => {
  it("rounds the wait and the clock time up to whole minutes", () => {
    const at = Date.UTC(2027, 8, 15, 13, 40, 50);
    expect(retryTime(at, 14 * 60_000 + 30_000)).toEqual({ minutes: 15, at: Date.UTC(2027, 8, 15, 13, 56) });
    expect(retryTime(at, 1)).toEqual({ minutes: 1, at: Date.UTC(2027, 8, 15, 13, 41) });
    expect(retryTime(Date.UTC(2027, 8, 15, 13, 40), LOGIN_WINDOW_MS)).toEqual({ minutes: 15, at: Date.UTC(2027, 8, 15, 13, 55) });
  });
});
