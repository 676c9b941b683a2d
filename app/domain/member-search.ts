/**
 * Finding a member to @mention by what Chinese teams actually type: the name (李娜, 娜),
 * full pinyin (lina), initials (ln), a mix (li娜, lin) or the username. Pure and small on
 * purpose: the browser filters with it on every keystroke, so it must not pull in the
 * pinyin dictionary — readings are computed on the server (member-pinyin.ts) and sent along.
 */

export interface MemberSearchEntry {
  id: number;
  name: string;
  username: string;
  /** Full pinyin of the name, most likely reading, no tones or spaces ("lina"). */
  pinyin: string;
  /** First letter of each syllable of `pinyin` ("ln"). */
  initials: string;
  /**
   * Every accepted reading of each visible character of the name, most likely first
   * (单 → ["shan","dan","chan"]), so a polyphonic name is found under any of its readings.
   */
  syllables: string[][];
}

export interface Mentionable extends MemberSearchEntry {
  /** Whether the member may read the plan (and so may be notified). */
  canRead: boolean;
}

/** How well a member matched: lower is better. */
export const MatchTier = { exact: 0, prefix: 1, substring: 2 } as const;
export type MatchTier = (typeof MatchTier)[keyof typeof MatchTier];

const MAX_QUERY = 32;

function normalize(text: string): string[] {
  return Array.from(text.toLowerCase().replace(/\s+/g, "")).slice(0, MAX_QUERY);
}

/** The name's visible characters with their readings; a character without readings reads as itself. */
function readings(entry: MemberSearchEntry): { char: string; syllables: string[] }[] {
  const chars = Array.from(entry.name.toLowerCase()).filter((c) => !/\s/.test(c));
  return chars.map((char, i) => {
    const given = entry.syllables[i]?.filter((s) => s !== "") ?? [];
    return { char, syllables: given.length > 0 ? given : [char] };
  });
}

/**
 * Whether the query can be read starting at name character `start`: each query piece is the
 * character itself or any leading part of one of its readings (so "l", "li", "lin" for 李娜
 * via "li"+"n"); the last piece may stop inside a reading.
 */
function matchesFrom(name: { char: string; syllables: string[] }[], query: string[], start: number): boolean {
  const seen = new Set<number>();
  const walk = (i: number, j: number): boolean => {
    if (j === query.length) return true;
    if (i === name.length) return false;
    const key = i * (MAX_QUERY + 1) + j;
    if (seen.has(key)) return false;
    seen.add(key);
    const here = name[i];
    if (!here) return false;
    if (query[j] === here.char && walk(i + 1, j + 1)) return true;
    for (const reading of here.syllables) {
      let k = 0;
      while (k < reading.length && j + k < query.length && query[j + k] === reading[k]) {
        k += 1;
        if (j + k === query.length) return true;
        if (walk(i + 1, j + k)) return true;
      }
    }
    return false;
  };
  return walk(start, 0);
}

/** How the member matches the query, or null when they do not. An empty query matches everyone as a prefix. */
export function matchMember(entry: MemberSearchEntry, rawQuery: string): MatchTier | null {
  const query = normalize(rawQuery);
  if (query.length === 0) return MatchTier.prefix;
  const q = query.join("");
  const name = entry.name.toLowerCase().replace(/\s+/g, "");
  const username = entry.username.toLowerCase();
  if (q === name || q === username || q === entry.pinyin || q === entry.initials) return MatchTier.exact;
  const chars = readings(entry);
  if (username.startsWith(q) || matchesFrom(chars, query, 0)) return MatchTier.prefix;
  if (username.includes(q) || name.includes(q)) return MatchTier.substring;
  for (let start = 1; start < chars.length; start += 1) {
    if (matchesFrom(chars, query, start)) return MatchTier.substring;
  }
  return null;
}

/**
 * The members matching the query, best first: exact, then prefix, then substring matches;
 * within a tier members who can read the plan come first, then by pinyin (the order a
 * Chinese contact list uses).
 */
export function searchMembers<T extends MemberSearchEntry & { canRead?: boolean }>(entries: readonly T[], query: string, limit = 8): T[] {
  return entries
    .flatMap((entry) => {
      const tier = matchMember(entry, query);
      return tier === null ? [] : [{ entry, tier }];
    })
    .sort(
      (a, b) =>
        a.tier - b.tier ||
        Number(b.entry.canRead ?? true) - Number(a.entry.canRead ?? true) ||
        a.entry.pinyin.localeCompare(b.entry.pinyin) ||
        a.entry.id - b.entry.id,
    )
    .slice(0, limit)
    .map(({ entry }) => entry);
}
