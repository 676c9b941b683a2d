import { describe, expect, it } from "vitest";
import { ACTIONS, PLAN_ACTIONS, abilitiesOf, can, planAbilitiesOf, readsEveryPlan, type Action, type Actor, type PlanTarget } from "./policy";
import { ROLES, type Role } from "./roles";

// Every role × action, written out so a change to the policy must change this table.
const expected: Record<Role, readonly Action[]> = {
  admin: ["plans:view", "tasks:view", "plans:create", "approvals:view", "approvals:track", "finance:view", "calendar:view", "admin:view", "members:manage", "authority:manage", "templates:create", "templates:manage", "audit:read", "holidays:manage", "notifications:manage", "actuals:record", "account:update"],
  planner: ["plans:view", "tasks:view", "plans:create", "approvals:track", "calendar:view", "templates:create", "account:update"],
  manager: ["plans:view", "tasks:view", "approvals:view", "approvals:track", "calendar:view", "account:update"],
  finance: ["plans:view", "tasks:view", "approvals:view", "approvals:track", "finance:view", "calendar:view", "actuals:record", "account:update"],
  viewer: ["plans:view", "approvals:track", "calendar:view", "account:update"],
};

const actor = (role: Role, active = true): Actor => ({ id: 1, role, title: null, active });

describe("can", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS.filter((a) => !a.startsWith("plan:"))) {
      const allowed = expected[role].includes(action);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(can(actor(role), action)).toBe(allowed);
      });
    }
  }

  it("refuses every action to an anonymous request", () => {
    for (const action of ACTIONS) expect(can(null, action)).toBe(false);
  });

  it("opens the approvals inbox to any member holding an approver title, and only that", () => {
    const planner: Actor = { ...actor("planner"), title: "gm" };
    const viewer: Actor = { ...actor("viewer"), title: "finance" };
    expect(can(planner, "approvals:view")).toBe(true);
    expect(can(viewer, "approvals:view")).toBe(true);
    expect(can(viewer, "plans:create")).toBe(false);
    expect(can({ ...planner, active: false }, "approvals:view")).toBe(false);
    expect(can(actor("planner"), "approvals:view")).toBe(false);
  });

  it("refuses every action to a deactivated member, admins included", () => {
    for (const role of ROLES) for (const action of ACTIONS) expect(can(actor(role, false), action)).toBe(false);
  });

  it("reports abilities consistent with can", () => {
    const abilities = abilitiesOf(actor("finance"));
    for (const action of ACTIONS) expect(abilities[action]).toBe(can(actor("finance"), action));
  });
});

describe("can on a plan", () => {
  type Relation = "owner" | "editor" | "viewerMember" | "stranger";
  const plan = (relation: Relation, status: PlanTarget["status"] = "draft"): PlanTarget => ({
    kind: "plan",
    ownerId: relation === "owner" ? 1 : 99,
    status,
    access: relation === "editor" ? "edit" : relation === "viewerMember" ? "view" : null,
  });
  // [read, edit, archive, manageMembers] for each role and relation, on a draft plan.
  const table: Record<Role, Record<Relation, string>> = {
    admin: { owner: "RWAM", editor: "RWAM", viewerMember: "RWAM", stranger: "RWAM" },
    planner: { owner: "RWAM", editor: "RW--", viewerMember: "R---", stranger: "----" },
    manager: { owner: "RWAM", editor: "RW--", viewerMember: "R---", stranger: "R---" },
    finance: { owner: "RWAM", editor: "RW--", viewerMember: "R---", stranger: "R---" },
    viewer: { owner: "R---", editor: "R---", viewerMember: "R---", stranger: "----" },
  };
  for (const role of ROLES) {
    for (const [relation, letters] of Object.entries(table[role]) as [Relation, string][]) {
      it(`${role} as ${relation}: ${letters}`, () => {
        const abilities = planAbilitiesOf(actor(role), plan(relation));
        expect(PLAN_ACTIONS.map((a, i) => (abilities[a] ? "RWAM"[i] : "-")).join("")).toBe(letters);
      });
    }
  }

  it("makes an archived plan read-only for everyone, admins included", () => {
    for (const role of ROLES) {
      const abilities = planAbilitiesOf(actor(role), plan("owner", "archived"));
      expect(abilities).toEqual({ "plan:read": true, "plan:edit": false, "plan:archive": false, "plan:manageMembers": false });
    }
  });

  it("refuses plan actions without a plan and to deactivated members", () => {
    for (const action of PLAN_ACTIONS) expect(can(actor("admin"), action)).toBe(false);
    expect(planAbilitiesOf(actor("admin", false), plan("owner"))["plan:read"]).toBe(false);
  });
});

