import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { ApproverTitle, Locale, Role } from "../app/domain/roles";
import type { CampaignType, PlanAccess, PlanStatus } from "../app/domain/plan";

/** Timestamps are integer milliseconds since the epoch (UTC). */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  name: string;
  password_hash: string;
  role: Role;
  title: ApproverTitle | null;
  locale: Locale;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  /** sha256 of the cookie token: a leaked database does not leak live sessions. */
  id_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string;
  detail: string;
  at: number;
}

export interface AppSettingsTable {
  key: string;
  value: string;
}

export interface PlansTable {
  id: string;
  title: string;
  campaign_type: CampaignType;
  store: string;
  /** YYYY-MM-DD, the plan's calendar dates in China. */
  start_date: string;
  end_date: string;
  status: PlanStatus;
  budget_locked: number;
  template_id: string | null;
  owner_id: number;
  created_at: number;
  updated_at: number;
}

export interface PlanMembersTable {
  plan_id: string;
  user_id: number;
  access: PlanAccess;
  added_by: number | null;
  added_at: number;
}

export interface DocSnapshotsTable {
  plan_id: string;
  state: Uint8Array;
  last_update_id: number;
  created_at: number;
}

export interface DocUpdatesTable {
  id: Generated<number>;
  plan_id: string;
  data: Uint8Array;
  user_id: number | null;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
  plans: PlansTable;
  plan_members: PlanMembersTable;
  doc_snapshots: DocSnapshotsTable;
  doc_updates: DocUpdatesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type Plan = Selectable<PlansTable>;
