import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByUsername } from "../../db/queries/users";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let adminMember: MadeMember;
let admin: HttpClient;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  adminMember = await makeMember(server.db, { role: "admin", name: "唯一管理员" });
  admin = new HttpClient(server.url);
  await admin.login(adminMember.username, adminMember.password);
});
afterAll(() => server.close());

describe("admin: members", () => {
  it("creates a member with a role and an approver title who can then log in", async () => {
    const response = await admin.post("/admin/members/new", {
      name: "孙强",
      username: "Sun.Qiang",
      password: "deputy-pass-1",
      role: "manager",
      title: "deputyGm",
    });
    expect(response.status).toBe(302);
    const stored = await findUserByUsername(server.db, "sun.qiang");
    expect(stored).toMatchObject({ name: "孙强", role: "manager", title: "deputyGm", active: 1 });
    expect(stored?.password_hash).toMatch(/^\$argon2id\$/);
    const member = new HttpClient(server.url);
    expect((await member.login("sun.qiang", "deputy-pass-1")).status).toBe(302);
  });

  it("reports each bad field and creates nothing", async () => {
    const response = await admin.post("/admin/members/new", { name: "", username: "x", password: "short", role: "boss", title: "none" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("姓名为 1–40 个字符。");
    expect(html).toContain("用户名为 3–32 位");
    expect(html).toContain("密码至少 8 位");
    expect(html).toContain("请选择有效的角色。");
    expect(await findUserByUsername(server.db, "x")).toBeUndefined();
  });

  it("refuses a taken username", async () => {
    const response = await admin.post("/admin/members/new", {
      name: "重名",
      username: adminMember.username.toUpperCase(),
      password: "long-enough-1",
      role: "viewer",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("该用户名已被使用。");
  });

  it("changes role and title, and records who did it", async () => {
    const target = await makeMember(server.db, { role: "planner" });
    const response = await admin.post(`/admin/members/${target.id}`, { intent: "update", name: "新名字", role: "finance", title: "finance" });
    expect(response.status).toBe(200);
    expect(await findUserByUsername(server.db, target.username)).toMatchObject({ name: "新名字", role: "finance", title: "finance" });
    const audit = await server.db.selectFrom("audit_log").selectAll().where("target_id", "=", String(target.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: adminMember.id, action: "member.update" });
  });

  it("ends a deactivated member's open session on their next request", async () => {
    const target = await makeMember(server.db, { role: "planner" });
    const member = new HttpClient(server.url);
    await member.login(target.username, target.password);
    expect((await member.get("/plans")).status).toBe(200);
    expect((await admin.post(`/admin/members/${target.id}`, { intent: "deactivate" })).status).toBe(200);
    const next = await member.get("/plans");
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toMatch(/^\/login/);
    expect((await member.get("/plans?_data=routes%2F_app.plans._index")).status).toBe(401);
    expect((await new HttpClient(server.url).login(target.username, target.password)).status).toBe(401);
  });

  it("will not demote or deactivate the last admin", async () => {
    const demote = await admin.post(`/admin/members/${adminMember.id}`, { intent: "update", name: "唯一管理员", role: "planner", title: "none" });
    expect(demote.status).toBe(409);
    expect(await demote.text()).toContain("不能停用或降级最后一位管理员。");
    expect((await findUserByUsername(server.db, adminMember.username))?.role).toBe("admin");

    const other = await makeMember(server.db, { role: "admin" });
    const otherClient = new HttpClient(server.url);
    await otherClient.login(other.username, other.password);
    expect((await otherClient.post(`/admin/members/${adminMember.id}`, { intent: "deactivate" })).status).toBe(200);
    const last = await otherClient.post(`/admin/members/${other.id}`, { intent: "update", name: "x", role: "viewer" });
    expect(last.status).toBe(409);
    expect((await findUserByUsername(server.db, other.username))?.role).toBe("admin");
  });
});
