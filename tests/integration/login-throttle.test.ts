import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { attemptLogin } from "~/services/auth/login.server";
import { passwordVerifications } from "~/services/auth/password.server";
import { LOGIN_WINDOW_MS } from "~/domain/login-throttle";
import { HttpClient } from "../support/http-client";
import { freshDbPath } from "../support/db";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

// Every request here comes from 127.0.0.1, so this file has its own server: the failures it
// makes count against that address and must not throttle other files' logins.
describe("login throttle over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false });
  });
  afterAll(() => server.close());

  /** A client holding its CSRF cookie already, so a burst of posts starts at once. */
  async function readyClient(): Promise<HttpClient> {
    const client = new HttpClient(server.url);
    await client.get("/login");
    return client;
  }

  async function burst(client: HttpClient, username: string, passwords: string[]) {
    return Promise.all(
      passwords.map(async (password) => {
        const response = await client.login(username, password);
        return {
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          session: response.headers.getSetCookie().some((c) => c.startsWith("cd_session=")),
          text: await response.text(),
        };
      }),
    );
  }

  it("checks at most 5 passwords of 100 parallel wrong attempts; the rest get 429 with Retry-After", async () => {
    const target = await makeMember(server.db, { role: "planner" });
    const client = await readyClient();
    const before = passwordVerifications();
    const answers = await burst(client, target.username, Array.from({ length: 100 }, (_, i) => `wrong-${i}`));
    expect(passwordVerifications() - before).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(95);
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(LOGIN_WINDOW_MS / 1000);
    }
  });

  it("does not sign in with the right password hidden in a parallel burst once the limit is reached", async () => {
    const target = await makeMember(server.db, { role: "planner" });
    const client = await readyClient();
    const firstFailure = Date.now();
    for (let i = 0; i < 5; i++) expect((await client.login(target.username, `wrong-${i}`)).status).toBe(401);
    const lastFailure = Date.now();

    const before = passwordVerifications();
    const passwords = Array.from({ length: 40 }, (_, i) => (i === 20 ? target.password : `guess-${i}`));
    const answers = await burst(client, target.username, passwords);
    expect(passwordVerifications() - before).toBe(0);
    expect(answers.map((a) => a.status)).toEqual(passwords.map(() => 429));
    expect(answers.some((a) => a.session)).toBe(false);

    // The page names the wait and the clock time (China time, rounded up to the minute) it ends.
    const match = /登录尝试过多，请在 (\d+) 分钟后（(\d{2}:\d{2})）再试。/.exec(answers[0]!.text);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(14);
    expect(Number(match![1])).toBeLessThanOrEqual(15);
    const clock = (at: number) =>
      new Intl.DateTimeFormat("zh-CN", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Shanghai" }).format(
        Math.ceil((at + LOGIN_WINDOW_MS) / 60_000) * 60_000,
      );
    expect([clock(firstFailure), clock(lastFailure)]).toContain(match![2]);
    const retryAfter = Number(answers[0]!.retryAfter);
    expect(retryAfter).toBeGreaterThan((firstFailure + LOGIN_WINDOW_MS - Date.now()) / 1000 - 1);
    expect(retryAfter).toBeLessThanOrEqual((lastFailure + LOGIN_WINDOW_MS - firstFailure) / 1000 + 1);
  });
});

describe("login throttle rules", () => {
  let db: Db;
  let member: MadeMember;
  const now = 1_800_000_000_000;
  const login = (password: string, ip: string, at = now) => attemptLogin(db, { username: member.username, password, ip, now: at });

  beforeAll(async () => {
    db = createDb(freshDbPath());
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  async function newMember() {
    member = await makeMember(db, { role: "planner" });
  }

  it("lets 5 of 20 parallel wrong attempts be checked, whichever runs first", async () => {
    await newMember();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`wrong-${i}`, "10.0.0.1")));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(15);
  });

  it("locks one address after 5 failures while another signs in, and keeps that lock", async () => {
    await newMember();
    for (let i = 0; i < 5; i++) expect(await login(`wrong-${i}`, "10.0.0.1", now + i * 60_000)).toEqual({ ok: false, reason: "invalid" });
    const later = now + 5 * 60_000;
    expect(await login(member.password, "10.0.0.1", later)).toEqual({ ok: false, reason: "throttled", retryAfterMs: 10 * 60_000 });
    expect(await login(member.password, "10.0.0.2", later)).toMatchObject({ ok: true, user: { id: member.id } });
    // A sign-in from another address does not forgive the guesses made from the first.
    expect(await login(member.password, "10.0.0.1", later)).toMatchObject({ ok: false, reason: "throttled" });
    // Once the oldest failure leaves the window, the address gets one more try.
    expect(await login(member.password, "10.0.0.1", now + LOGIN_WINDOW_MS)).toMatchObject({ ok: true });
  });

  it("forgives the failures of an address that then signs in, but not other addresses'", async () => {
    await newMember();
    for (let i = 0; i < 4; i++) await login(`wrong-${i}`, "10.0.0.1");
    for (let i = 0; i < 4; i++) await login(`wrong-${i}`, "10.0.0.2");
    expect(await login(member.password, "10.0.0.1")).toMatchObject({ ok: true });
    const rows = await db.selectFrom("login_failures").select("ip").where("username", "=", member.username).execute();
    expect(rows.map((r) => r.ip)).toEqual(["10.0.0.2", "10.0.0.2", "10.0.0.2", "10.0.0.2"]);
  });

  it("locks the account for every address at 20 failures across addresses", async () => {
    await newMember();
    for (let ip = 1; ip <= 4; ip++) {
      for (let i = 0; i < 5; i++) expect(await login(`wrong-${i}`, `10.0.1.${ip}`)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await login(member.password, "10.0.1.9")).toMatchObject({ ok: false, reason: "throttled" });
    // Another account on the same addresses is not affected.
    const other = await makeMember(db, { role: "viewer" });
    expect(await attemptLogin(db, { username: other.username, password: other.password, ip: "10.0.1.9", now })).toMatchObject({ ok: true });
  });

  it("prunes attempts older than the window as new ones arrive", async () => {
    await newMember();
    const old = now - LOGIN_WINDOW_MS - 60_000;
    for (let i = 0; i < 3; i++) await login(`wrong-${i}`, "10.0.2.1", old);
    await login("wrong-now", "10.0.2.2");
    const left = await db.selectFrom("login_failures").select("at").where("at", "<=", now - LOGIN_WINDOW_MS).execute();
    expect(left).toEqual([]);
  });
});
