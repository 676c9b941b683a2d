// English mode has no Chinese in it (issue 18): every English string is checked, but for a short, reasoned allow-list.
import { describe, expect, it } from "vitest";
import { resources } from "./resources";

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * English strings that carry Chinese on purpose, each with why. A key here must still exist
 * and still hold Chinese, so the list cannot go stale.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  "actualsImport.intro": "names the workbook's sheet 实际录入, which is Chinese in every language: the file goes to Chinese finance staff",
  "review.generated": "quotes the section heading written into the plan, which is Chinese whatever the reader's language",
  "review.generatedWithNotes": "quotes the section headings written into the plan, which are Chinese whatever the reader's language",
  "review.hint": "quotes the section headings written into the plan, which are Chinese whatever the reader's language",
  "polish.templates.storeHint": "quotes the literal placeholders (xx月xx日, xx大酒店) the Chinese templates contain, so the reader can find them",
  "language.zh-CN": "a language is offered in its own name, so a reader of Chinese finds it in English mode",
};

function leaves(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === "string") out.push([path, value]);
  else if (value !== null && typeof value === "object") for (const [key, inner] of Object.entries(value)) leaves(inner, path === "" ? key : `${path}.${key}`, out);
  return out;
}

describe("the English resources", () => {
  const strings = leaves(resources.en.translation, "", []);

  it("are read at all (the walk works)", () => {
    expect(strings.length).toBeGreaterThan(500);
  });

  it("hold no Chinese outside the allow-list", () => {
    const offenders = strings.filter(([path, text]) => CJK.test(text) && !Object.hasOwn(ALLOWED, path)).map(([path, text]) => `${path}: ${text}`);
    expect(offenders).toEqual([]);
  });

  it("allow only keys that exist and still need it", () => {
    const byPath = new Map(strings);
    const stale = Object.keys(ALLOWED).filter((path) => !CJK.test(byPath.get(path) ?? ""));
    expect(stale).toEqual([]);
  });
});
