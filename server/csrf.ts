import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { serialize } from "cookie";
import { CSRF_FIELD, CSRF_HEADER } from "../app/auth/csrf";

export const CSRF_COOKIE = "cd_csrf";

function sign(secret: string, nonce: string): string {
  return createHmac("sha256", secret).update(`csrf:${nonce}`).digest("base64url");
}

/**
 * Signed double-submit token: the cookie holds `nonce.signature`, and every mutating
 * request must echo the same value. The signature stops a sibling subdomain from planting
 * a cookie of its own choosing; SameSite=Lax and the Origin check are further layers.
 */
export function mintCsrfToken(secret: string): string {
  const nonce = randomBytes(18).toString("base64url");
  return `${nonce}.${sign(secret, nonce)}`;
}

export function isWellSignedCsrfToken(secret: string, token: string | undefined): token is string {
  if (!token) return false;
  const [nonce, signature, ...rest] = token.split(".");
  if (!nonce || !signature || rest.length > 0) return false;
  return safeEqual(signature, sign(secret, nonce));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function csrfCookie(token: string, secure: boolean): string {
  return serialize(CSRF_COOKIE, token, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

export type CsrfVerdict = { ok: true } | { ok: false; reason: "origin" | "token" };

/** Judges one mutating request whose body has been read into `request`. */
export async function checkMutation(input: {
  request: Request;
  cookieToken: string | undefined;
  secret: string;
  allowedOrigins: readonly string[];
}): Promise<CsrfVerdict> {
  const { request } = input;
  const origin = request.headers.get("origin");
  if (origin !== null && !input.allowedOrigins.includes(origin)) return { ok: false, reason: "origin" };
  if (origin === null) {
    const referer = request.headers.get("referer");
    if (referer !== null && !input.allowedOrigins.includes(safeOrigin(referer))) return { ok: false, reason: "origin" };
  }
  if (!isWellSignedCsrfToken(input.secret, input.cookieToken)) return { ok: false, reason: "token" };
  const submitted = request.headers.get(CSRF_HEADER) ?? (await formToken(request));
  if (!submitted || !safeEqual(submitted, input.cookieToken)) return { ok: false, reason: "token" };
  return { ok: true };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "invalid";
  }
}

async function formToken(request: Request): Promise<string | undefined> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  try {
    const value = (await request.clone().formData()).get(CSRF_FIELD);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
