import type { Kysely, Transaction } from "kysely";
import type { ApproverTitle, Locale, Role } from "~/domain/roles";
import type { Database, User } from "../schema";

export type DbOrTx = Kysely<Database> | Transaction<Database>;

export function findUserById(db: DbOrTx, id: number): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findUserByUsername(db: DbOrTx, username: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
}

export function listUsers(db: DbOrTx): Promise<User[]> {
  return db.selectFrom("users").selectAll().orderBy("active", "desc").orderBy("id").execute();
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("active", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: DbOrTx,
  user: { username: string; name: string; passwordHash: string; role: Role; title: ApproverTitle | null; now: number },
): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({
      username: user.username,
      name: user.name,
      password_hash: user.passwordHash,
      role: user.role,
      title: user.title,
      locale: "zh-CN",
      active: 1,
      created_at: user.now,
      updated_at: user.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(
  db: DbOrTx,
  id: number,
  changes: { name?: string; role?: Role; title?: ApproverTitle | null; active?: boolean; passwordHash?: string; locale?: Locale },
  now: number,
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.role !== undefined && { role: changes.role }),
      ...(changes.title !== undefined && { title: changes.title }),
      ...(changes.active !== undefined && { active: changes.active ? 1 : 0 }),
      ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
      ...(changes.locale !== undefined && { locale: changes.locale }),
      updated_at: now,
    })
    .where("id", "=", id)
    .execute();
}
