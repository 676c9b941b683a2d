// Over 400 lines: one raw-socket server serves every HTTP edge attack; splitting would start it once per file.
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";
import { rawExchange, requestHead } from "../support/raw-http";

let server: TestServer;
let planner: MadeMember;
let finance: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, http: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
  planner = await makeMember(server.db, { role: "planner" });
  finance = await makeMember(server.db, { role: "finance" });
});
afterAll(() => server.close());

async function signedIn(member: MadeMember): Promise<HttpClient> {
  const client = new HttpClient(server.url);
  const response = await client.login(member.username, member.password);
  expect(response.status).toBe(302);
  return client;
}

function sameSite(location: string | null): boolean {
  if (location === null) return false;
  return !location.startsWith("//") && new URL(location, server.url).origin === new URL(server.url).origin;
}

const dotSegmentRedirects = ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/plans/..//evil.example/phish", "/%2E%2E//evil.example"];

describe("redirects after sign-in", () => {
  it.each(dotSegmentRedirects)("keep %s on this site, for a form post, a data request and a signed-in visit", async (redirectTo) => {
    const client = new HttpClient(server.url);
    const posted = await client.login(planner.username, planner.password, redirectTo);
    expect(posted.status).toBe(302);
    expect(sameSite(posted.headers.get("location")), posted.headers.get("location") ?? "").toBe(true);

    const data = await new HttpClient(server.url).post("/login?_data=routes%2Flogin", {
      username: planner.username,
      password: planner.password,
      redirectTo,
    });
    expect(sameSite(data.headers.get("x-remix-redirect")), data.headers.get("x-remix-redirect") ?? "").toBe(true);

    const visit = await client.get(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
    expect(visit.status).toBe(302);
    expect(sameSite(visit.headers.get("location")), visit.headers.get("location") ?? "").toBe(true);
  });
});

describe("client address behind a proxy", () => {
  async function sessionIpAfterLogin(target: TestServer, forwardedFor: string): Promise<string | null> {
    const member = await makeMember(target.db, { role: "viewer" });
    const client = new HttpClient(target.url);
    const response = await client.post(
      "/login",
      { username: member.username, password: member.password },
      { headers: { "x-forwarded-for": forwardedFor } },
    );
    expect(response.status).toBe(302);
    const row = await target.db.selectFrom("sessions").select("ip").where("user_id", "=", member.id).executeTakeFirstOrThrow();
    return row.ip;
  }

  it("ignores X-Forwarded-For unless a proxy is configured", async () => {
    expect(await sessionIpAfterLogin(server, "198.51.100.7")).toMatch(/127\.0\.0\.1$/);
  });

  it("with one trusted hop takes the right-most address, never the client's own entry", async () => {
    const proxied = await startTestServer({ seedDemo: false, env: { TRUST_PROXY: "1" } });
    try {
      expect(await sessionIpAfterLogin(proxied, "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    } finally {
      await proxied.close();
    }
  });

  it("with a proxy address list skips only those proxies", async () => {
    const proxied = await startTestServer({ seedDemo: false, env: { TRUST_PROXY: "loopback, 10.0.0.0/8" } });
    try {
      expect(await sessionIpAfterLogin(proxied, "6.6.6.6, 203.0.113.9, 10.1.2.3")).toBe("203.0.113.9");
    } finally {
      await proxied.close();
    }
  });
});

describe("request bodies", () => {
  it("refuses an anonymous 20 MB post at once, without reading it", async () => {
    const { socket, answer } = rawExchange(
      server.port,
      requestHead("POST", "/login", {
        Host: `127.0.0.1:${server.port}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": 20 * 1024 * 1024,
        Connection: "close",
      }),
      "username=a&password=b&",
    );
    const reply = await answer;
    expect(reply.status).toBe(413);
    expect(socket.bytesWritten).toBeLessThan(64 * 1024);
  });

  it("refuses an anonymous chunked post once it passes the anonymous limit", async () => {
    const chunk = Buffer.alloc(20 * 1024, "a");
    const { answer } = rawExchange(
      server.port,
      requestHead("POST", "/login", {
        Host: `127.0.0.1:${server.port}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
        Connection: "close",
      }),
      Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
    );
    expect((await answer).status).toBe(413);
  });

  it("refuses a post from a foreign origin before reading its body", async () => {
    const { answer } = rawExchange(
      server.port,
      requestHead("POST", "/login", {
        Host: `127.0.0.1:${server.port}`,
        Origin: "https://evil.example",
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": 10_000,
        Connection: "close",
      }),
      "username=a",
    );
    expect((await answer).status).toBe(403);
  });

  it("caps a member's form posts at 1 MB", async () => {
    const client = await signedIn(planner);
    const response = await client.post("/plans/new", { title: "x".repeat(1024 * 1024 + 10) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("提交的内容过大");
  });

  it("holds at most 8 MB of one member's form bodies in memory at once, and answers the rest 503", async () => {
    const roomy = await startTestServer({ seedDemo: false });
    try {
      const member = await makeMember(roomy.db, { role: "planner" });
      const client = new HttpClient(roomy.url);
      expect((await client.login(member.username, member.password)).status).toBe(302);
      const formHead = (length: number) =>
        requestHead("POST", "/plans/new", {
          Host: `127.0.0.1:${roomy.port}`,
          Origin: roomy.url,
          Cookie: client.cookieHeader,
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": length,
          Connection: "close",
        });
      // Ten posts each send 950 KB of a 1,000,000-byte body and wait: 9.5 MB in all.
      const held = Array.from({ length: 10 }, () => rawExchange(roomy.port, formHead(1_000_000), `title=${"x".repeat(950_000)}`));
      const first = await Promise.race(held.map(({ answer }) => answer));
      expect(first.status).toBe(503);
      expect(first.headers).toMatch(/retry-after: 5/i);
      for (const { socket } of held) socket.destroy();
      await Promise.all(held.map(({ answer }) => answer));
      // Every reservation is given back once its request ends.
      await waitFor(async () => (await client.post("/plans/new", { title: "" })).status !== 503);
      expect(roomy.loggedErrors).toEqual([]);
    } finally {
      await roomy.close();
    }
  });

  function uploadHead(client: HttpClient, planId: string, contentLength: number): string {
    return requestHead("POST", `/plans/${planId}/actuals/import`, {
      Host: `127.0.0.1:${server.port}`,
      Origin: server.url,
      Cookie: client.cookieHeader,
      "Content-Type": "multipart/form-data; boundary=XyZ",
      "Content-Length": contentLength,
      Connection: "close",
    });
  }

  function multipartStart(token: string): Buffer {
    return Buffer.from(
      `--XyZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
        `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="actuals.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
  }

  it("refuses an upload whose token is wrong after its first kilobytes, not after megabytes", async () => {
    const client = await signedIn(finance);
    const start = Buffer.concat([multipartStart("forged.token"), Buffer.alloc(16 * 1024, 1)]);
    const { socket, answer } = rawExchange(server.port, uploadHead(client, "no-such-plan", 4 * 1024 * 1024), start);
    expect((await answer).status).toBe(403);
    expect(socket.bytesWritten).toBeLessThan(64 * 1024);
  });

  it("takes at most two uploads of one member at a time", async () => {
    const client = await signedIn(finance);
    const token = client.cookies.get("cd_csrf")!;
    const complete = Buffer.concat([multipartStart(token), Buffer.from("\r\n--XyZ--\r\n")]);
    const another = async () => (await rawExchange(server.port, uploadHead(client, "no-such-plan", complete.length), complete).answer).status;
    const logged = server.loggedErrors.length;
    const slow = [0, 1].map(() =>
      rawExchange(server.port, uploadHead(client, "no-such-plan", 2 * 1024 * 1024), Buffer.concat([multipartStart(token), Buffer.alloc(16 * 1024, 1)])),
    );
    // A round trip through the same single database connection: by its end both slow
    // uploads have been signed in and have taken their slots.
    await client.get("/dashboard");
    expect(await another()).toBe(429);
    for (const { socket } of slow) socket.destroy();
    await Promise.all(slow.map(({ answer }) => answer));
    // The server releases a slot when it sees the socket close, which may come a moment later.
    await waitFor(async () => (await another()) === 404);
    // A client hanging up is not a server error: logging it would let anyone flood the log.
    expect(server.loggedErrors.slice(logged)).toEqual([]);
  });

  it("removes an upload's temporary file when the client hangs up the moment its body is sent", async () => {
    const client = await signedIn(finance);
    const token = client.cookies.get("cd_csrf")!;
    // Other test files upload too: only folders holding this test's bytes count.
    const marker = randomBytes(16);
    const body = Buffer.concat([multipartStart(token), Buffer.alloc(2 * 1024 * 1024, marker), Buffer.from("\r\n--XyZ--\r\n")]);
    for (let round = 0; round < 20; round++) {
      const { socket, answer } = rawExchange(server.port, uploadHead(client, "no-such-plan", body.length), body);
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      await waitFor(async () => socket.writableLength === 0);
      socket.destroy();
      await answer;
    }
    await waitFor(async () => (await uploadsHolding(marker)) === 0);
  });

  it("reads a real upload through to the route", async () => {
    const client = await signedIn(finance);
    const token = client.cookies.get("cd_csrf")!;
    const body = Buffer.concat([multipartStart(token), Buffer.alloc(1024 * 1024, 1), Buffer.from("\r\n--XyZ--\r\n")]);
    const { answer } = rawExchange(server.port, uploadHead(client, "no-such-plan", body.length), body);
    // The plan does not exist: the route itself answered, after the whole body was accepted.
    expect((await answer).status).toBe(404);
  });
});

describe("slow clients", () => {
  it("cuts off a client that never finishes its headers", async () => {
    const { answer } = rawExchange(server.port, `GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
    const reply = await answer;
    expect([0, 408]).toContain(reply.status);
  });

  it("cuts off a client that never finishes its body", async () => {
    const { answer } = rawExchange(
      server.port,
      requestHead("POST", "/login", { Host: `127.0.0.1:${server.port}`, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": 100 }),
      "username=a",
    );
    const reply = await answer;
    expect([0, 408]).toContain(reply.status);
  });
});

describe("request methods", () => {
  it.each(["OPTIONS", "PROPFIND", "TRACE"])("answer %s with 405 at the edge, before Remix (which logs it as an error)", async (method) => {
    const client = new HttpClient(server.url);
    await client.get("/login");
    const { answer } = rawExchange(
      server.port,
      requestHead(method, "/login", {
        Host: `127.0.0.1:${server.port}`,
        Origin: server.url,
        Cookie: client.cookieHeader,
        "X-CSRF-Token": client.cookies.get("cd_csrf")!,
        Connection: "close",
      }),
    );
    const reply = await answer;
    expect(reply.status).toBe(405);
    expect(reply.headers).toMatch(/^Allow: GET, HEAD, POST, PUT, PATCH, DELETE$/im);
    expect(reply.headers).toMatch(/^Content-Security-Policy: /im);
  });
});

describe("error pages", () => {
  it("answer a malformed path with a plain 400 and no stack or file path", async () => {
    const response = await fetch(`${server.url}/%`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/URIError|node_modules|\/work\/|at .*\.js/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("take only the path of an absolute-form target, never its host or credentials", async () => {
    const { answer } = rawExchange(server.port, `GET http://user:secret@evil.example/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    const reply = await answer;
    expect(reply.status).toBe(200);
    expect(reply.body).toContain("<form");
    expect(reply.body).not.toContain("evil.example");
  });

  it("does not log a post to a page without an action, or an unknown data route, as a server error", async () => {
    const client = await signedIn(planner);
    const logged = server.loggedErrors.length;
    expect((await client.post("/dashboard", { x: "1" })).status).toBe(405);
    expect((await client.get("/dashboard?_data=routes%2Fno-such-route")).status).toBe(403);
    // console.error fails any test (tests/support/fail-on-console-error.ts), so reaching here is the proof.
    expect(server.loggedErrors.slice(logged)).toEqual([]);
  });

  it.each(["a/b", "[::1", "exa mple.com", ""])("answer the Host header %j with 400", async (host) => {
    const { answer } = rawExchange(server.port, `GET /login HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    const reply = await answer;
    expect(reply.status).toBe(400);
    expect(reply.body).not.toMatch(/TypeError|Invalid URL|node_modules/);
  });
});

describe("response headers", () => {
  it("send a CSP whose nonce is on every script the page renders", async () => {
    const response = await fetch(`${server.url}/login`);
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("put the security headers on static files too", async () => {
    const response = await fetch(`${server.url}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("never let signed-in pages or data be cached", async () => {
    const client = await signedIn(planner);
    for (const path of ["/dashboard", "/plans", "/plans?_data=routes%2F_app.plans._index"]) {
      const response = await client.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
    }
  });

  it("send Strict-Transport-Security when served over https behind a trusted proxy", async () => {
    const proxied = await startTestServer({ seedDemo: false, env: { TRUST_PROXY: "1" } });
    try {
      const https = await fetch(`${proxied.url}/login`, { headers: { "x-forwarded-proto": "https" } });
      expect(https.headers.get("strict-transport-security")).toContain("max-age=");
      const http = await fetch(`${proxied.url}/login`);
      expect(http.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await proxied.close();
    }
  });
});

describe("the CSRF token is bound to the session", () => {
  it("a token from before sign-in no longer works after it, and sign-in hands out a new one", async () => {
    const client = new HttpClient(server.url);
    await client.get("/login");
    const before = client.cookies.get("cd_csrf")!;
    const login = await client.login(planner.username, planner.password);
    expect(login.headers.getSetCookie().some((c) => c.startsWith("cd_csrf="))).toBe(true);
    const after = client.cookies.get("cd_csrf")!;
    expect(after).not.toBe(before);

    client.cookies.set("cd_csrf", before);
    expect((await client.post("/locale", { locale: "en" })).status).toBe(403);
    client.cookies.set("cd_csrf", after);
    expect((await client.post("/locale", { locale: "en" })).status).not.toBe(403);
  });

  it("one member's token does not work in another member's session", async () => {
    const alice = await signedIn(planner);
    const bob = await signedIn(finance);
    bob.cookies.set("cd_csrf", alice.cookies.get("cd_csrf")!);
    expect((await bob.post("/locale", { locale: "en" })).status).toBe(403);
  });
});

async function waitFor(check: () => Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error("condition not met before the deadline");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** How many upload folders in the temporary directory still hold a body containing `marker`. */
async function uploadsHolding(marker: Buffer): Promise<number> {
  let count = 0;
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith("campaigndesk-upload-")) continue;
    const bytes = await readFile(join(tmpdir(), name, "body")).catch(() => Buffer.alloc(0));
    if (bytes.includes(marker)) count += 1;
  }
  return count;
}
