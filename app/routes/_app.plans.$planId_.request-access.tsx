import { json, type ActionFunctionArgs } from "@remix-run/node";
import { requireAuth } from "~/routes-support/guards.server";
import { requestPlanAccess } from "~/services/access-requests.server";

/** 申请访问 from the no-access page: any signed-in member may ask; the owner is told once a day. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const outcome = await requestPlanAccess(context.db, auth, params.planId);
  return json(outcome, { status: outcome.ok ? 200 : outcome.status });
}
