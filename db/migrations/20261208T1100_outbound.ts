import { sql, type Kysely } from "kysely";

/**
 * Outbound notifications (app/domain/outbound): channels are where a notification is also
 * sent (a group robot of 企业微信 / 钉钉 / 飞书, or an email address), for the whole workspace
 * (owner_user_id NULL, set by an admin) or for one member (their own settings).
 *
 * The outbox is written in the same transaction as the notification it carries, so a rolled
 * back event sends nothing and a committed one is sent eventually, even across a crash. The
 * idempotency key is unique: a retried event cannot queue a second message, and the key is
 * what the receiver sees (Idempotency-Key header, email Message-ID) to drop a resend.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE notification_channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_user_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('wecom','dingtalk','feishu','email')),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    target TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 500),
    secret TEXT CHECK (secret IS NULL OR length(secret) BETWEEN 1 AND 200),
    -- The notification kinds this channel receives, a JSON array of NotificationKind.
    kinds TEXT NOT NULL CHECK (json_valid(kinds) AND json_type(kinds) = 'array'),
    enabled INTEGER NOT NULL CHECK (enabled IN (0,1)),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (secret IS NULL OR kind IN ('dingtalk','feishu'))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX notification_channels_owner ON notification_channels(owner_user_id, enabled)`.execute(db);
  // A member has at most one email address and one personal robot, whatever races the settings page loses.
  await sql`CREATE UNIQUE INDEX notification_channels_member_email ON notification_channels(owner_user_id)
    WHERE owner_user_id IS NOT NULL AND kind = 'email'`.execute(db);
  await sql`CREATE UNIQUE INDEX notification_channels_member_robot ON notification_channels(owner_user_id)
    WHERE owner_user_id IS NOT NULL AND kind <> 'email'`.execute(db);

  await sql`CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    channel_id INTEGER NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
    -- NULL for a test message.
    notification_id INTEGER REFERENCES notifications(id),
    -- The rendered message (title, lines, in-app link), fixed when the event happened.
    message TEXT NOT NULL CHECK (json_valid(message)),
    status TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    -- A worker's lease on the row while it sends; void once past, or when the server starts.
    claimed_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
  ) STRICT`.execute(db);
  await sql`CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX outbox_channel ON outbox(channel_id, status, id)`.execute(db);
  await sql`CREATE INDEX outbox_status ON outbox(status, id)`.execute(db);
}
