import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Fen } from "~/domain/money";
import type { ApproverTitle, Locale, Role } from "~/domain/roles";
import type { CampaignType, PlanAccess, PlanStatus, ReviewOutcome } from "~/domain/plan";
import type { Quarter, TaskStatus } from "~/domain/plan-document";
import type { Phase } from "~/domain/template";
import type { Decision, RevisionStatus, StepKind } from "~/domain/approval";
import type { VersionKind } from "~/domain/plan-history/summary";
import type { NotificationKind } from "~/domain/notifications";
import type { ChannelKind, OutboxStatus } from "~/domain/outbound/channel";
import type { AnchorKind, ThreadStatus } from "~/domain/comments";
import type { AttachmentType } from "~/domain/attachments";

/** Timestamps are integer milliseconds since the epoch (UTC). */
/**
 * A `*_fen` column: read back as Fen, the money type, so rows hand services and views
 * money already typed; written from the integers the money functions compute (their
 * writers bound and validate them, as before).
 */
type FenColumn = ColumnType<Fen, number, number>;
type NullableFenColumn = ColumnType<Fen | null, number | null, number | null>;

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
  /** Projected from the document (app/domain/projection.ts): integer fen, net = spend − income. */
  spend_fen: FenColumn;
  income_fen: FenColumn;
  net_fen: FenColumn;
  tbd_count: number;
  budget_line_count: number;
  /** 活动基准日, or "". */
  anchor_date: string;
  /** When the document was last projected; null before the first projection. */
  projected_at: number | null;
  /** How the last review ended without approval (驳回 / 退回修改), until the next submission. */
  review_outcome: ColumnType<ReviewOutcome | null, ReviewOutcome | null | undefined, ReviewOutcome | null>;
  review_outcome_revision_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: members with read access only may still comment (the per-plan setting, default on). */
  viewers_may_comment: ColumnType<number, number | undefined, number>;
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

/** The projection tables: derived from the plan document, rewritten whole, ordered by position. */
export interface BudgetLinesTable {
  plan_id: string;
  line_id: string;
  position: number;
  category: string;
  item: string;
  quantity_hundredths: number;
  unit: string;
  /** null: 待定. */
  unit_price_fen: NullableFenColumn;
  /** null exactly when the unit price is. */
  amount_fen: NullableFenColumn;
  income: number;
  owner: string;
  quarter: Quarter;
  note: string;
}

export interface TimelineItemsTable {
  plan_id: string;
  item_id: string;
  position: number;
  phase: Phase;
  phase_label: string;
  task: string;
  start_date: string;
  end_date: string;
  owner: string;
  owner_user_id: number | null;
  status: TaskStatus;
  depends_on: string;
}

export interface KpisTable {
  plan_id: string;
  kpi_id: string;
  position: number;
  name: string;
  unit: string;
  /** Exact decimal text; null: 待定. */
  target: string | null;
  direction: "up" | "down";
  notes: string;
}

export interface AssignmentsTable {
  plan_id: string;
  assignment_id: string;
  position: number;
  person: string;
  person_user_id: number | null;
  role: string;
  duties: string;
  contact: string;
}

/** A template saved from a plan; `data` is the template JSON (app/domain/template.ts). */
export interface CustomTemplatesTable {
  id: string;
  data: string;
  name: string;
  campaign_type: CampaignType;
  source_plan_id: string | null;
  created_by: number;
  created_at: number;
  hidden: number;
}

/** A submitted budget (预算版本): its snapshot is immutable, enforced by triggers. */
export interface BudgetRevisionsTable {
  id: Generated<number>;
  plan_id: string;
  /** 1, 2, … per plan. */
  number: number;
  status: RevisionStatus;
  submitted_by: number;
  submitted_at: number;
  /** JSON of the domain's ChosenChain: the chosen candidate and every one judged. */
  chain: string;
  spend_fen: FenColumn;
  income_fen: FenColumn;
  net_fen: FenColumn;
  /** sha256 hex of canonicalSnapshot(). */
  content_hash: string;
  /** When it left pending; null while pending. */
  closed_at: number | null;
}

export interface RevisionLinesTable {
  revision_id: number;
  line_id: string;
  position: number;
  category: string;
  item: string;
  quantity_hundredths: number;
  unit: string;
  unit_price_fen: FenColumn;
  amount_fen: FenColumn;
  income: number;
  owner: string;
  quarter: Quarter;
  note: string;
}

export interface RevisionCategoriesTable {
  revision_id: number;
  position: number;
  category: string;
  spend_fen: FenColumn;
  income_fen: FenColumn;
  net_fen: FenColumn;
}

export interface ApprovalStepsTable {
  revision_id: number;
  step_index: number;
  kind: StepKind;
  title: ApproverTitle;
  decision: Decision | null;
  decided_by: number | null;
  decided_at: number | null;
  comment: string;
}

export interface BudgetReopeningsTable {
  id: Generated<number>;
  plan_id: string;
  /** The approved revision that was reopened. */
  revision_id: number;
  reason: string;
  reopened_by: number;
  reopened_at: number;
}

/** A step handed over (转交) to another holder of its title: append-only. */
export interface ApprovalDelegationsTable {
  id: Generated<number>;
  revision_id: number;
  step_index: number;
  /** 1, 2, …: the step's delegations in order; unique per step. */
  seq: number;
  from_user_id: number;
  to_user_id: number;
  reason: string;
  at: number;
}

