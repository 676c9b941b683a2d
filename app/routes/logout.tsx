import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie } from "~/services/auth/session.server";
import { closeSessionStreams } from "~/services/live-bus.server";
import { deleteSession } from "../../db/queries/sessions";

/**
 * Signing out also removes what this browser kept of the member's plans: offline copies
 * (IndexedDB), cached pages and the service worker ("storage"), and the HTTP cache ("cache").
 */
const CLEAR_SITE_DATA = '"cache", "storage"';

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (context.auth) {
    await deleteSession(context.db, context.auth.sessionIdHash);
    context.collab.closeSessionSockets(context.auth.sessionIdHash);
    closeSessionStreams(context.auth.sessionIdHash);
  }
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(context.secureCookies), "Clear-Site-Data": CLEAR_SITE_DATA } });
}
