import { describe, expect, it } from "vitest";
import { cleanDisplayName, displayNameSchema } from "./display-name";

describe("cleanDisplayName", () => {
  it("keeps an ordinary Chinese or English name as typed", () => {
    expect(cleanDisplayName("2027 中秋客户答谢晚会")).toBe("2027 中秋客户答谢晚会");
    expect(cleanDisplayName("Grand Opening (Pudong)")).toBe("Grand Opening (Pudong)");
  });

  it("removes zero-width, bidi, format and control characters inside a name", () => {
    expect(cleanDisplayName("中\u200B秋\u200D晚\u2060会\uFEFF")).toBe("中秋晚会");
    expect(cleanDisplayName("\u202Eabc\u202C 模板\u2066x\u2069")).toBe("abc 模板x");
    expect(cleanDisplayName("a\u0000b\u0007c\u007Fd\u0085e\u009Ff")).toBe("abcd ef");
    expect(cleanDisplayName("软\u00AD连字")).toBe("软连字");
  });

  it("turns line breaks and tabs into one space and trims", () => {
    expect(cleanDisplayName("  双十一\r\n\t大促 \u2028 活动  ")).toBe("双十一 大促 活动");
    expect(cleanDisplayName("\u3000开业\u3000")).toBe("开业");
  });

  it("leaves nothing of a name made only of invisible characters", () => {
    expect(cleanDisplayName("\u200B\u200C\u200D\u200E\u200F")).toBe("");
    expect(cleanDisplayName("\u202A\u202B\u202C\u202D\u202E\u2060\u2061\u2062\u2063\u2064\uFEFF")).toBe("");
    expect(cleanDisplayName("\u0001\u001F\u0080\u009F")).toBe("");
    expect(cleanDisplayName("\u3164\u115F\u2800")).toBe("");
  });
});

describe("displayNameSchema", () => {
  const schema = displayNameSchema({ max: 5, length: "nameLength", invisible: "nameInvisible" });
  const error = (raw: string) => {
    const result = schema.safeParse(raw);
    return result.success ? null : result.error.issues.map((i) => i.message);
  };

  it("returns the cleaned name", () => {
    expect(schema.parse(" 中\u200B秋 ")).toBe("中秋");
  });

  it("says the field is empty when nothing was typed, and invisible when only invisible characters were", () => {
    expect(error("   ")).toEqual(["nameLength"]);
    expect(error("\u200B\u202E")).toEqual(["nameInvisible"]);
  });

  it("counts the length after cleaning", () => {
    expect(schema.parse("\u200B12345\u200B")).toBe("12345");
    expect(error("123456")).toEqual(["nameLength"]);
  });
});