/** An overdue step already reminded: one row per step. */
export interface ApprovalRemindersTable {
  revision_id: number;
  step_index: number;
  sent_at: number;
}

/** A version of a plan's document (版本历史): immutable; only automatic ones are thinned. */
export interface PlanVersionsTable {
  id: Generated<number>;
  plan_id: string;
  kind: VersionKind;
  name: string | null;
  /** deflate(Y.encodeStateAsUpdate) of the whole document at the version point. */
  state: Uint8Array;
  /** Y.encodeStateVector at the version point: tells whether the live document moved on since. */
  state_vector: Uint8Array;
  /** The uncompressed state's size. */
  state_bytes: number;
  /** JSON array of the member ids whose edits came in since the previous version. */
  authors: string;
  /** JSON VersionSummary against the previous version. */
  summary: string;
  created_by: number | null;
  restored_from: number | null;
  created_at: number;
}

export interface Database {
  plan_versions: PlanVersionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
  plans: PlansTable;
  plan_members: PlanMembersTable;
  doc_snapshots: DocSnapshotsTable;
  doc_updates: DocUpdatesTable;
  custom_templates: CustomTemplatesTable;
  budget_lines: BudgetLinesTable;
  timeline_items: TimelineItemsTable;
  kpis: KpisTable;
  assignments: AssignmentsTable;
  budget_revisions: BudgetRevisionsTable;
  revision_lines: RevisionLinesTable;
  revision_categories: RevisionCategoriesTable;
  approval_steps: ApprovalStepsTable;
  budget_reopenings: BudgetReopeningsTable;
  approval_delegations: ApprovalDelegationsTable;
  approval_reminders: ApprovalRemindersTable;
  actual_entries: ActualEntriesTable;
  actual_attachments: ActualAttachmentsTable;
  kpi_results: KpiResultsTable;
  notifications: NotificationsTable;
  notification_channels: NotificationChannelsTable;
  outbox: OutboxTable;
  comment_threads: CommentThreadsTable;
  comments: CommentsTable;
}

export interface ActualEntriesTable {
  id: Generated<number>;
  plan_id: string;
  /** The budget line's id in the plan document. */
  line_id: string;
  /** YYYY-MM-DD */
  spent_on: string;
  amount_fen: FenColumn;
  vendor: string;
  invoice_no: string;
  note: string;
  source: "manual" | "import";
  created_by: number;
  created_at: number;
  updated_by: number | null;
  updated_at: number | null;
}

/** An invoice photo or scan on an actual spend entry; its bytes are on disk, named by storage_key. */
export interface ActualAttachmentsTable {
  id: Generated<number>;
  entry_id: number;
  plan_id: string;
  storage_key: string;
  media_type: AttachmentType;
  size_bytes: number;
  /** For showing and as the download's name only; never a path. */
  file_name: string;
  created_by: number;
  created_at: number;
}

export interface KpiResultsTable {
  plan_id: string;
  kpi_id: string;
  /** Decimal text, as KPI targets are. */
  actual: string;
  note: string;
  recorded_by: number;
  recorded_at: number;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  plan_id: string | null;
  actor_id: number | null;
  /** JSON of the event's fields without `kind` (app/domain/notifications.ts). */
  payload: string;
  dedupe_key: string;
  created_at: number;
  read_at: number | null;
}

/** A comment thread's anchor and state; `anchor` is JSON of the domain's Anchor (app/domain/comments.ts). */
export interface CommentThreadsTable {
  id: string;
  plan_id: string;
  anchor_kind: AnchorKind;
  anchor: string;
  quote: string;
  status: ThreadStatus;
  created_by: number;
  created_at: number;
  resolved_by: number | null;
  resolved_at: number | null;
}

/** A comment; a deleted one keeps its row with an empty body, so the thread still reads in order. */
export interface CommentsTable {
  id: string;
  thread_id: string;
  author_id: number;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

/** Where notifications are also sent (app/domain/outbound); owner_user_id NULL is a workspace channel. */
export interface NotificationChannelsTable {
  id: Generated<number>;
  owner_user_id: number | null;
  kind: ChannelKind;
  name: string;
  /** The robot's webhook URL, or an email address. */
  target: string;
  secret: string | null;
  /** JSON array of the NotificationKinds it receives. */
  kinds: string;
  enabled: number;
  created_by: number;
  created_at: number;
  updated_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  channel_id: number;
  notification_id: number | null;
  /** JSON OutboundMessage, rendered when the event happened. */
  message: string;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  claimed_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type Plan = Selectable<PlansTable>;
export type CustomTemplate = Selectable<CustomTemplatesTable>;
export type BudgetLineRow = Selectable<BudgetLinesTable>;
export type TimelineItemRow = Selectable<TimelineItemsTable>;
export type KpiRow = Selectable<KpisTable>;
export type ActualEntry = Selectable<ActualEntriesTable>;
export type KpiResult = Selectable<KpiResultsTable>;
export type AssignmentRow = Selectable<AssignmentsTable>;
export type BudgetRevision = Selectable<BudgetRevisionsTable>;
export type RevisionLine = Selectable<RevisionLinesTable>;
export type ApprovalStep = Selectable<ApprovalStepsTable>;
export type Notification = Selectable<NotificationsTable>;
export type NotificationChannel = Selectable<NotificationChannelsTable>;
export type OutboxRow = Selectable<OutboxTable>;
