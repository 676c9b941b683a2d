import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { buildDocument, readDocument } from "./read";
import { metaMap } from "./roots";

describe("reading and building a stored document", () => {
  it("reads a stored state through a throwaway document, destroyed afterwards even when the reader throws", () => {
    const { state, result } = buildDocument((doc) => {
      metaMap(doc).set("title", "中秋");
      return doc.clientID;
    });
    expect(typeof result).toBe("number");
    let seen: Y.Doc | null = null;
    expect(
      readDocument(state, (doc) => {
        seen = doc;
        return metaMap(doc).get("title");
      }),
    ).toBe("中秋");
    const destroyed = (doc: Y.Doc | null) => doc !== null && doc.isDestroyed;
    expect(destroyed(seen)).toBe(true);
    expect(() =>
      readDocument(state, (doc) => {
        seen = doc;
        throw new Error("reader failed");
      }),
    ).toThrow("reader failed");
    expect(destroyed(seen)).toBe(true);
  });
});
