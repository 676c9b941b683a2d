import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { listKpiResults } from "../../db/queries/actuals";
import { recordAudit } from "../../db/queries/audit";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { fen } from "~/domain/money";
import { canGenerateReview, writeReview } from "~/domain/review-section";
import { formatMoney } from "~/i18n/format";
import { loadPlanVariance } from "~/services/variance.server";

/** Generates the plan's 总结复盘 through its live document; the review button posts here. */

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/plans/${params.planId ?? ""}`);
}

export type ReviewActionResult = { ok: true; notesCreated: boolean } | { ok: false; code: "forbidden" | "documentUnavailable" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, target } = await requirePlan(context.db, auth, params.planId, "plan:read");
  // Answered, not thrown: the button's fetcher shows it beside the button instead of an error page.
  if (!canGenerateReview(auth.actor, target)) return json<ReviewActionResult>({ ok: false, code: "forbidden" }, { status: 403 });
  const [variance, results] = await Promise.all([loadPlanVariance(context.db, plan.id), listKpiResults(context.db, plan.id)]);
  const kpiActuals = new Map(results.map((result) => [result.kpi_id, result.actual]));
  const now = Date.now();
  const written = await context.collab
    .applyServerChange(plan.id, auth.user.id, (doc) =>
      // The document is written in Chinese whatever the member's interface language.
      writeReview(doc, { variance, basis: variance.basis, generatedAt: now, kpiActuals }, { money: (amount) => formatMoney(fen(amount), "zh-CN") }),
    )
    // The collaboration server logged why.
    .catch(() => null);
  if (!written) return json<ReviewActionResult>({ ok: false, code: "documentUnavailable" }, { status: 503 });
  await recordAudit(context.db, {
    actorId: auth.user.id,
    action: "plan.review.generate",
    targetType: "plan",
    targetId: plan.id,
    detail: { dataSectionId: written.dataSectionId, notesSectionId: written.notesSectionId, notesCreated: written.notesCreated, basis: variance.basis, kpiResults: results.length },
    at: now,
  });
  return json<ReviewActionResult>({ ok: true, notesCreated: written.notesCreated });
}
