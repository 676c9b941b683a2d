import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import { deleteSessionsOfUser } from "../../db/queries/sessions";
import { countActiveAdmins, findUserById, findUserByUsername, insertUser, updateUser } from "../../db/queries/users";
import { hashPassword } from "./auth/password.server";
import { checkMemberChange, type MemberRuleError, type MemberUpdate, type NewMember } from "~/domain/members";

export type MemberResult = { ok: true; id: number } | { ok: false; field: string; error: MemberRuleError | "usernameTaken" };

export async function createMember(db: Db, actorId: number, member: NewMember, now = Date.now()): Promise<MemberResult> {
  const passwordHash = await hashPassword(member.password);
  return db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, member.username)) return { ok: false, field: "username", error: "usernameTaken" };
    const id = await insertUser(trx, { ...member, passwordHash, now });
    await recordAudit(trx, {
      actorId,
      action: "member.create",
      targetType: "member",
      targetId: id,
      detail: { username: member.username, role: member.role, title: member.title },
      at: now,
    });
    return { ok: true, id };
  });
}

/** Applies an admin's edit or (de)activation under the rules that keep an admin in charge. */
export async function changeMember(
  db: Db,
  actorId: number,
  id: number,
  change: { kind: "update"; update: MemberUpdate } | { kind: "setActive"; active: boolean },
  now = Date.now(),
): Promise<MemberResult | null> {
  const passwordHash = change.kind === "update" && change.update.password ? await hashPassword(change.update.password) : undefined;
  return db.transaction().execute(async (trx) => {
    const target = await findUserById(trx, id);
    if (!target) return null;
    const next = {
      role: change.kind === "update" ? change.update.role : target.role,
      active: change.kind === "setActive" ? change.active : target.active === 1,
    };
    const ruleError = checkMemberChange({
      actorId,
      target: { id: target.id, role: target.role, active: target.active === 1 },
      next,
      activeAdmins: await countActiveAdmins(trx),
    });
    if (ruleError) return { ok: false, field: change.kind === "update" ? "role" : "form", error: ruleError };

    if (change.kind === "update") {
      const { name, role, title } = change.update;
      await updateUser(trx, id, { name, role, title, passwordHash }, now);
    } else {
      await updateUser(trx, id, { active: change.active }, now);
    }
    // A deactivated member or a changed password ends every open session at once.
    if (!next.active || passwordHash) await deleteSessionsOfUser(trx, id);
    await recordAudit(trx, {
      actorId,
      action: change.kind === "update" ? "member.update" : change.active ? "member.reactivate" : "member.deactivate",
      targetType: "member",
      targetId: id,
      detail:
        change.kind === "update"
          ? { from: { name: target.name, role: target.role, title: target.title }, to: { name: change.update.name, role: change.update.role, title: change.update.title }, passwordReset: Boolean(passwordHash) }
          : {},
      at: now,
    });
    return { ok: true, id };
  });
}
