import type { DbOrTx } from "./users";

export async function recentLoginFailures(
  db: DbOrTx,
  key: { username: string; ip: string },
  since: number,
): Promise<{ account: number[]; ip: number[] }> {
  const [account, ip] = await Promise.all([
    db.selectFrom("login_failures").select("at").where("username", "=", key.username).where("at", ">", since).execute(),
    db.selectFrom("login_failures").select("at").where("ip", "=", key.ip).where("at", ">", since).execute(),
  ]);
  return { account: account.map((r) => r.at), ip: ip.map((r) => r.at) };
}

export async function recordLoginFailure(db: DbOrTx, key: { username: string; ip: string }, at: number): Promise<void> {
  await db.insertInto("login_failures").values({ username: key.username, ip: key.ip, at }).execute();
}

export async function clearLoginFailures(db: DbOrTx, username: string): Promise<void> {
  await db.deleteFrom("login_failures").where("username", "=", username).execute();
}

export async function pruneLoginFailures(db: DbOrTx, before: number): Promise<void> {
  await db.deleteFrom("login_failures").where("at", "<=", before).execute();
}
