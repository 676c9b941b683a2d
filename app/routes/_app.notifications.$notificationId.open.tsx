import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireAuth } from "~/routes-support/guards.server";
import { notificationLink, eventOf } from "~/domain/notifications";
import { openNotification } from "~/services/notifications.server";

const IdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Opening a notification: the POST (a CSRF-checked form) marks it read and redirects to where
 * it points; a plain GET only redirects, since a GET must not change state (prefetches, link
 * previews). Someone else's notification is 404, like one that does not exist.
 */
async function open(args: LoaderFunctionArgs, markRead: boolean) {
  const auth = requireAuth(args.request, args.context);
  const id = IdSchema.safeParse(args.params.notificationId);
  if (!id.success) throw json({ code: "notFound" }, { status: 404 });
  const opened = await openNotification(args.context.db, auth.user.id, id.data, { markRead, at: Date.now() });
  if (!opened.ok) throw json({ code: opened.code }, { status: opened.status });
  const { notification } = opened;
  const event = eventOf(notification.kind, notification.payload);
  return redirect(event ? notificationLink(notification.kind, notification.plan_id, event) : "/notifications");
}

export function loader(args: LoaderFunctionArgs) {
  return open(args, false);
}

export function action(args: ActionFunctionArgs) {
  return open(args, true);
}
