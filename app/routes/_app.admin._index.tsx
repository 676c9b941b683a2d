import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireAbility } from "~/routes-support/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "admin:view");
  return redirect("/admin/members");
}
