import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie } from "~/services/auth/session.server";
import { deleteSession } from "../../db/queries/sessions";

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (context.auth) {
    await deleteSession(context.db, context.auth.sessionIdHash);
    context.collab.closeSessionSockets(context.auth.sessionIdHash);
  }
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(context.secureCookies) } });
}
