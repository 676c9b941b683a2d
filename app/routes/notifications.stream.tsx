import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { eventStreamResponse } from "~/services/live-bus.server";
import { sessionStillLive, unreadCount, userTopic } from "~/services/notifications.server";

/**
 * The bell's live feed (server-sent events): `unread` {count} on connect and after every
 * change to the member's notifications. An EventSource cannot follow a login redirect, so
 * an anonymous request gets 401; a member holding too many streams gets 429 and the bell
 * falls back to the count of its last page load.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = context.auth;
  if (!auth) return json({ code: "unauthenticated" }, { status: 401 });
  const db = context.db;
  const memberId = auth.user.id;
  const unread = async () => ({ event: "unread", data: { count: await unreadCount(db, memberId) } });
  return eventStreamResponse(request, [userTopic(memberId)], {
    scope: db,
    memberId,
    sessionIdHash: auth.sessionIdHash,
    onOpen: unread,
    onPublish: unread,
    stillAllowed: () => sessionStillLive(db, auth.sessionIdHash),
  });
}
