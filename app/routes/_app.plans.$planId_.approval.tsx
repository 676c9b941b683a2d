import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { reopenBudget, submitBudget, withdrawRevision } from "~/services/approvals.server";
import { approvalErrorResponse, requireAuth, requirePlan } from "~/routes-support/guards.server";

/** Submit, withdraw and reopen a plan's budget; the plan page's approval panel posts here. */

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/plans/${params.planId ?? ""}`);
}

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("withdraw") }),
  z.object({ intent: z.literal("reopen"), reason: z.string().trim().min(1).max(500) }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:edit");
  const form = Object.fromEntries(await request.formData());
  const parsed = IntentSchema.safeParse(form);
  if (!parsed.success) return approvalErrorResponse({ status: 400, code: form.intent === "reopen" ? "reasonRequired" : "invalid" }, context.locale);
  const input = parsed.data;
  const outcome =
    input.intent === "submit"
      ? await submitBudget(context, auth, plan)
      : input.intent === "withdraw"
        ? await withdrawRevision(context, auth, plan)
        : await reopenBudget(context, auth, plan, input.reason);
  if (!outcome.ok) return approvalErrorResponse(outcome, context.locale);
  return json({ ok: true as const, intent: input.intent });
}
