import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireAbility } from "../auth/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "admin:view");
  return redirect("/admin/members");
}
