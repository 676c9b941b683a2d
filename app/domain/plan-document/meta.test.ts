import { describe, expect, it } from "vitest";
import { MetaSchema, REVIEW_META } from "./meta";

describe("plan meta", () => {
  it("lists every key the document writes, the review's section ids included, and drops a bad one", () => {
    expect(Object.keys(MetaSchema.shape)).toEqual(expect.arrayContaining([REVIEW_META.data, REVIEW_META.notes]));
    const read = MetaSchema.parse({ title: "中秋", [REVIEW_META.data]: "abc123", [REVIEW_META.notes]: "<script>" });
    expect(read[REVIEW_META.data]).toBe("abc123");
    expect(read[REVIEW_META.notes]).toBeUndefined();
    expect(MetaSchema.parse({})).not.toHaveProperty(REVIEW_META.data);
  });
});
