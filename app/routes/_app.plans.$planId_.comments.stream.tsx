import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { resolveAuth } from "~/services/auth/session.server";
import { commentsTopic } from "~/services/comments.server";
import { eventStreamResponse } from "~/services/live-bus.server";
import { findPlanForActor } from "~/services/plans.server";

/** Server-sent events telling an open comment panel to refetch: `changed` {} after any comment change on the plan. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const cookie = request.headers.get("Cookie");
  return eventStreamResponse(request, [commentsTopic(plan.id)], {
    scope: context.db,
    memberId: auth.user.id,
    sessionIdHash: auth.sessionIdHash,
    onPublish: () => Promise.resolve({ event: "changed", data: {} }),
    // A member removed from the plan, deactivated or signed out stops hearing about it at the next heartbeat.
    stillAllowed: async () => {
      const current = await resolveAuth(context.db, cookie, Date.now());
      return current !== null && current.sessionIdHash === auth.sessionIdHash && (await findPlanForActor(context.db, current, plan.id, "plan:read")).ok;
    },
  });
}
