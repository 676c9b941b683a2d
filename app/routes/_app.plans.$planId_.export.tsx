import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordAudit } from "../../db/queries/audit";
import { requireAuth } from "../auth/guards.server";
import { planWorkbookBytes } from "../exports/plan-workbook";
import { attachmentDisposition, EXPORT_REVISIONS, loadPlanWorkbook } from "../exports/plan-workbook.server";
import { createI18n } from "../i18n/i18n";
import { requirePlan } from "../plans.server";

/** The plan workbook (.xlsx) of the current draft or of the approved revision: `?revision=draft|approved`. */

const RevisionSchema = z.enum(EXPORT_REVISIONS).default("draft");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const t = createI18n(context.locale).t;
  const revision = RevisionSchema.safeParse(new URL(request.url).searchParams.get("revision") ?? undefined);
  if (!revision.success) return json({ code: "invalidRevision", message: t("export.error.invalidRevision") }, { status: 400 });
  const now = Date.now();
  const input = await loadPlanWorkbook(context, plan, revision.data, now);
  if (!input) return json({ code: "noApprovedRevision", message: t("export.error.noApprovedRevision") }, { status: 404 });
  const bytes = await planWorkbookBytes(input);
  await recordAudit(context.db, {
    actorId: auth.user.id,
    action: "plan.export",
    targetType: "plan",
    targetId: plan.id,
    detail: { revision: input.revision.kind, ...(input.revision.kind === "approved" && { revisionNumber: input.revision.number }) },
    at: now,
  });
  return new Response(bytes, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": attachmentDisposition(input.plan.title, "xlsx"),
      "Content-Length": String(bytes.byteLength),
      // The workbook holds budget figures: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