describe("plan:comment", () => {
  type Relation = "owner" | "editor" | "viewerMember" | "stranger";
  const plan = (relation: Relation, viewersMayComment: boolean | undefined, status: PlanTarget["status"] = "draft"): PlanTarget => ({
    kind: "plan",
    ownerId: relation === "owner" ? 1 : 99,
    status,
    access: relation === "editor" ? "edit" : relation === "viewerMember" ? "view" : null,
    viewersMayComment,
  });
  // For each role and relation: may comment with the setting on, and with it off ("on/off").
  const table: Record<Role, Record<Relation, string>> = {
    admin: { owner: "CC", editor: "CC", viewerMember: "CC", stranger: "CC" },
    planner: { owner: "CC", editor: "CC", viewerMember: "C-", stranger: "--" },
    manager: { owner: "CC", editor: "CC", viewerMember: "C-", stranger: "C-" },
    finance: { owner: "CC", editor: "CC", viewerMember: "C-", stranger: "C-" },
    viewer: { owner: "C-", editor: "C-", viewerMember: "C-", stranger: "--" },
  };
  for (const role of ROLES) {
    for (const [relation, letters] of Object.entries(table[role]) as [Relation, string][]) {
      it(`${role} as ${relation}: ${letters}`, () => {
        const on = can(actor(role), "plan:comment", plan(relation, true));
        const off = can(actor(role), "plan:comment", plan(relation, false));
        expect(`${on ? "C" : "-"}${off ? "C" : "-"}`).toBe(letters);
        // Commenting never goes beyond reading, and an unset setting counts as on.
        if (on) expect(can(actor(role), "plan:read", plan(relation, true))).toBe(true);
        expect(can(actor(role), "plan:comment", plan(relation, undefined))).toBe(on);
      });
    }
  }

  it("refuses comments on archived plans, without a plan, and to deactivated members", () => {
    for (const role of ROLES) expect(can(actor(role), "plan:comment", plan("owner", true, "archived"))).toBe(false);
    expect(can(actor("admin"), "plan:comment")).toBe(false);
    expect(can(actor("planner", false), "plan:comment", plan("owner", true))).toBe(false);
  });

  it("lets viewers comment on a plan in review or approved, where nobody may edit the budget", () => {
    expect(can(actor("viewer"), "plan:comment", plan("viewerMember", true, "inReview"))).toBe(true);
    expect(can(actor("viewer"), "plan:comment", plan("viewerMember", true, "approved"))).toBe(true);
    expect(can(actor("viewer"), "plan:edit", plan("viewerMember", true, "approved"))).toBe(false);
  });
});

describe("readsEveryPlan", () => {
  it("matches plan:read on a plan the member neither owns nor was added to, for every role", () => {
    const stranger: PlanTarget = { kind: "plan", ownerId: 999, status: "draft", access: null };
    for (const role of ROLES) {
      expect(readsEveryPlan(actor(role)), role).toBe(can(actor(role), "plan:read", stranger));
      expect(readsEveryPlan(actor(role, false)), `${role} inactive`).toBe(false);
    }
  });
});
