import type { DbOrTx } from "./users";

export async function getSetting(db: DbOrTx, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("app_settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Stores `value` unless the key already has one; returns whichever value is stored. */
export async function getOrCreateSetting(db: DbOrTx, key: string, value: string): Promise<string> {
  await db.insertInto("app_settings").values({ key, value }).onConflict((oc) => oc.column("key").doNothing()).execute();
  return (await getSetting(db, key))!;
}

export async function setSetting(db: DbOrTx, key: string, value: string): Promise<void> {
  await db.insertInto("app_settings").values({ key, value }).onConflict((oc) => oc.column("key").doUpdateSet({ value })).execute();
}
