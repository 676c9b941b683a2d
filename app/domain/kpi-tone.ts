import type { BasisPoints } from "./money";

/**
 * How a KPI's completion is drawn: met (green) at or above its target, below (amber) short of
 * it, far (red) under half of it. One rule for every page, so a KPI below target is never
 * drawn in the green of one above it. Completion is already direction-aware (a "down" KPI that
 * stays under its target completes at ≥ 100%).
 */
export type KpiTone = "met" | "below" | "far";

export const KPI_TONES: readonly KpiTone[] = ["met", "below", "far"];

export function kpiTone(completion: BasisPoints): KpiTone {
  if (completion >= 10_000) return "met";
  return completion >= 5_000 ? "below" : "far";
}
