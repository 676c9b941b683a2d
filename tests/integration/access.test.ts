import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { makeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";
import type { Role } from "~/domain/roles";

let server: TestServer;
const clients = {} as Record<Role, HttpClient>;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  for (const role of ["admin", "planner", "manager", "finance", "viewer"] as const) {
    const member = await makeMember(server.db, { role, name: `成员-${role}` });
    clients[role] = new HttpClient(server.url);
    expect((await clients[role].login(member.username, member.password)).status).toBe(302);
  }
});
afterAll(() => server.close());

const ADMIN_DATA = "/admin/members?_data=routes%2F_app.admin.members._index";

describe("who may see what", () => {
  it("refuses a viewer the admin page and its data with 403 and no member data", async () => {
    const page = await clients.viewer.get("/admin/members");
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain("无权访问");
    expect(html).not.toContain("成员-admin");

    const data = await clients.viewer.get(ADMIN_DATA);
    expect(data.status).toBe(403);
    const body = await data.text();
    expect(body).not.toContain("成员-");
    expect(body).not.toContain("username");
  });

  it("gives the admin the member data", async () => {
    const data = await clients.admin.get(ADMIN_DATA);
    expect(data.status).toBe(200);
    expect(await data.text()).toContain("成员-viewer");
  });

  it("redirects an anonymous page request to login and answers an anonymous data request with 401", async () => {
    const anonymous = new HttpClient(server.url);
    const page = await anonymous.get("/admin/members");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/login?redirectTo=%2Fadmin%2Fmembers");
    const data = await anonymous.get(ADMIN_DATA);
    expect(data.status).toBe(401);
    expect(await data.text()).not.toContain("成员-");
  });

  const matrix: Array<[string, Role[]]> = [
    ["/dashboard", ["admin", "planner", "manager", "finance", "viewer"]],
    ["/plans", ["admin", "planner", "manager", "finance", "viewer"]],
    ["/approvals", ["admin", "planner", "manager", "finance", "viewer"]],
    ["/finance", ["admin", "finance"]],
    ["/calendar", ["admin", "planner", "manager", "finance", "viewer"]],
    ["/admin/members", ["admin"]],
    ["/admin/members/new", ["admin"]],
    ["/admin/templates", ["admin"]],
    ["/admin/authority", ["admin"]],
    ["/admin/audit", ["admin"]],
  ];
  for (const [path, allowed] of matrix) {
    for (const role of ["admin", "planner", "manager", "finance", "viewer"] as const) {
      const ok = allowed.includes(role);
      it(`${role} ${ok ? "opens" : "is refused"} ${path}`, async () => {
        expect((await clients[role].get(path)).status).toBe(ok ? 200 : 403);
      });
    }
  }

  it("answers an unknown area with 404 inside the shell", async () => {
    const response = await clients.planner.get("/no-such-area");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("页面不存在");
  });

  it("never shows a stack trace", async () => {
    const response = await clients.admin.get("/admin/members/not-a-number");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
