import { describe, expect, it } from "vitest";
import { MENTION_KEY_PATTERN } from "~/domain/mention-node";
import { newMentionKey } from "./mention-extension";

describe("newMentionKey", () => {
  it("makes keys the mentions route accepts, and never the same one twice", () => {
    const keys = Array.from({ length: 500 }, newMentionKey);
    expect(keys.every((key) => MENTION_KEY_PATTERN.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
