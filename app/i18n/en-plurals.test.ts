// English counts follow English plural rules (issue 18: no "1 entries").
import { describe, expect, it } from "vitest";
import { resources } from "./resources";

function leaves(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === "string") out.push([path, value]);
  else if (value !== null && typeof value === "object") for (const [key, inner] of Object.entries(value)) leaves(inner, path === "" ? key : `${path}.${key}`, out);
  return out;
}

/** "{{count}} entries", "{{count}} budget line(s)": a plural noun right after the number. */
const COUNTED_NOUN = /\{\{count\}\}\s+(?:[a-z]+\s+)?[a-z]*(?:s|\(s\))(?![a-z(])/i;

/** Counts that are never 1, so the plural always fits, each with why. */
const ALWAYS_PLURAL: Readonly<Record<string, string>> = {
  "finance.summary.truncated": "shown only when more plans match than the page shows, so there are always several",
  "dashboard.money.shown": "shown only when more plans match than the chart shows, so there are always several",
  "attachments.error.tooMany": "the count is the per-entry limit, a constant above 1",
};

describe("English strings with a count", () => {
  const strings = leaves(resources.en.translation, "", []);
  const paths = new Set(strings.map(([path]) => path));

  it("spot a counted plural noun (the check itself works)", () => {
    expect(COUNTED_NOUN.test("{{count}} entries")).toBe(true);
    expect(COUNTED_NOUN.test("{{count}} budget line(s) are TBD")).toBe(true);
    expect(COUNTED_NOUN.test("{{count}} d")).toBe(false);
    expect(COUNTED_NOUN.test("Entries: {{count}}")).toBe(false);
    expect(COUNTED_NOUN.test("{{count}} waiting")).toBe(false);
  });

  it("come as a _one and _other pair whenever a plural noun follows the number", () => {
    const unpaired = strings
      .filter(([path, text]) => COUNTED_NOUN.test(text) && !Object.hasOwn(ALWAYS_PLURAL, path))
      .filter(([path]) => {
        const base = path.replace(/_(one|other|zero|two|few|many)$/, "");
        return !(paths.has(`${base}_one`) && paths.has(`${base}_other`));
      })
      .map(([path, text]) => `${path}: ${text}`);
    expect(unpaired).toEqual([]);
  });
});
