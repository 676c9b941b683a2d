import { z } from "zod";

// Line breaks, tabs and the Unicode line/paragraph separators would split a name shown on
// one line; they become a space.
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// Control (Cc) and format (Cf) characters draw nothing or silently reorder the text around
// them (zero-width spaces and joiners U+200B–U+200F, bidi embeddings and overrides
// U+202A–U+202E and isolates U+2066–U+2069, word joiner and invisible operators
// U+2060–U+2064, the BOM U+FEFF, the soft hyphen…), so a name made of them looks empty and
// one containing them can read differently from what is stored. The Hangul fillers and the
// blank Braille pattern are letters that render as blank space, used for the same trick.
const INVISIBLE = /[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/**
 * A name as the app stores and shows it: invisible and control characters removed,
 * whitespace runs folded to one space, trimmed. Empty when nothing visible was typed.
 */
export function cleanDisplayName(text: string): string {
  return text.replace(BREAKS, " ").replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
}

/**
 * A form field holding a name: cleaned, then checked. A field left blank gets the field's
 * length message; one that had only invisible characters gets `invisible`, so the member
 * learns why what they typed did not count.
 */
export function displayNameSchema(options: { max: number; length: string; invisible: string }) {
  return z.string().transform((raw, ctx) => {
    const name = cleanDisplayName(raw);
    if (name === "") {
      ctx.addIssue({ code: "custom", message: raw.trim() === "" ? options.length : options.invisible });
      return z.NEVER;
    }
    if (name.length > options.max) {
      ctx.addIssue({ code: "custom", message: options.length });
      return z.NEVER;
    }
    return name;
  });
}
