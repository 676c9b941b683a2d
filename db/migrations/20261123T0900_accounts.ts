import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin','planner','manager','finance','viewer')),
    title TEXT CHECK (title IN ('finance','deputyGm','gm','chairman')),
    locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN','en')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT`.execute(db);

  await sql`CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT,
    user_agent TEXT
  ) STRICT`.execute(db);
  await sql`CREATE INDEX sessions_user_id ON sessions(user_id)`.execute(db);

  await sql`CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX login_failures_username_at ON login_failures(username, at)`.execute(db);
  await sql`CREATE INDEX login_failures_ip_at ON login_failures(ip, at)`.execute(db);

  await sql`CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    at INTEGER NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX audit_log_target ON audit_log(target_type, target_id, at)`.execute(db);

  await sql`CREATE TABLE app_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT`.execute(db);
}
