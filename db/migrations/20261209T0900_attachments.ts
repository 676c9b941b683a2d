import { sql, type Kysely } from "kysely";

/**
 * Invoice photos and scans on actual spend entries. The bytes live on disk under the data
 * directory, named by `storage_key` (random, never the client's file name); the row keeps
 * the type sniffed from the bytes and the name to show.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE actual_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id INTEGER NOT NULL REFERENCES actual_entries(id) ON DELETE CASCADE,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL UNIQUE CHECK (length(storage_key) = 32 AND storage_key NOT GLOB '*[^0-9a-f]*'),
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg','image/png','image/webp','image/heic','image/heif','application/pdf')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 100),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX actual_attachments_entry ON actual_attachments(entry_id)`.execute(db);
}
