import { describe, expect, it } from "vitest";
import { MemberUpdateSchema, NewMemberSchema, checkMemberChange } from "./members";

describe("member forms", () => {
  it("parses a new member with an approver title", () => {
    const parsed = NewMemberSchema.parse({ name: " 赵敏 ", username: "Zhao.Min", password: "s3cret-pass", role: "finance", title: "finance" });
    expect(parsed).toEqual({ name: "赵敏", username: "zhao.min", password: "s3cret-pass", role: "finance", title: "finance" });
  });

  it("treats an empty or 'none' title as no title", () => {
    expect(NewMemberSchema.parse({ name: "李娜", username: "lina", password: "12345678", role: "planner", title: "none" }).title).toBeNull();
    expect(NewMemberSchema.parse({ name: "李娜", username: "lina", password: "12345678", role: "planner" }).title).toBeNull();
  });

  it("names each bad field with a translatable message", () => {
    const result = NewMemberSchema.safeParse({ name: "", username: "x", password: "short", role: "boss", title: "ceo" });
    expect(result.success).toBe(false);
    const byField = Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    expect(byField).toEqual({
      name: "nameLength",
      username: "usernameFormat",
      password: "passwordLength",
      role: "invalidRole",
      title: "invalidTitle",
    });
  });

  it("strips invisible characters from a name and refuses one made only of them", () => {
    expect(MemberUpdateSchema.parse({ name: " 赵\u200B敏\u202E ", role: "finance", title: "none" }).name).toBe("赵敏");
    const result = NewMemberSchema.safeParse({ name: "\u200B\u2060\uFEFF\u0007", username: "zhao.min", password: "s3cret-pass", role: "finance" });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["name", "nameInvisible"]]);
  });

  it("keeps the password when the reset field is left empty", () => {
    expect(MemberUpdateSchema.parse({ name: "周杰", role: "manager", title: "gm", password: "" }).password).toBeUndefined();
    expect(MemberUpdateSchema.safeParse({ name: "周杰", role: "manager", title: "gm", password: "short" }).success).toBe(false);
  });
});

describe("checkMemberChange", () => {
  const admin = { id: 1, role: "admin" as const, active: true };
  it("refuses to demote or deactivate the last active admin", () => {
    expect(checkMemberChange({ actorId: 2, target: admin, next: { role: "planner", active: true }, activeAdmins: 1 })).toBe("lastAdmin");
    expect(checkMemberChange({ actorId: 2, target: admin, next: { role: "admin", active: false }, activeAdmins: 1 })).toBe("lastAdmin");
  });

  it("allows it while another active admin remains", () => {
    expect(checkMemberChange({ actorId: 2, target: admin, next: { role: "planner", active: true }, activeAdmins: 2 })).toBeNull();
  });

  it("refuses self-deactivation but allows other edits of oneself", () => {
    expect(checkMemberChange({ actorId: 1, target: admin, next: { role: "admin", active: false }, activeAdmins: 3 })).toBe("selfDeactivate");
    expect(checkMemberChange({ actorId: 1, target: admin, next: { role: "admin", active: true }, activeAdmins: 1 })).toBeNull();
  });

  it("lets anyone change non-admins freely", () => {
    const planner = { id: 5, role: "planner" as const, active: true };
    expect(checkMemberChange({ actorId: 1, target: planner, next: { role: "viewer", active: false }, activeAdmins: 1 })).toBeNull();
  });
});
