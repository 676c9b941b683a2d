/**
 * The shape every benchmark part returns; `bench/run.ts` turns these into docs/PERFORMANCE.md
 * and docs/performance.json.
 */
export interface ResultRow {
  scenario: string;
  measure: string;
  unit: string;
  ours: number;
  /** Null where the target is absolute (no reference implementation to compare with). */
  reference: number | null;
  /** Median of the paired ratios ours ÷ reference over the repeats; null when absolute. */
  ratio: number | null;
  /** Human-readable target, e.g. "≤ 1.15×" or "≤ 0.85 s". */
  target: string;
  pass: boolean;
}

export interface Section {
  title: string;
  rows: ResultRow[];
  /** Markdown paragraphs printed under the table: method, what was changed, misses explained. */
  notes: string[];
  /** Every repeat's numbers, for the JSON file. */
  raw: unknown;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
