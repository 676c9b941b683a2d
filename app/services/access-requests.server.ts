import type { Db } from "../../db/client";
import { findPlanById } from "../../db/queries/plans";
import { findUserById } from "../../db/queries/users";
import { findPlanForActor } from "./plans.server";
import { notify, publishNotifications } from "./notifications.server";
import { chinaToday } from "~/domain/calendar";
import type { Auth } from "./context";

export type AccessRequestOutcome =
  /** The owner was told now, or had been told today already: either way the asker waits for them. */
  | { ok: true; state: "sent" | "alreadySent" }
  /** The member may read the plan after all (added a moment ago): nothing to ask. */
  | { ok: true; state: "canRead" }
  | { ok: false; status: 404; code: "notFound" };

/**
 * 申请访问: tells a plan's owner that a member who may not read it asks to be added. One
 * request per member, plan and China day: the dedupe key carries the day, so a double tap or
 * fifty raced posts notify the owner once, and a member ignored today may ask again tomorrow.
 */
export async function requestPlanAccess(db: Db, auth: Auth, rawPlanId: string | undefined, now = Date.now()): Promise<AccessRequestOutcome> {
  const found = await findPlanForActor(db, auth, rawPlanId, "plan:read");
  if (found.ok) return { ok: true, state: "canRead" };
  if (found.code !== "noAccess") return { ok: false, status: 404, code: "notFound" };
  const planId = rawPlanId as string;
  const notified = await db.transaction().execute(async (trx) => {
    const plan = await findPlanById(trx, planId);
    if (!plan) return null;
    const asker = await findUserById(trx, auth.user.id);
    return notify(trx, {
      event: { kind: "accessRequested", planTitle: plan.title, actorName: asker?.name ?? "", requesterId: auth.user.id },
      planId: plan.id,
      actorId: auth.user.id,
      recipients: [plan.owner_id],
      dedupeKey: `accessRequested:${plan.id}:${auth.user.id}:${chinaToday(now)}`,
      at: now,
    });
  });
  if (notified === null) return { ok: false, status: 404, code: "notFound" };
  publishNotifications(notified);
  return { ok: true, state: notified.length > 0 ? "sent" : "alreadySent" };
}
