import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { can } from "~/domain/policy";
import { parseAnchor, parseCommentBody, trimQuote, type CommentErrorCode } from "~/domain/comments";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import {
  changeViewersMayComment,
  createThread,
  deleteComment,
  editComment,
  listThreads,
  replyToThread,
  setThreadResolved,
  type CommentOutcome,
} from "~/services/comments.server";

/** The comment threads of a plan (resource route: the side panel fetches and posts here). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, target, abilities } = await requirePlan(context.db, auth, params.planId, "plan:read");
  return json({
    threads: await listThreads(context.db, plan.id),
    canComment: can(auth.actor, "plan:comment", target),
    viewersMayComment: plan.viewers_may_comment === 1,
    canManage: abilities["plan:manageMembers"],
    me: auth.user.id,
  });
}

const Id = z.string().uuid();
const FormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), anchor: z.string().max(1000), quote: z.string().max(10_000).default(""), body: z.string().default("") }),
  z.object({ intent: z.literal("reply"), threadId: Id, body: z.string().default("") }),
  z.object({ intent: z.literal("edit"), commentId: Id, body: z.string().default("") }),
  z.object({ intent: z.literal("delete"), commentId: Id }),
  z.object({ intent: z.literal("resolve"), threadId: Id }),
  z.object({ intent: z.literal("reopen"), threadId: Id }),
  z.object({ intent: z.literal("setViewersMayComment"), value: z.enum(["1", "0"]) }),
]);

type ActionData = { ok: true; threadId?: string; commentId?: string } | { ok: false; code: CommentErrorCode };

const refuse = (status: number, code: CommentErrorCode) => json<ActionData>({ ok: false, code }, { status });

function respond(outcome: CommentOutcome) {
  if (!outcome.ok) return refuse(outcome.status, outcome.code);
  return json<ActionData>({ ok: true, threadId: outcome.threadId, commentId: outcome.commentId });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, target, abilities } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const parsed = FormSchema.safeParse(Object.fromEntries(await request.formData()));
  // A malformed id cannot name a thread or comment of this plan.
  if (!parsed.success) return parsed.error.issues.some((i) => i.path[0] === "anchor") ? refuse(400, "badAnchor") : refuse(404, "notFound");
  const form = parsed.data;
  if (form.intent === "setViewersMayComment") {
    if (!abilities["plan:manageMembers"]) return json({ ok: false, code: "forbidden" } as const, { status: 403 });
    return respond(await changeViewersMayComment(context.db, auth, plan, form.value === "1"));
  }
  // Admins moderate: they may delete anyone's comment even where they could not write one.
  const moderating = form.intent === "delete" && auth.actor.role === "admin" && can(auth.actor, "plan:read", target);
  if (!moderating && !can(auth.actor, "plan:comment", target)) return refuse(403, "cannotComment");
  switch (form.intent) {
    case "create": {
      const anchor = parseAnchor(form.anchor);
      if (!anchor) return refuse(400, "badAnchor");
      const body = parseCommentBody(form.body);
      if (!body.ok) return refuse(400, body.code);
      return respond(await createThread(context, auth, plan, { anchor, quote: trimQuote(form.quote), body: body.body }));
    }
    case "reply":
    case "edit": {
      const body = parseCommentBody(form.body);
      if (!body.ok) return refuse(400, body.code);
      return respond(
        form.intent === "reply" ? await replyToThread(context.db, auth, plan, form.threadId, body.body) : await editComment(context.db, auth, plan, form.commentId, body.body),
      );
    }
    case "delete":
      return respond(await deleteComment(context.db, auth, plan, form.commentId));
    case "resolve":
    case "reopen":
      return respond(await setThreadResolved(context.db, auth, plan, form.threadId, form.intent === "resolve"));
  }
}
