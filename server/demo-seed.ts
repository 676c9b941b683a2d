import type { Db } from "../db/client";
import { hashPassword } from "../app/auth/password.server";
import { countUsers, insertUser } from "../db/queries/users";
import { getSetting } from "../db/queries/settings";
import type { ApproverTitle, Role } from "../app/domain/roles";

/** Listed in the README; for the demo workspace only. */
export const DEMO_PASSWORD = "demo-2026";

export const DEMO_MEMBERS: ReadonlyArray<{ username: string; name: string; role: Role; title: ApproverTitle | null }> = [
  { username: "admin", name: "王磊", role: "admin", title: null },
  { username: "planner", name: "李娜", role: "planner", title: null },
  { username: "planner2", name: "陈晨", role: "planner", title: null },
  { username: "finance", name: "赵敏", role: "finance", title: "finance" },
  { username: "deputy", name: "孙强", role: "manager", title: "deputyGm" },
  { username: "manager", name: "周杰", role: "manager", title: "gm" },
  { username: "chairman", name: "吴刚", role: "manager", title: "chairman" },
  { username: "viewer", name: "郑洁", role: "viewer", title: null },
];

/**
 * Seeds the demo workspace into an empty database, once. A marker setting remembers it
 * was done, so members the admin later removes or renames are not brought back.
 */
export async function seedDemo(db: Db, now = Date.now()): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    if ((await getSetting(trx, "demoSeededAt")) !== undefined) return false;
    if ((await countUsers(trx)) > 0) return false;
    for (const member of DEMO_MEMBERS) {
      await insertUser(trx, { ...member, passwordHash, now });
    }
    await trx.insertInto("app_settings").values({ key: "demoSeededAt", value: String(now) }).execute();
    return true;
  });
}
