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
  "approvals:view",
  "finance:view",
  "calendar:view",
  "admin:view",
  "members:manage",
  "account:update",
] as const;
export type Action = (typeof ACTIONS)[number];

export interface MemberTarget {
  kind: "member";
  id: number;
}
export type Resource = MemberTarget | undefined;

const everyone = new Set<Role>(["admin", "planner", "manager", "finance", "viewer"]);

/** Which roles may perform an action, before any resource-specific rule. */
const allowedRoles: Record<Action, ReadonlySet<Role>> = {
  "plans:view": everyone,
  "plans:create": new Set(["admin", "planner"]),
  "approvals:view": new Set(["admin", "manager", "finance"]),
  "finance:view": new Set(["admin", "finance"]),
  "calendar:view": everyone,
  "admin:view": new Set(["admin"]),
  "members:manage": new Set(["admin"]),
  "account:update": everyone,
};

/**
 * The one policy function. Loaders, actions and (later) the websocket upgrade all ask it,
 * and loaders hand its answers to the UI so no screen re-derives a rule.
 */
export function can(actor: Actor | null, action: Action, _resource?: Resource): boolean {
  if (!actor || !actor.active) return false;
  return allowedRoles[action].has(actor.role);
}

export type Abilities = Record<Action, boolean>;

export function abilitiesOf(actor: Actor | null): Abilities {
  return Object.fromEntries(ACTIONS.map((a) => [a, can(actor, a)])) as Abilities;
}
