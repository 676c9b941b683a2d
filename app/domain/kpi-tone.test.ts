import { describe, expect, it } from "vitest";
import { kpiTone } from "./kpi-tone";
import { basisPoints, type BasisPoints } from "./money";

describe("kpiTone", () => {
  it.each<[number, string]>([
    [10_863, "met"],
    [10_000, "met"],
    [9_999, "below"],
    [9_220, "below"],
    [5_000, "below"],
    [4_999, "far"],
    [0, "far"],
  ])("draws %i basis points as %s", (points, tone) => {
    expect(kpiTone(points as BasisPoints)).toBe(tone);
  });

  it("never draws a KPI short of its target like one that met it", () => {
    expect(kpiTone(basisPoints(1499, 1500)!)).not.toBe(kpiTone(basisPoints(1500, 1500)!));
  });
});
