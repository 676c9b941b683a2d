import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Db } from "../../db/client";
import { findActualEntry } from "../../db/queries/actuals";
import {
  countEntryAttachments,
  deleteAttachment,
  findAttachment,
  insertAttachment,
  listEntryStorageKeys,
  listPlanAttachments,
  type AttachmentRow,
} from "../../db/queries/attachments";
import { recordAudit } from "../../db/queries/audit";
import type { Plan } from "../../db/schema";
import {
  displayName,
  isInlineImage,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_ENTRY,
  sniffAttachmentType,
  SNIFF_BYTES,
  STORAGE_KEY_PATTERN,
  type AttachmentType,
} from "~/domain/attachments";
import type { Auth } from "./context";

/**
 * Invoice photos and scans on actual spend entries. Bytes go to `<data dir>/attachments/<key>`
 * under a random key — the client's file name is only ever shown, never a path — and the
 * type is sniffed from the bytes. At most MAX_ATTACHMENTS_PER_ENTRY per entry, counted and
 * inserted in one transaction so parallel uploads cannot pass the limit together.
 */

export type AttachmentRefusal = "noFile" | "empty" | "tooLarge" | "unsupportedType" | "tooMany" | "entryGone" | "attachmentGone";

export type AttachmentOutcome<T = object> = ({ ok: true } & T) | { ok: false; status: 400 | 404 | 409 | 413 | 415; code: AttachmentRefusal };

const STATUS: Record<AttachmentRefusal, 400 | 404 | 409 | 413 | 415> = {
  noFile: 400,
  empty: 400,
  tooLarge: 413,
  unsupportedType: 415,
  tooMany: 409,
  entryGone: 404,
  attachmentGone: 404,
};

const refuse = (code: AttachmentRefusal) => ({ ok: false as const, status: STATUS[code], code });

/** An uploaded file judged before anything is written: its bytes, sniffed type and display name. */
export interface CheckedUpload {
  bytes: Uint8Array;
  type: AttachmentType;
  name: string;
}

/** Judges a form's file field: present, not empty, within the size limit, and an accepted type by its bytes. */
export async function checkUpload(value: FormDataEntryValue | null): Promise<AttachmentOutcome<{ upload: CheckedUpload }>> {
  if (value === null || typeof value === "string") return refuse("noFile");
  if (value.size === 0) return refuse(value.name === "" ? "noFile" : "empty");
  if (value.size > MAX_ATTACHMENT_BYTES) return refuse("tooLarge");
  const bytes = new Uint8Array(await value.arrayBuffer());
  const type = sniffAttachmentType(bytes.subarray(0, SNIFF_BYTES));
  if (!type) return refuse("unsupportedType");
  return { ok: true, upload: { bytes, type, name: displayName(value.name, type) } };
}

function pathOf(dir: string, key: string): string {
  // Keys come from our own random bytes via the database; checked anyway, so no row can point outside the folder.
  if (!STORAGE_KEY_PATTERN.test(key)) throw new Error("invalid attachment storage key");
  return join(dir, key);
}

async function removeFiles(dir: string, keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((key) => rm(pathOf(dir, key), { force: true })));
}

/** Stores a checked upload on one of the plan's entries. The file is written first and removed again if the row is refused. */
export async function addAttachment(
  db: Db,
  dir: string,
  auth: Auth,
  plan: Pick<Plan, "id">,
  input: { entryId: number; upload: CheckedUpload },
  now = Date.now(),
): Promise<AttachmentOutcome<{ attachmentId: number }>> {
  const { entryId, upload } = input;
  if (!(await findActualEntry(db, plan.id, entryId))) return refuse("entryGone");
  const key = randomBytes(16).toString("hex");
  const path = pathOf(dir, key);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path, upload.bytes, { mode: 0o600, flag: "wx" });
  try {
    const outcome = await db.transaction().execute(async (trx) => {
      // Re-read inside the transaction: the entry may have been deleted meanwhile.
      if (!(await findActualEntry(trx, plan.id, entryId))) return refuse("entryGone");
      if ((await countEntryAttachments(trx, entryId)) >= MAX_ATTACHMENTS_PER_ENTRY) return refuse("tooMany");
      const attachmentId = await insertAttachment(trx, {
        entry_id: entryId,
        plan_id: plan.id,
        storage_key: key,
        media_type: upload.type,
        size_bytes: upload.bytes.length,
        file_name: upload.name,
        created_by: auth.user.id,
        created_at: now,
      });
      await recordAudit(trx, {
        actorId: auth.user.id,
        action: "actual.attachment.add",
        targetType: "plan",
        targetId: plan.id,
        detail: { entryId, attachmentId, fileName: upload.name, mediaType: upload.type, sizeBytes: upload.bytes.length },
        at: now,
      });
      return { ok: true as const, attachmentId };
    });
    if (!outcome.ok) await removeFiles(dir, [key]);
    return outcome;
  } catch (error) {
    await removeFiles(dir, [key]);
    throw error;
  }
}

export async function removeAttachment(db: Db, dir: string, auth: Auth, plan: Pick<Plan, "id">, attachmentId: number, now = Date.now()): Promise<AttachmentOutcome> {
  const removed = await db.transaction().execute(async (trx) => {
    const row = await findAttachment(trx, plan.id, attachmentId);
    if (!row || !(await deleteAttachment(trx, plan.id, attachmentId))) return null;
    await recordAudit(trx, {
      actorId: auth.user.id,
      action: "actual.attachment.delete",
      targetType: "plan",
      targetId: plan.id,
      detail: { entryId: row.entry_id, attachmentId, fileName: row.file_name, mediaType: row.media_type, sizeBytes: row.size_bytes },
      at: now,
    });
    return row;
  });
  if (!removed) return refuse("attachmentGone");
  await removeFiles(dir, [removed.storage_key]);
  return { ok: true };
}

/** The storage keys of an entry's files, read before the entry (and, by cascade, its rows) is deleted. */
export function entryFileKeys(db: Db, entryId: number): Promise<string[]> {
  return listEntryStorageKeys(db, entryId);
}

/** Removes the files of a deleted entry's attachments. */
export function removeEntryFiles(dir: string, keys: readonly string[]): Promise<void> {
  return removeFiles(dir, keys);
}

export interface AttachmentView {
  id: number;
  fileName: string;
  mediaType: AttachmentType;
  sizeBytes: number;
  inline: boolean;
}

/** The plan's attachments by entry id, for the 实际支出 page. */
export async function attachmentsByEntry(db: Db, planId: string): Promise<Record<number, AttachmentView[]>> {
  const byEntry: Record<number, AttachmentView[]> = {};
  for (const row of await listPlanAttachments(db, planId)) {
    (byEntry[row.entry_id] ??= []).push({ id: row.id, fileName: row.file_name, mediaType: row.media_type, sizeBytes: row.size_bytes, inline: isInlineImage(row.media_type) });
  }
  return byEntry;
}

/** One attachment of a plan, opened for reading; null when the plan has no such attachment or its file is missing. */
export async function openAttachment(db: Db, dir: string, planId: string, attachmentId: number): Promise<{ row: AttachmentRow; stream: Readable } | null> {
  const row = await findAttachment(db, planId, attachmentId);
  if (!row) return null;
  const stream = createReadStream(pathOf(dir, row.storage_key));
  const opened = await new Promise<boolean>((resolve) => {
    stream.once("open", () => resolve(true));
    stream.once("error", () => resolve(false));
  });
  return opened ? { row, stream } : null;
}
