import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { MENTION_KEY_PATTERN } from "~/domain/mention-node";
import { SectionIdSchema } from "~/domain/plan-document";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { notifyRichTextMention } from "~/services/mentions.server";

/** The editor posts here right after inserting an @mention into a section, so the member is notified. */

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/plans/${params.planId ?? ""}`);
}

const MentionSchema = z.object({
  sectionId: SectionIdSchema,
  mentionKey: z.string().regex(MENTION_KEY_PATTERN),
  memberId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:edit");
  const parsed = MentionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, code: "invalid" as const }, { status: 400 });
  const outcome = await notifyRichTextMention(context, { id: auth.user.id, name: auth.user.name }, plan, parsed.data);
  if (!outcome.ok) return json({ ok: false as const, code: outcome.code }, { status: outcome.status });
  return json({ ok: true as const, notified: outcome.notified });
}
