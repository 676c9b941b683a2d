import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { listMentionable } from "~/services/mentions.server";

/** The members the @ picker offers on this plan, with whether each may read it and whether the asker may share it with them. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, abilities } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const members = await listMentionable(context.db, plan);
  return json({ members, canShare: abilities["plan:manageMembers"] }, { headers: { "Cache-Control": "private, no-store" } });
}
