import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { serialize } from "cookie";
import { CSRF_FIELD } from "~/domain/csrf";

export const CSRF_COOKIE = "cd_csrf";
/** What a token is bound to when nobody is signed in. */
export const ANONYMOUS = "anonymous";
const MAX_TOKEN_LENGTH = 200;

function sign(secret: string, binding: string, nonce: string): string {
  return createHmac("sha256", secret).update(`csrf:${binding}:${nonce}`).digest("base64url");
}

/**
 * Signed double-submit token bound to the session: the cookie holds `nonce.signature`,
 * where the signature covers the session's id hash (or "anonymous"), and every mutating
 * request must echo the same value. The signature stops a sibling subdomain from planting
 * a cookie of its own choosing, and the binding stops a token captured before sign-in, or
 * from another member's session, from being replayed. SameSite=Lax and the Origin check
 * are further layers.
 */
export function mintCsrfToken(secret: string, binding: string): string {
  const nonce = randomBytes(18).toString("base64url");
  return `${nonce}.${sign(secret, binding, nonce)}`;
}

export function isValidCsrfToken(secret: string, binding: string, token: string | undefined): token is string {
  if (!token || token.length > MAX_TOKEN_LENGTH) return false;
  const [nonce, signature, ...rest] = token.split(".");
  if (!nonce || !signature || rest.length > 0) return false;
  return safeEqual(signature, sign(secret, binding, nonce));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function csrfCookie(token: string, secure: boolean): string {
  return serialize(CSRF_COOKIE, token, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

/** A mutating request must come from one of our origins, judged from its headers alone (before any body is read). */
export function isAllowedOrigin(headers: { origin?: string; referer?: string }, allowedOrigins: readonly string[]): boolean {
  if (headers.origin !== undefined) return allowedOrigins.includes(headers.origin);
  if (headers.referer !== undefined) return allowedOrigins.includes(safeOrigin(headers.referer));
  return true;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "invalid";
  }
}

/** The submitted token (header first, else the form field) must be the cookie's, and the cookie's must be valid for this session. */
export function isCsrfAccepted(input: {
  secret: string;
  binding: string;
  cookieToken: string | undefined;
  submitted: string | undefined;
}): boolean {
  if (!isValidCsrfToken(input.secret, input.binding, input.cookieToken)) return false;
  return input.submitted !== undefined && safeEqual(input.submitted, input.cookieToken);
}

/**
 * Finds the `_csrf` field in a form body without parsing the rest of it: the route parses
 * the form once, later. Forms put the field first (`SafeForm`), so for an upload this only
 * needs the body's first part.
 */
export function csrfFieldOf(body: Buffer, contentType: string | undefined): string | undefined {
  const type = contentType ?? "";
  if (/^application\/x-www-form-urlencoded/i.test(type)) return urlencodedField(body, CSRF_FIELD);
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  if (boundary) return multipartField(body, boundary[1] ?? boundary[2]!, CSRF_FIELD);
  return undefined;
}

function urlencodedField(body: Buffer, name: string): string | undefined {
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x26 /* & */, start);
    if (end === -1) end = body.length;
    const pair = body.subarray(start, end);
    const equals = pair.indexOf(0x3d /* = */);
    const key = pair.subarray(0, equals === -1 ? pair.length : equals);
    if (key.length <= name.length * 3 && decodeFormComponent(key.toString("latin1")) === name) {
      return equals === -1 ? "" : decodeFormComponent(pair.subarray(equals + 1, equals + 1 + MAX_TOKEN_LENGTH * 3).toString("latin1"));
    }
    start = end + 1;
  }
  return undefined;
}

function decodeFormComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function multipartField(body: Buffer, boundary: string, name: string): string | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const headerEnd = Buffer.from("\r\n\r\n");
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const headersStart = at + delimiter.length + 2;
    const headersEnd = body.indexOf(headerEnd, headersStart);
    if (headersEnd === -1) return undefined;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd);
    if (next === -1) return undefined;
    const headers = body.subarray(headersStart, headersEnd).toString("utf8");
    if (new RegExp(`^content-disposition:\\s*form-data;\\s*name="${name}"\\s*$`, "im").test(headers)) {
      return body.subarray(headersEnd + 4, Math.min(next, headersEnd + 4 + MAX_TOKEN_LENGTH + 1)).toString("utf8");
    }
    at = next + 2;
  }
  return undefined;
}
