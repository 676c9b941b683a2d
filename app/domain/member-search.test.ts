import { describe, expect, it } from "vitest";
import { memberSearchKeys } from "./member-pinyin";
import { MatchTier, matchMember, searchMembers, type MemberSearchEntry } from "./member-search";

function member(id: number, name: string, username: string, canRead = true): MemberSearchEntry & { canRead: boolean } {
  return { id, name, username, ...memberSearchKeys(name), canRead };
}

const lina = member(2, "李娜", "planner");
const linan = member(9, "林楠", "linan");
const wanglei = member(1, "王磊", "admin");
const shan = member(20, "单田芳", "tf");
const zeng = member(21, "曾国藩", "guofan");
const all = [wanglei, lina, member(3, "陈晨", "planner2"), member(4, "赵敏", "finance"), linan, shan, zeng];

describe("memberSearchKeys", () => {
  it("computes full pinyin and initials without tones", () => {
    expect(memberSearchKeys("李娜")).toMatchObject({ pinyin: "lina", initials: "ln" });
    expect(memberSearchKeys("郑洁").pinyin).toBe("zhengjie");
  });

  it("reads polyphonic surnames as surnames first and keeps the other readings", () => {
    expect(shan.pinyin).toBe("shantianfang");
    expect(shan.syllables[0]).toEqual(expect.arrayContaining(["shan", "dan"]));
    expect(zeng.pinyin).toBe("zengguofan");
    expect(zeng.syllables[0]).toContain("ceng");
  });

  it("skips spaces and keeps Latin letters as they are", () => {
    expect(memberSearchKeys("Anna 王")).toMatchObject({ pinyin: "annawang", initials: "annaw" });
  });
});

describe("matchMember", () => {
  it("matches the name, a part of it, full pinyin, initials, mixed input and the username", () => {
    expect(matchMember(lina, "李娜")).toBe(MatchTier.exact);
    expect(matchMember(lina, "李")).toBe(MatchTier.prefix);
    expect(matchMember(lina, "娜")).toBe(MatchTier.substring);
    expect(matchMember(lina, "lina")).toBe(MatchTier.exact);
    expect(matchMember(lina, "LiNa")).toBe(MatchTier.exact);
    expect(matchMember(lina, "ln")).toBe(MatchTier.exact);
    expect(matchMember(lina, "li")).toBe(MatchTier.prefix);
    expect(matchMember(lina, "lin")).toBe(MatchTier.prefix);
    expect(matchMember(lina, "li娜")).toBe(MatchTier.prefix);
    expect(matchMember(lina, "l娜")).toBe(MatchTier.prefix);
    expect(matchMember(lina, "na")).toBe(MatchTier.substring);
    expect(matchMember(lina, "plan")).toBe(MatchTier.prefix);
    expect(matchMember(lina, "anner")).toBe(MatchTier.substring);
  });

  it("does not match what the name cannot be read as", () => {
    expect(matchMember(lina, "wang")).toBeNull();
    expect(matchMember(lina, "lnx")).toBeNull();
    expect(matchMember(lina, "ali")).toBeNull();
    expect(matchMember(lina, "李王")).toBeNull();
    expect(matchMember(wanglei, "ln")).toBeNull();
  });

  it("finds polyphonic names under any reading", () => {
    expect(matchMember(shan, "shan")).toBe(MatchTier.prefix);
    expect(matchMember(shan, "dantf")).toBe(MatchTier.prefix);
    expect(matchMember(shan, "dtf")).toBe(MatchTier.prefix);
    expect(matchMember(zeng, "zgf")).toBe(MatchTier.exact);
    expect(matchMember(zeng, "cengguo")).toBe(MatchTier.prefix);
  });

  it("ignores spaces in the query", () => {
    expect(matchMember(lina, "li na")).toBe(MatchTier.exact);
  });
});

describe("searchMembers", () => {
  it("ranks prefix matches above substring matches", () => {
    const found = searchMembers(all, "lin");
    expect(found.map((m) => m.name)).toEqual(["李娜", "林楠"]);
    const byNa = searchMembers(all, "n");
    expect(byNa.every((m) => matchMember(m, "n") === MatchTier.substring)).toBe(true);
    const ranked = searchMembers([member(30, "马娜", "ma"), member(31, "娜仁", "naren")], "na");
    expect(ranked.map((m) => m.name)).toEqual(["娜仁", "马娜"]);
  });

  it("puts exact matches first and readers before non-readers within a tier", () => {
    const reader = member(40, "李娜娜", "lnn");
    const outsider = member(41, "李楠", "linan2", false);
    expect(searchMembers([outsider, reader, lina], "li").map((m) => m.id)).toEqual([2, 40, 41]);
    expect(searchMembers([reader, lina], "李娜")[0]?.id).toBe(2);
  });

  it("lists everyone for an empty query, up to the limit", () => {
    expect(searchMembers(all, "")).toHaveLength(all.length);
    expect(searchMembers(all, "", 3)).toHaveLength(3);
  });
});
