import { median } from "../report";

export type Kind = "ours" | "reference";

/**
 * Runs `one` for both servers `repeats` times, alternating which goes first so drift on the
 * machine (heat, page cache, a neighbour) falls on both alike.
 */
export async function paired<T>(repeats: number, one: (kind: Kind, repeat: number) => Promise<T>): Promise<Record<Kind, T[]>> {
  const results: Record<Kind, T[]> = { ours: [], reference: [] };
  for (let repeat = 0; repeat < repeats; repeat++) {
    const order: Kind[] = repeat % 2 === 0 ? ["ours", "reference"] : ["reference", "ours"];
    for (const kind of order) results[kind].push(await one(kind, repeat));
  }
  return results;
}

/** Median of ours[i] ÷ reference[i]. */
export function pairedRatio(ours: readonly number[], reference: readonly number[]): number {
  return median(ours.map((value, i) => value / reference[i]!));
}
