import { json, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Db } from "../../db/client";
import type { Locale } from "~/domain/roles";
import { can, type Action, type Resource } from "~/domain/policy";
import { createI18n } from "~/i18n/i18n";
import type { ApprovalErrorCode, ApprovalFailure } from "~/services/approvals.server";
import type { Auth } from "~/services/context";
import { findPlanForActor, type PlanForActor } from "~/services/plans.server";

/**
 * The signed-in member. Anonymous page requests are sent to login; anonymous data
 * requests (`?_data=`, fetchers) and posts get 401, never a redirect to HTML.
 */
export function requireAuth(request: Request, context: AppLoadContext): Auth {
  if (context.auth) return context.auth;
  const url = new URL(request.url);
  if (context.dataRequest || request.method !== "GET") {
    throw json({ code: "unauthenticated" }, { status: 401 });
  }
  const back = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

/** Same as requireAuth, then refuses with 403 unless the policy allows the action. */
export function requireAbility(request: Request, context: AppLoadContext, action: Action, resource?: Resource): Auth {
  const auth = requireAuth(request, context);
  if (!can(auth.actor, action, resource)) {
    throw json({ code: "forbidden" }, { status: 403 });
  }
  return auth;
}

/**
 * A plan the member may act on, or a thrown 404 / 403. A plan they may not read answers 404
 * with code `noAccess` and the id from their own link, so the error page can offer 申请访问;
 * nothing else about the plan (its title) is sent.
 */
export async function requirePlan(db: Db, auth: Auth, rawId: string | undefined, action: Action): Promise<PlanForActor> {
  const found = await findPlanForActor(db, auth, rawId, action);
  if (!found.ok) throw json(found.code === "noAccess" ? { code: found.code, planId: rawId } : { code: found.code }, { status: found.status });
  return { plan: found.plan, target: found.target, abilities: found.abilities };
}

/** What the routes send back for a refusal: the code for the page, and the sentence for any other client. */
export type ApprovalErrorBody = { ok: false; code: ApprovalErrorCode | "invalid" | "reasonRequired"; count: number; message: string };

export function approvalErrorResponse(failure: Pick<ApprovalFailure, "status" | "code" | "count"> | { status: 400; code: "invalid" | "reasonRequired"; count?: number }, locale: Locale) {
  const count = failure.count ?? 0;
  const message = createI18n(locale).t(`approval.error.${failure.code}`, { count });
  return json<ApprovalErrorBody>({ ok: false, code: failure.code, count, message }, { status: failure.status });
}
