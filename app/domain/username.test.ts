import { describe, expect, it } from "vitest";
import { UsernameSchema, normalizeUsername } from "./username";

describe("usernames", () => {
  it("normalizes case, width and surrounding space", () => {
    expect(normalizeUsername("  ＺhangSan ")).toBe("zhangsan");
  });

  it.each(["li.na", "wang-01", "zhao_lei"])("accepts %s", (name) => {
    expect(UsernameSchema.safeParse(name).success).toBe(true);
  });

  it.each(["ab", "张三", "has space", "-lead", "a".repeat(33)])("refuses %s", (name) => {
    const result = UsernameSchema.safeParse(name);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.message).toBe("usernameFormat");
  });
});
