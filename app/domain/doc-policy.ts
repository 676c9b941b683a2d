import { classifyRoot } from "./plan-document";

export interface DocWriteContext {
  /** The policy's plan:edit answer for this member (false for viewers and archived plans). */
  canEdit: boolean;
  /** The budget is under review or approved: nobody writes it. */
  budgetLocked: boolean;
}

export type RootRefusal = { root: string; reason: "readOnly" | "unknownRoot" | "budgetLocked" };

/**
 * Which roots of a plan document a member may change. The collaboration server asks this
 * for every root an incoming update touches, before applying it.
 */
export function refuseRootWrite(root: string, ctx: DocWriteContext): RootRefusal | null {
  if (!ctx.canEdit) return { root, reason: "readOnly" };
  const kind = classifyRoot(root);
  if (kind === null) return { root, reason: "unknownRoot" };
  if (kind === "budget" && ctx.budgetLocked) return { root, reason: "budgetLocked" };
  return null;
}
