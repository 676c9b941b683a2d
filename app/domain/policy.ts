import type { PlanAccess, PlanStatus } from "./plan";
import type { ApproverTitle, Role } from "./roles";

/** Who is asking. `null` is an anonymous request. */
export interface Actor {
  id: number;
  role: Role;
  title: ApproverTitle | null;
  active: boolean;
}

export const ACTIONS = [
  "plans:view",
  "plans:create",
  "tasks:view",
  "approvals:view",
  "approvals:track",
  "finance:view",
  "calendar:view",
  "admin:view",
  "members:manage",
  "authority:manage",
  "templates:create",
  "templates:manage",
  "audit:read",
  "holidays:manage",
  "notifications:manage",
  "actuals:record",
  "account:update",
  "plan:read",
  "plan:edit",
  "plan:archive",
  "plan:manageMembers",
  "plan:comment",
] as const;
export type Action = (typeof ACTIONS)[number];

/** A plan as the policy sees it: who owns it, the asker's membership, its state. */
export interface PlanTarget {
  kind: "plan";
  ownerId: number;
  status: PlanStatus;
  /** The asking member's access on this plan, if they were added to it. */
  access: PlanAccess | null;
  /** The plan's "viewers may comment" setting; undefined counts as on (the default). */
  viewersMayComment?: boolean;
}
export type Resource = PlanTarget | undefined;

const everyone = new Set<Role>(["admin", "planner", "manager", "finance", "viewer"]);

/** Which roles may perform an action, before any resource-specific rule. */
const allowedRoles: Record<Action, ReadonlySet<Role>> = {
  "plans:view": everyone,
  "plans:create": new Set(["admin", "planner"]),
  /** 今日任务 lists the tasks of plans the member may edit; a read-only member has none. */
  "tasks:view": new Set(["admin", "planner", "manager", "finance"]),
  "approvals:view": new Set(["admin", "manager", "finance"]),
  /** The approval center's 我发起的 / 抄送我: whoever submits a budget or is on a plan follows its approvals. */
  "approvals:track": everyone,
  "finance:view": new Set(["admin", "finance"]),
  "calendar:view": everyone,
  "admin:view": new Set(["admin"]),
  "members:manage": new Set(["admin"]),
  /** Edit the authority matrix (审批权限表) that picks every budget's approval chain. */
  "authority:manage": new Set(["admin"]),
  /** Save a plan as a new template. */
  "templates:create": new Set(["admin", "planner"]),
  /** Hide, show and delete the workspace's own templates. */
  "templates:manage": new Set(["admin"]),
  /** Read the audit log: who did what, to whom, when. */
  "audit:read": new Set(["admin"]),
  /** Enter a year's official holidays and 调休 days before the holiday library knows them. */
  "holidays:manage": new Set(["admin"]),
  /** Workspace robots (企业微信 / 钉钉 / 飞书), the SMTP server, and the outbox of messages to them. */
  "notifications:manage": new Set(["admin"]),
  /** Record, edit and delete the actual spend booked against any plan's budget lines. */
  "actuals:record": new Set(["admin", "finance"]),
  "account:update": everyone,
  "plan:read": everyone,
  "plan:edit": new Set(["admin", "planner", "manager", "finance"]),
  "plan:archive": new Set(["admin", "planner", "manager", "finance"]),
  "plan:manageMembers": new Set(["admin", "planner", "manager", "finance"]),
  /** Comment on a plan: whoever may edit it, and its readers while the plan lets them (canOnPlan). */
  "plan:comment": everyone,
};

/** Finance and managers read every plan: they approve and account for all of them. */
const READS_EVERY_PLAN = new Set<Role>(["admin", "manager", "finance"]);

/** Whether lists may skip the per-plan membership filter for this member (plan:read in SQL). */
export function readsEveryPlan(actor: Actor | null): boolean {
  return actor !== null && actor.active && READS_EVERY_PLAN.has(actor.role);
}

/**
 * The one policy function. Loaders, actions and (later) the websocket upgrade all ask it,
 * and loaders hand its answers to the UI so no screen re-derives a rule.
 */
export function can(actor: Actor | null, action: Action, resource?: Resource): boolean {
  if (!actor || !actor.active) return false;
  // Steps are decided by title, whatever the role: whoever holds one needs the inbox.
  if (action === "approvals:view" && actor.title !== null) return true;
  if (!allowedRoles[action].has(actor.role)) return false;
  if (action.startsWith("plan:")) return resource?.kind === "plan" && canOnPlan(actor, action, resource);
  return true;
}

function canOnPlan(actor: Actor, action: Action, plan: PlanTarget): boolean {
  const isOwner = plan.ownerId === actor.id;
  const isAdmin = actor.role === "admin";
  const archived = plan.status === "archived";
  switch (action) {
    case "plan:read":
      return isAdmin || isOwner || plan.access !== null || READS_EVERY_PLAN.has(actor.role);
    case "plan:edit":
      return !archived && (isAdmin || isOwner || plan.access === "edit");
    case "plan:archive":
    case "plan:manageMembers":
      return !archived && (isAdmin || isOwner);
    case "plan:comment":
      return canOnPlan(actor, "plan:read", plan) && !archived && (plan.viewersMayComment !== false || can(actor, "plan:edit", plan));
    default:
      return false;
  }
}

export type Abilities = Record<Action, boolean>;

/** Workspace-level abilities (no resource) for the navigation and other global UI. */
export function abilitiesOf(actor: Actor | null): Abilities {
  return Object.fromEntries(ACTIONS.map((a) => [a, can(actor, a)])) as Abilities;
}

export const PLAN_ACTIONS = ["plan:read", "plan:edit", "plan:archive", "plan:manageMembers"] as const;
export type PlanAbilities = Record<(typeof PLAN_ACTIONS)[number], boolean>;

export function planAbilitiesOf(actor: Actor | null, plan: PlanTarget): PlanAbilities {
  return Object.fromEntries(PLAN_ACTIONS.map((a) => [a, can(actor, a, plan)])) as PlanAbilities;
}
