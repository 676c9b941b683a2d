import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { actualsPageData, editActualEntry, recordActualEntry, recordKpiResult, removeActualEntry, type ActualsOutcome } from "~/services/actuals.server";
import { CSRF_FIELD } from "~/domain/csrf";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { ActualEntries } from "~/components/actuals-entries";
import { ActualsImportForm } from "~/components/actuals-import-form";
import { ReviewButton } from "~/components/review-button";
import { canGenerateReview } from "~/domain/review-section";
import type { ActualsFormState } from "~/components/actuals-fields";
import { KpiResults } from "~/components/actuals-kpis";
import { ClientOnly } from "~/components/client-only";
import VarianceChart from "~/components/variance-chart.client";
import { VarianceTable } from "~/components/variance-table";
import { can } from "~/domain/policy";
import { addAttachment, attachmentsByEntry, checkUpload, entryFileKeys, removeAttachment, removeEntryFiles, type AttachmentOutcome } from "~/services/attachments.server";
import stylesHref from "~/styles/actuals.css";
import { pageTitle } from "~/i18n/page-title";

/** 实际对比: a plan's budget against its actual spend, the actual spend entries, and the KPI results. */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => pageTitle(matches, "planActuals", data?.plan ?? null, error);

const EntryIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, abilities, target } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const canRecord = can(auth.actor, "actuals:record");
  const edit = EntryIdSchema.safeParse(new URL(request.url).searchParams.get("edit") ?? undefined);
  return {
    plan: { id: plan.id, title: plan.title },
    ...(await actualsPageData(context.db, plan.id)),
    attachments: await attachmentsByEntry(context.db, plan.id),
    canRecord,
    canRecordKpis: canRecord || abilities["plan:edit"],
    editingId: canRecord && edit.success ? edit.data : null,
    reviewable: canGenerateReview(auth.actor, target),
  };
}

function refused(outcome: Pick<Extract<ActualsOutcome, { ok: false }>, "status" | "errors"> | Extract<AttachmentOutcome, { ok: false }>, form: FormData, intent: string) {
  const errors = "errors" in outcome ? outcome.errors : { attachment: outcome.code };
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && key !== CSRF_FIELD && key !== "intent") values[key] = value;
  const entryId = EntryIdSchema.safeParse(values.entryId);
  return json<ActualsFormState>(
    { intent, entryId: entryId.success ? entryId.data : null, kpiId: values.kpiId ?? null, values, errors },
    { status: outcome.status }
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, abilities } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const form = await request.formData();
  const rawIntent = form.get("intent");
  const intent = typeof rawIntent === "string" ? rawIntent : "";
  const back = `/plans/${plan.id}/actuals`;
  const forbidden = () => json({ code: "forbidden" }, { status: 403 });

  if (intent === "kpi") {
    if (!abilities["plan:edit"] && !can(auth.actor, "actuals:record")) throw forbidden();
    const outcome = await recordKpiResult(context.db, auth, plan, form);
    return outcome.ok ? redirect(back) : refused(outcome, form, intent);
  }
  if (!can(auth.actor, "actuals:record")) throw forbidden();
  const dir = context.attachmentsDir;
  if (intent === "create") {
    // The photo is judged before the entry is written: a refused file records nothing.
    const file = form.get("attachment");
    const photo = file instanceof File && file.name !== "" ? await checkUpload(file) : null;
    if (photo && !photo.ok) return refused(photo, form, intent);
    const outcome = await recordActualEntry(context.db, auth, plan, form);
    if (!outcome.ok) return refused(outcome, form, intent);
    if (photo) {
      const stored = await addAttachment(context.db, dir, auth, plan, { entryId: outcome.entryId, upload: photo.upload });
      if (!stored.ok) return refused(stored, form, intent);
    }
    return redirect(back);
  }
  if (intent === "deleteAttachment") {
    const attachmentId = EntryIdSchema.safeParse(form.get("attachmentId"));
    if (!attachmentId.success) throw json({ code: "badRequest" }, { status: 400 });
    const outcome = await removeAttachment(context.db, dir, auth, plan, attachmentId.data);
    return outcome.ok ? redirect(back) : refused(outcome, form, intent);
  }
  const entryId = EntryIdSchema.safeParse(form.get("entryId"));
  if (!entryId.success || (intent !== "update" && intent !== "delete" && intent !== "attach")) throw json({ code: "badRequest" }, { status: 400 });
  if (intent === "attach") {
    const photo = await checkUpload(form.get("attachment"));
    if (!photo.ok) return refused(photo, form, intent);
    const stored = await addAttachment(context.db, dir, auth, plan, { entryId: entryId.data, upload: photo.upload });
    return stored.ok ? redirect(back) : refused(stored, form, intent);
  }
  if (intent === "update") {
    const outcome = await editActualEntry(context.db, auth, plan, entryId.data, form);
    return outcome.ok ? redirect(back) : refused(outcome, form, intent);
  }
  // The rows go with the entry (ON DELETE CASCADE); their files are removed once it is gone.
  const keys = await entryFileKeys(context.db, entryId.data);
  const outcome = await removeActualEntry(context.db, auth, plan, entryId.data);
  if (outcome.ok) await removeEntryFiles(dir, keys);
  return outcome.ok ? redirect(back) : refused(outcome, form, intent);
}

