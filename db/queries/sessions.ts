import type { Session, User } from "../schema";
import type { DbOrTx } from "./users";

export async function insertSession(db: DbOrTx, session: Session): Promise<void> {
  await db.insertInto("sessions").values(session).execute();
}

/** The session and its member, if the session exists and has not expired. */
export async function findLiveSession(
  db: DbOrTx,
  idHash: string,
  now: number,
): Promise<{ session: Session; user: User } | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id_hash",
      "sessions.user_id",
      "sessions.created_at as session_created_at",
      "sessions.expires_at",
      "sessions.ip",
      "sessions.user_agent",
    ])
    .where("sessions.id_hash", "=", idHash)
    .where("sessions.expires_at", ">", now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { id_hash, user_id, session_created_at, expires_at, ip, user_agent, ...user } = row;
  return { session: { id_hash, user_id, created_at: session_created_at, expires_at, ip, user_agent }, user };
}

export async function deleteSession(db: DbOrTx, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: number): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export async function deleteExpiredSessions(db: DbOrTx, now: number): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
}
