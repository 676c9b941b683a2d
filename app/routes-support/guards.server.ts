import { json, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Auth } from "../services/context";
import { can, type Action, type Resource } from "../domain/policy";

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
