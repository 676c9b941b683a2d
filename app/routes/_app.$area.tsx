import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireAbility } from "~/routes-support/guards.server";
import { pageTitle } from "~/i18n/page-title";

/**
 * Any other top-level path: a 404 drawn inside the app shell (by the layout's error
 * boundary) for a signed-in member, the login page for anyone else.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notFound");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "plans:view");
  throw json({ code: "notFound" }, { status: 404 });
}

// The loader always throws, so this never renders; without it Remix would treat the
// module as a resource route and answer outside the shell.
export default function UnknownArea() {
  return null;
}
