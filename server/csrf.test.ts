import { describe, expect, it } from "vitest";
import { checkMutation, isWellSignedCsrfToken, mintCsrfToken } from "./csrf";

const secret = "s".repeat(40);
const origin = "http://localhost:3000";

function post(body: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request(`${origin}/admin/members`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, ...headers },
    body: new URLSearchParams(body),
  });
}

describe("CSRF tokens", () => {
  it("accepts a token it minted and refuses a forged or altered one", () => {
    const token = mintCsrfToken(secret);
    expect(isWellSignedCsrfToken(secret, token)).toBe(true);
    expect(isWellSignedCsrfToken("x".repeat(40), token)).toBe(false);
    expect(isWellSignedCsrfToken(secret, `${token}x`)).toBe(false);
    expect(isWellSignedCsrfToken(secret, "nonce.signature")).toBe(false);
  });

  it("accepts a same-origin post echoing the cookie token in the form", async () => {
    const token = mintCsrfToken(secret);
    const verdict = await checkMutation({ request: post({ _csrf: token }), cookieToken: token, secret, allowedOrigins: [origin] });
    expect(verdict).toEqual({ ok: true });
  });

  it("accepts the token in the header", async () => {
    const token = mintCsrfToken(secret);
    const request = post({}, { "x-csrf-token": token });
    expect(await checkMutation({ request, cookieToken: token, secret, allowedOrigins: [origin] })).toEqual({ ok: true });
  });

  it("refuses a missing or different token", async () => {
    const token = mintCsrfToken(secret);
    const other = mintCsrfToken(secret);
    for (const body of [{}, { _csrf: other }] as Record<string, string>[]) {
      const verdict = await checkMutation({ request: post(body), cookieToken: token, secret, allowedOrigins: [origin] });
      expect(verdict).toEqual({ ok: false, reason: "token" });
    }
  });

  it("refuses a foreign Origin or Referer even with a valid token", async () => {
    const token = mintCsrfToken(secret);
    const foreign = post({ _csrf: token }, { origin: "https://evil.example" });
    expect(await checkMutation({ request: foreign, cookieToken: token, secret, allowedOrigins: [origin] })).toEqual({
      ok: false,
      reason: "origin",
    });
    const viaReferer = new Request(`${origin}/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", referer: "https://evil.example/page" },
      body: new URLSearchParams({ _csrf: token }),
    });
    expect(await checkMutation({ request: viaReferer, cookieToken: token, secret, allowedOrigins: [origin] })).toEqual({
      ok: false,
      reason: "origin",
    });
  });
});
