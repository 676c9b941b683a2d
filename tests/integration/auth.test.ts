import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let planner: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  planner = await makeMember(server.db, { role: "planner" });
});
afterAll(() => server.close());

describe("login", () => {
  it("signs a member in and shows the Chinese shell", async () => {
    const client = new HttpClient(server.url);
    const login = await client.login(planner.username, planner.password);
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/dashboard");
    const sessionCookie = login.headers.getSetCookie().find((c) => c.startsWith("cd_session="));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).not.toMatch(/Secure/i);
    const page = await client.get("/plans");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain("活动方案");
    expect(html).toContain(planner.name);
  });

  it("gives the same message for an unknown user and a wrong password", async () => {
    const unknown = await new HttpClient(server.url).login("nobody-here", "whatever-pass");
    const wrong = await new HttpClient(server.url).login(planner.username, "wrong-password");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const unknownText = await unknown.text();
    const wrongText = await wrong.text();
    expect(unknownText).toContain("用户名或密码不正确。");
    expect(wrongText).toContain("用户名或密码不正确。");
    // CSRF tokens and script nonces are new in every response; everything else must match.
    const withoutTokens = (html: string) => html.replace(/[\w-]{24}\.[\w-]{43}/g, "TOKEN").replace(/nonce="[^"]*"/g, 'nonce="NONCE"');
    expect(withoutTokens(unknownText)).toBe(withoutTokens(wrongText));
  });

  it("refuses the 6th failure within 15 minutes with 429 and the wait, even with the right password", async () => {
    const target = await makeMember(server.db, { role: "viewer" });
    const client = new HttpClient(server.url);
    for (let i = 0; i < 5; i++) expect((await client.login(target.username, `wrong-${i}`)).status).toBe(401);
    const sixth = await client.login(target.username, "wrong-again");
    expect(sixth.status).toBe(429);
    expect(await sixth.text()).toMatch(/登录尝试过多，请在 1[45] 分钟后（\d{2}:\d{2}）再试。/);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(800);
    const right = await client.login(target.username, target.password);
    expect(right.status).toBe(429);
    // Another account from the same address is not locked by this one's failures.
    expect((await new HttpClient(server.url).login(planner.username, planner.password)).status).toBe(302);
  });

  it.each(["//evil.example", "https://evil.example", "/\\evil.example"])("sends redirectTo=%s to /", async (redirectTo) => {
    const response = await new HttpClient(server.url).login(planner.username, planner.password, redirectTo);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
  });

  it("follows a redirectTo on this site", async () => {
    const response = await new HttpClient(server.url).login(planner.username, planner.password, "/calendar?month=2027-02");
    expect(response.headers.get("location")).toBe("/calendar?month=2027-02");
  });

  it("ends the session on the server at logout", async () => {
    const client = new HttpClient(server.url);
    await client.login(planner.username, planner.password);
    const stolen = client.cookieHeader;
    expect((await client.post("/logout", {})).headers.get("location")).toBe("/login");
    const replay = await fetch(`${server.url}/plans`, { headers: { cookie: stolen }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toMatch(/^\/login/);
  });
});
