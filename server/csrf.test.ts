import { describe, expect, it } from "vitest";
import { ANONYMOUS, csrfFieldOf, isAllowedOrigin, isCsrfAccepted, isValidCsrfToken, mintCsrfToken } from "./csrf";

const secret = "s".repeat(40);
const origin = "http://localhost:3000";
const session = "a".repeat(64);

describe("CSRF tokens", () => {
  it("accepts a token it minted and refuses a forged or altered one", () => {
    const token = mintCsrfToken(secret, session);
    expect(isValidCsrfToken(secret, session, token)).toBe(true);
    expect(isValidCsrfToken("x".repeat(40), session, token)).toBe(false);
    expect(isValidCsrfToken(secret, session, `${token}x`)).toBe(false);
    expect(isValidCsrfToken(secret, session, "nonce.signature")).toBe(false);
    expect(isValidCsrfToken(secret, session, `${"n".repeat(300)}.sig`)).toBe(false);
  });

  it("binds a token to the session it was minted for", () => {
    const anonymous = mintCsrfToken(secret, ANONYMOUS);
    expect(isValidCsrfToken(secret, ANONYMOUS, anonymous)).toBe(true);
    expect(isValidCsrfToken(secret, session, anonymous)).toBe(false);
    const mine = mintCsrfToken(secret, session);
    expect(isValidCsrfToken(secret, "b".repeat(64), mine)).toBe(false);
    expect(isValidCsrfToken(secret, ANONYMOUS, mine)).toBe(false);
  });

  it("accepts the submitted token only when it is the cookie's and the cookie's is valid for the session", () => {
    const token = mintCsrfToken(secret, session);
    expect(isCsrfAccepted({ secret, binding: session, cookieToken: token, submitted: token })).toBe(true);
    expect(isCsrfAccepted({ secret, binding: session, cookieToken: token, submitted: undefined })).toBe(false);
    expect(isCsrfAccepted({ secret, binding: session, cookieToken: token, submitted: mintCsrfToken(secret, session) })).toBe(false);
    expect(isCsrfAccepted({ secret, binding: ANONYMOUS, cookieToken: token, submitted: token })).toBe(false);
  });

  it("judges the origin from Origin, else Referer, before any body is read", () => {
    expect(isAllowedOrigin({ origin }, [origin])).toBe(true);
    expect(isAllowedOrigin({ origin: "https://evil.example" }, [origin])).toBe(false);
    expect(isAllowedOrigin({ origin: "null" }, [origin])).toBe(false);
    expect(isAllowedOrigin({ referer: "https://evil.example/page" }, [origin])).toBe(false);
    expect(isAllowedOrigin({ referer: `${origin}/plans` }, [origin])).toBe(true);
    expect(isAllowedOrigin({}, [origin])).toBe(true);
  });
});

describe("csrfFieldOf", () => {
  it("finds the field in a urlencoded form, wherever it stands", () => {
    const body = Buffer.from(new URLSearchParams({ title: "端午 & 中秋", _csrf: "abc.def", note: "x=y" }).toString());
    expect(csrfFieldOf(body, "application/x-www-form-urlencoded")).toBe("abc.def");
    expect(csrfFieldOf(Buffer.from("%5Fcsrf=a%2Eb"), "application/x-www-form-urlencoded; charset=UTF-8")).toBe("a.b");
    expect(csrfFieldOf(Buffer.from("title=x"), "application/x-www-form-urlencoded")).toBeUndefined();
  });

  it("finds the field in a multipart form, also from only its first kilobytes", async () => {
    const form = new FormData();
    form.set("_csrf", "abc.def");
    form.set("file", new Blob([Buffer.alloc(100_000, 7)]), "actuals.xlsx");
    const request = new Request("http://x/", { method: "POST", body: form });
    const type = request.headers.get("content-type")!;
    const bytes = Buffer.from(await request.arrayBuffer());
    expect(csrfFieldOf(bytes, type)).toBe("abc.def");
    expect(csrfFieldOf(bytes.subarray(0, 8192), type)).toBe("abc.def");
  });

  it("finds nothing in other bodies", () => {
    expect(csrfFieldOf(Buffer.from('{"_csrf":"abc"}'), "application/json")).toBeUndefined();
    expect(csrfFieldOf(Buffer.from("_csrf=abc"), undefined)).toBeUndefined();
  });
});
