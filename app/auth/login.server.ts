import type { Db } from "../../db/client";
import {
  clearLoginFailures,
  pruneLoginFailures,
  recentLoginFailures,
  recordLoginFailure,
} from "../../db/queries/login-failures";
import { findUserByUsername } from "../../db/queries/users";
import type { User } from "../../db/schema";
import { LOGIN_WINDOW_MS, decideLoginThrottle } from "../domain/login-throttle";
import { normalizeUsername } from "../domain/username";
import { dummyPasswordHash, verifyPassword } from "./password.server";

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

/**
 * Checks a username and password. Unknown user, wrong password and deactivated member
 * all answer "invalid" after the same work, so the answer reveals nothing about accounts.
 */
export async function attemptLogin(
  db: Db,
  input: { username: string; password: string; ip: string; now: number },
): Promise<LoginResult> {
  const username = normalizeUsername(input.username);
  const key = { username, ip: input.ip };
  const failures = await recentLoginFailures(db, key, input.now - LOGIN_WINDOW_MS);
  const decision = decideLoginThrottle({ now: input.now, accountFailures: failures.account, ipFailures: failures.ip });
  if (!decision.allowed) return { ok: false, reason: "throttled", retryAfterMs: decision.retryAfterMs };

  const user = await findUserByUsername(db, username);
  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (!user || !passwordOk || user.active !== 1) {
    await recordLoginFailure(db, key, input.now);
    await pruneLoginFailures(db, input.now - 2 * LOGIN_WINDOW_MS);
    return { ok: false, reason: "invalid" };
  }
  await clearLoginFailures(db, username);
  return { ok: true, user };
}
