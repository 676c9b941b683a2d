import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countUsers } from "../../db/queries/users";
import { HttpClient } from "../support/http-client";
import { makeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  const member = await makeMember(server.db, { role: "admin" });
  admin = new HttpClient(server.url);
  await admin.login(member.username, member.password);
});
afterAll(() => server.close());

const newMember = { name: "钱多多", username: "qian.duoduo", password: "long-enough-1", role: "viewer", title: "none" };

describe("cross-site request protection", () => {
  it("refuses a mutating POST without the token and changes nothing", async () => {
    const before = await countUsers(server.db);
    const response = await admin.post("/admin/members/new", newMember, { csrf: false });
    expect(response.status).toBe(403);
    expect(await countUsers(server.db)).toBe(before);
  });

  it("refuses a token that is not this browser's", async () => {
    const stranger = new HttpClient(server.url);
    await stranger.get("/login");
    const before = await countUsers(server.db);
    const response = await admin.post("/admin/members/new", newMember, { csrf: stranger.cookies.get("cd_csrf")! });
    expect(response.status).toBe(403);
    expect(await countUsers(server.db)).toBe(before);
  });

  it("refuses a POST from a foreign Origin even with the token", async () => {
    const before = await countUsers(server.db);
    const response = await admin.post("/admin/members/new", newMember, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await countUsers(server.db)).toBe(before);
  });

  it("accepts the same request from this site with its token", async () => {
    const before = await countUsers(server.db);
    const response = await admin.post("/admin/members/new", newMember);
    expect(response.status).toBe(302);
    expect(await countUsers(server.db)).toBe(before + 1);
  });

  it("guards every route that has an action, including login and logout", async () => {
    const build = (await import("../../build/index.js")) as { routes: Record<string, { path?: string; module: { action?: unknown } }> };
    const withActions = Object.entries(build.routes).filter(([, route]) => route.module.action);
    expect(withActions.length).toBeGreaterThanOrEqual(5);
    for (const [id] of withActions) {
      const path = pathOf(build.routes, id);
      const response = await admin.post(path, {}, { csrf: false });
      expect(response.status, `${id} at ${path}`).toBe(403);
    }
  });
});

function pathOf(routes: Record<string, { path?: string; parentId?: string }>, id: string): string {
  const segments: string[] = [];
  for (let current: string | undefined = id; current; current = routes[current]?.parentId) {
    const path = routes[current]?.path;
    if (path) segments.unshift(path.replace(/:[^/]+/g, "1"));
  }
  return `/${segments.join("/")}`;
}
