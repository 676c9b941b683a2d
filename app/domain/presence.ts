const PALETTE = ["#3370ff", "#e8590c", "#2b8a3e", "#ae3ec9", "#c2255c", "#1098ad", "#f08c00", "#5c7cfa"];

/** A member's caret and avatar colour: stable per member, the same on every screen. */
export function colorFor(userId: number): string {
  return PALETTE[userId % PALETTE.length]!;
}
