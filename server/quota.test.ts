import { describe, expect, it } from "vitest";
import { Quota } from "./quota";

describe("Quota", () => {
  it("holds each client to its share and everyone to the overall limit", () => {
    const quota = new Quota({ perClient: 2, overall: 3 });
    const a1 = quota.open("a");
    const a2 = quota.open("a");
    const a3 = quota.open("a");
    expect([a1.take(1), a2.take(1), a3.take(1)]).toEqual([true, true, false]);
    const b1 = quota.open("b");
    const b2 = quota.open("b");
    expect([b1.take(1), b2.take(1)]).toEqual([true, false]);
  });

  it("gives back exactly what a reservation took, once", () => {
    const quota = new Quota({ perClient: 10, overall: 10 });
    const first = quota.open("a");
    expect(first.take(4)).toBe(true);
    expect(first.take(4)).toBe(true);
    first.release();
    first.release();
    expect(first.take(1)).toBe(false);
    const second = quota.open("a");
    expect(second.take(10)).toBe(true);
    expect(quota.open("b").take(1)).toBe(false);
    second.release();
    expect(quota.open("b").take(10)).toBe(true);
  });
});
