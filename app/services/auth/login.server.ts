import type { Db } from "../../../db/client";
import {
  clearLoginFailures,
  insertLoginFailure,
  pruneLoginFailures,
  recentLoginFailures,
  type LoginKey,
} from "../../../db/queries/login-failures";
import { findUserByUsername } from "../../../db/queries/users";
import type { User } from "../../../db/schema";
import { LOGIN_WINDOW_MS, decideLoginThrottle } from "~/domain/login-throttle";
import { normalizeUsername } from "~/domain/username";
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
  const key = { username: normalizeUsername(input.username), ip: input.ip };
  const attempt = await reserveAttempt(db, key, input.now);
  if (!attempt.allowed) return { ok: false, reason: "throttled", retryAfterMs: attempt.retryAfterMs };

  const user = await findUserByUsername(db, key.username);
  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  // A failed attempt's row stays: it was written as a failure before the check.
  if (!user || !passwordOk || user.active !== 1) return { ok: false, reason: "invalid" };
  // Only this address's guesses are forgiven: the member proved who they are from here, not
  // that other addresses guessing at the account are theirs.
  await clearLoginFailures(db, key, attempt.id);
  return { ok: true, user };
}

/**
 * Counts and records the attempt in one write transaction, before the password is checked:
 * the row counts as a failure until a right password removes it. Parallel attempts each see
 * the rows of those before them, so no more than the limit are ever checked.
 */
function reserveAttempt(db: Db, key: LoginKey, now: number): Promise<{ allowed: true; id: number } | { allowed: false; retryAfterMs: number }> {
  return db.transaction().execute(async (trx) => {
    await pruneLoginFailures(trx, now - LOGIN_WINDOW_MS);
    const recent = await recentLoginFailures(trx, key, now - LOGIN_WINDOW_MS);
    const decision = decideLoginThrottle({ now, accountIpFailures: recent.accountIp, accountFailures: recent.account, ipFailures: recent.ip });
    if (!decision.allowed) return decision;
    return { allowed: true, id: await insertLoginFailure(trx, key, now) };
  });
}
