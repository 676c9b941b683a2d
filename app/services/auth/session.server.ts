import { createHash, randomBytes } from "node:crypto";
import { parse, serialize } from "cookie";
import type { Db } from "../../../db/client";
import { deleteSession, findLiveSession, insertSession } from "../../../db/queries/sessions";
import type { Auth } from "~/services/context";
import type { Actor } from "~/domain/policy";
import type { User } from "../../../db/schema";

export const SESSION_COOKIE = "cd_session";
const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function actorOf(user: User): Actor {
  return { id: user.id, role: user.role, title: user.title, active: user.active === 1 };
}

export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[name];
}

export function sessionCookie(token: string, opts: { secure: boolean; maxAgeMs: number }): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: opts.secure,
    path: "/",
    maxAge: Math.floor(opts.maxAgeMs / 1000),
  });
}

export function clearSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 0 });
}

/** Starts a session for a member and returns the Set-Cookie header value. */
export async function startSession(
  db: Db,
  input: { userId: number; ip: string | null; userAgent: string | null; secure: boolean; now: number },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await insertSession(db, {
    id_hash: hashToken(token),
    user_id: input.userId,
    created_at: input.now,
    expires_at: input.now + SESSION_TTL_MS,
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
  });
  return sessionCookie(token, { secure: input.secure, maxAgeMs: SESSION_TTL_MS });
}

/**
 * The signed-in member for a request, or null. A session of a deactivated member is
 * deleted on sight, so deactivation ends it on the member's next request.
 */
export async function resolveAuth(db: Db, cookieHeader: string | null | undefined, now: number): Promise<Auth | null> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  if (!token) return null;
  const idHash = hashToken(token);
  const found = await findLiveSession(db, idHash, now);
  if (!found) return null;
  if (found.user.active !== 1) {
    await deleteSession(db, idHash);
    return null;
  }
  return { sessionIdHash: idHash, user: found.user, actor: actorOf(found.user) };
}