export default function PlanActualsPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const formState = useActionData<typeof action>();
  const { plan, variance } = data;
  const planPath = `/plans/${plan.id}/actuals`;
  return (
    <article className="actuals-page">
      <header className="page-header with-action">
        <div>
          <p className="muted">
            <Link to={`/plans/${plan.id}`}>← {t("actuals.back")}</Link>
          </p>
          <h1>
            {t("actuals.title")} · {plan.title}
          </h1>
          <p className="muted" data-basis={variance.basis.kind}>
            {variance.basis.kind === "approved" ? t("actuals.basis.approved", { number: variance.basis.revisionNumber }) : t("actuals.basis.draft")}
          </p>
          <p className="muted">{t("actuals.intro")}</p>
        </div>
        <div className="actuals-exports">
          <a className="button" href={`/plans/${plan.id}/export?revision=draft`} download>
            {t("export.draft")}
          </a>
          {variance.basis.kind === "approved" ? (
            <a className="button" href={`/plans/${plan.id}/export?revision=approved`} download>
              {t("export.approved")}
            </a>
          ) : null}
        </div>
      </header>

      <section className="card" aria-labelledby="variance-heading">
        <h2 id="variance-heading">{t("actuals.variance.heading")}</h2>
        {variance.outOfRange ? (
          <p className="field-error" role="alert" data-out-of-range>
            {t("actuals.variance.outOfRange")}
          </p>
        ) : (
          <VarianceTable variance={variance} names={data.lines} />
        )}
      </section>

      <section className="card variance-chart" aria-labelledby="variance-chart-heading">
        <h2 id="variance-chart-heading">{t("actuals.chart.heading")}</h2>
        {variance.outOfRange ? (
          <p className="muted">{t("actuals.chart.outOfRange")}</p>
        ) : variance.categories.length === 0 ? (
          <p className="muted">{t("actuals.chart.empty")}</p>
        ) : (
          <figure role="img" aria-label={t("actuals.chart.label")}>
            <ClientOnly fallback={<p className="muted chart-placeholder">{t("actuals.chart.loading")}</p>}>
              {() => <VarianceChart categories={variance.categories} />}
            </ClientOnly>
          </figure>
        )}
      </section>

      <ActualEntries
        planPath={planPath}
        lines={data.lines}
        entries={data.entries}
        attachments={data.attachments}
        canRecord={data.canRecord}
        editingId={data.editingId}
        formState={formState}
      />

      {data.canRecord ? <ActualsImportForm planId={plan.id} /> : null}

      <KpiResults kpis={data.kpis} canRecord={data.canRecordKpis} formState={formState?.intent === "kpi" ? formState : undefined} />

      {data.reviewable ? (
        <section className="card">
          <h2>{t("review.heading")}</h2>
          <p className="muted">{t("review.hint")}</p>
          <ReviewButton planId={plan.id} />
        </section>
      ) : null}
    </article>
  );
}
