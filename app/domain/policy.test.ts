import { describe, expect, it } from "vitest";
import { ACTIONS, abilitiesOf, can, type Action, type Actor } from "./policy";
import { ROLES, type Role } from "./roles";

// Every role × action, written out so a change to the policy must change this table.
const expected: Record<Role, readonly Action[]> = {
  admin: ["plans:view", "plans:create", "approvals:view", "finance:view", "calendar:view", "admin:view", "members:manage", "account:update"],
  planner: ["plans:view", "plans:create", "calendar:view", "account:update"],
  manager: ["plans:view", "approvals:view", "calendar:view", "account:update"],
  finance: ["plans:view", "approvals:view", "finance:view", "calendar:view", "account:update"],
  viewer: ["plans:view", "calendar:view", "account:update"],
};

const actor = (role: Role, active = true): Actor => ({ id: 1, role, title: null, active });

describe("can", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = expected[role].includes(action);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(can(actor(role), action)).toBe(allowed);
      });
    }
  }

  it("refuses every action to an anonymous request", () => {
    for (const action of ACTIONS) expect(can(null, action)).toBe(false);
  });

  it("refuses every action to a deactivated member, admins included", () => {
    for (const role of ROLES) for (const action of ACTIONS) expect(can(actor(role, false), action)).toBe(false);
  });

  it("reports abilities consistent with can", () => {
    const abilities = abilitiesOf(actor("finance"));
    for (const action of ACTIONS) expect(abilities[action]).toBe(can(actor("finance"), action));
  });
});
