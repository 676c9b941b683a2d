import type { DbOrTx } from "./users";

/** Who is trying: the normalized username and the client's address. */
export interface LoginKey {
  username: string;
  ip: string;
}

/** Times of the failures after `since`: for this account from this address, for the account, for the address. */
export async function recentLoginFailures(
  db: DbOrTx,
  key: LoginKey,
  since: number,
): Promise<{ accountIp: number[]; account: number[]; ip: number[] }> {
  // Each list is bounded by its limit: a row is only written while its counts are under them.
  const [account, ip] = await Promise.all([
    db.selectFrom("login_failures").select(["at", "ip"]).where("username", "=", key.username).where("at", ">", since).execute(),
    db.selectFrom("login_failures").select("at").where("ip", "=", key.ip).where("at", ">", since).execute(),
  ]);
  return {
    accountIp: account.filter((r) => r.ip === key.ip).map((r) => r.at),
    account: account.map((r) => r.at),
    ip: ip.map((r) => r.at),
  };
}

/** Writes a failure row and returns its id. */
export async function insertLoginFailure(db: DbOrTx, key: LoginKey, at: number): Promise<number> {
  const row = await db.insertInto("login_failures").values({ username: key.username, ip: key.ip, at }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Removes this account's failures from this address up to and including row `upToId`.
 * Ids only grow, so rows written after it (attempts still being checked) stay counted.
 */
export async function clearLoginFailures(db: DbOrTx, key: LoginKey, upToId: number): Promise<void> {
  await db
    .deleteFrom("login_failures")
    .where("username", "=", key.username)
    .where("ip", "=", key.ip)
    .where("id", "<=", upToId)
    .execute();
}

/** Deletes the rows no limit looks at any more; the `at` index makes this cheap when there are none. */
export async function pruneLoginFailures(db: DbOrTx, before: number): Promise<void> {
  await db.deleteFrom("login_failures").where("at", "<=", before).execute();
}
