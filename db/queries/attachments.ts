import type { Insertable } from "kysely";
import type { ActualAttachmentsTable } from "../schema";
import type { DbOrTx } from "./users";

export interface AttachmentRow {
  id: number;
  entry_id: number;
  plan_id: string;
  storage_key: string;
  media_type: ActualAttachmentsTable["media_type"];
  size_bytes: number;
  file_name: string;
  created_at: number;
}

const COLUMNS = ["id", "entry_id", "plan_id", "storage_key", "media_type", "size_bytes", "file_name", "created_at"] as const;

export function listPlanAttachments(db: DbOrTx, planId: string): Promise<AttachmentRow[]> {
  return db.selectFrom("actual_attachments").select(COLUMNS).where("plan_id", "=", planId).orderBy("entry_id").orderBy("id").execute();
}

export function findAttachment(db: DbOrTx, planId: string, id: number): Promise<AttachmentRow | undefined> {
  return db.selectFrom("actual_attachments").select(COLUMNS).where("plan_id", "=", planId).where("id", "=", id).executeTakeFirst();
}

export async function countEntryAttachments(db: DbOrTx, entryId: number): Promise<number> {
  const row = await db.selectFrom("actual_attachments").select((eb) => eb.fn.countAll<number>().as("n")).where("entry_id", "=", entryId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAttachment(db: DbOrTx, row: Insertable<ActualAttachmentsTable>): Promise<number> {
  const inserted = await db.insertInto("actual_attachments").values(row).returning("id").executeTakeFirstOrThrow();
  return inserted.id;
}

export async function deleteAttachment(db: DbOrTx, planId: string, id: number): Promise<boolean> {
  const result = await db.deleteFrom("actual_attachments").where("plan_id", "=", planId).where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The storage keys of an entry's attachments (to remove their files once the entry is gone). */
export async function listEntryStorageKeys(db: DbOrTx, entryId: number): Promise<string[]> {
  return (await db.selectFrom("actual_attachments").select("storage_key").where("entry_id", "=", entryId).execute()).map((row) => row.storage_key);
}
