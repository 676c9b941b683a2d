import { z } from "zod";
import { displayNameSchema } from "./display-name";
import { ApproverTitleSchema, ROLES, type ApproverTitle, type Role } from "./roles";
import { UsernameSchema } from "./username";

// Messages are translation keys (errors.*), shown beside the field in the member's language.
const name = displayNameSchema({ max: 40, length: "nameLength", invisible: "nameInvisible" });
const password = z.string().min(8, { error: "passwordLength" }).max(128, { error: "passwordLength" });
const role = z.enum(ROLES, { error: "invalidRole" });
const title = z
  .string()
  .optional()
  .transform((v, ctx): ApproverTitle | null => {
    if (!v || v === "none") return null;
    const parsed = ApproverTitleSchema.safeParse(v);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: "invalidTitle" });
    return z.NEVER;
  });

export const NewMemberSchema = z.object({ name, username: UsernameSchema, password, role, title });
export type NewMember = z.infer<typeof NewMemberSchema>;

export const MemberUpdateSchema = z.object({
  name,
  role,
  title,
  password: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(password.optional()),
});
export type MemberUpdate = z.infer<typeof MemberUpdateSchema>;

export type MemberRuleError = "lastAdmin" | "selfDeactivate";

/**
 * Guards the workspace against locking itself out: the last active admin can be neither
 * demoted nor deactivated, and an admin cannot deactivate their own account.
 */
export function checkMemberChange(input: {
  actorId: number;
  target: { id: number; role: Role; active: boolean };
  next: { role: Role; active: boolean };
  activeAdmins: number;
}): MemberRuleError | null {
  const { target, next } = input;
  if (target.id === input.actorId && target.active && !next.active) return "selfDeactivate";
  const wasActiveAdmin = target.active && target.role === "admin";
  const staysActiveAdmin = next.active && next.role === "admin";
  if (wasActiveAdmin && !staysActiveAdmin && input.activeAdmins <= 1) return "lastAdmin";
  return null;
}
