import { pinyin, polyphonic } from "pinyin-pro";
import type { MemberSearchEntry } from "./member-search";

/** Enough for every common polyphone (乐: le yue yao lao) without letting one character match half the alphabet. */
const MAX_READINGS = 4;

/**
 * The search keys of a member's name. Server side only: the pinyin dictionary is large, so
 * the browser receives the readings instead of computing them. The first reading uses
 * surname rules (单 → shan, 曾 → zeng); the other readings of a polyphone are kept too,
 * because people type what they hear, and a colleague named 单 may well be typed "dan".
 */
export function memberSearchKeys(name: string): Pick<MemberSearchEntry, "pinyin" | "initials" | "syllables"> {
  const chars = Array.from(name);
  const options = { toneType: "none", type: "array" } as const;
  const primary = pinyin(name, { ...options, surname: "head" });
  const all = polyphonic(name, options);
  const aligned = primary.length === chars.length && all.length === chars.length;
  const syllables = chars.flatMap((char, i) => {
    if (/\s/.test(char)) return [];
    const first = aligned ? primary[i] : pinyin(char, options)[0];
    const others = aligned ? all[i] : polyphonic(char, options)[0];
    const list = [first, ...(others ?? [])].flatMap((s) => (s === undefined || s.trim() === "" ? [] : [s.toLowerCase()]));
    return [[...new Set(list.length > 0 ? list : [char.toLowerCase()])].slice(0, MAX_READINGS)];
  });
  return {
    pinyin: syllables.map((s) => s[0] ?? "").join(""),
    initials: syllables.map((s) => s[0]?.[0] ?? "").join(""),
    syllables,
  };
}
