import { createReadableStreamFromReadable, json, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { findLastApprovedRevision } from "../../db/queries/approvals";
import { recordAudit } from "../../db/queries/audit";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { attachmentDisposition, EXPORT_REVISIONS } from "~/services/excel/plan-workbook.server";
import { createI18n } from "~/i18n/i18n";

/** The plan workbook (.xlsx) of the current draft or of the approved revision: `?revision=draft|approved`. */

const RevisionSchema = z.enum(EXPORT_REVISIONS).default("draft");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const t = createI18n(context.locale).t;
  const revision = RevisionSchema.safeParse(new URL(request.url).searchParams.get("revision") ?? undefined);
  if (!revision.success) return json({ code: "invalidRevision", message: t("export.error.invalidRevision") }, { status: 400 });
  const approved = revision.data === "approved" ? await findLastApprovedRevision(context.db, plan.id) : undefined;
  if (revision.data === "approved" && !approved) return json({ code: "noApprovedRevision", message: t("export.error.noApprovedRevision") }, { status: 404 });
  // The draft workbook reads the projection, which trails a plan being edited by a few seconds.
  if (!approved) await context.collab.projectionCurrent(plan.id);
  const now = Date.now();
  const file = await context.exports.planWorkbook({ planId: plan.id, budget: approved ? { kind: "approved", revisionId: approved.id } : { kind: "draft" }, exportedAt: now });
  try {
    await recordAudit(context.db, {
      actorId: auth.user.id,
      action: "plan.export",
      targetType: "plan",
      targetId: plan.id,
      detail: { revision: revision.data, ...(approved && { revisionNumber: approved.number }) },
      at: now,
    });
  } catch (error) {
    file.stream.destroy();
    throw error;
  }
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": attachmentDisposition(plan.title, "xlsx"),
      "Content-Length": String(file.size),
      // The workbook holds budget figures: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
