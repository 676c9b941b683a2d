import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { FieldError, FormErrorSummary } from "~/components/form-fields";
import { displayNameSchema } from "~/domain/display-name";
import { can } from "~/domain/policy";
import { planAnchorDate, readPlanSource, templateFromPlan, type PlanSource, type TemplateFromPlanProblem } from "~/domain/template-from-plan";
import { anchorSummary, type AnchorSummary } from "~/domain/template-preview";
import { readDocument } from "~/domain/plan-document";
import { parseForm, type FieldErrors } from "~/lib/forms";
import { findTemplateForPlan, newCustomTemplateId, saveCustomTemplate } from "~/services/templates.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => pageTitle(matches, "planSaveTemplate", data?.plan ?? null, error);

/**
 * A member who may edit the plan and save templates; others get 404 (no existence leak) or
 * 403. Reading is not enough: a template publishes the plan's content to the whole workspace.
 */
async function requireSavablePlan(request: Request, context: LoaderFunctionArgs["context"], planId: string | undefined) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, planId, "plan:edit");
  if (!can(auth.actor, "templates:create")) throw json({ code: "forbidden" }, { status: 403 });
  return { auth, plan };
}

async function loadSource(context: LoaderFunctionArgs["context"], planId: string): Promise<PlanSource> {
  // The collaboration server logged why; the member gets the friendly error page.
  const state = await context.collab.documentState(planId).catch(() => {
    throw json({ code: "documentUnavailable" }, { status: 500 });
  });
  return readDocument(state, readPlanSource);
}

async function convert(context: LoaderFunctionArgs["context"], source: PlanSource, input: { id: string; name: string; description: string; keepAmounts: boolean }) {
  const sourceTemplate = source.meta.anchor === "" ? null : await findTemplateForPlan(context.db, source.meta.templateId);
  return templateFromPlan(source, { ...input, sourceTemplate });
}

/** A plan title usually starts with its year ("2027 中秋客户答谢晚会"); a template is for every year. */
function nameFromTitle(title: string): string {
  return title.replace(/^\s*\d{4}\s*年?\s*/, "").trim() || title;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { plan } = await requireSavablePlan(request, context, params.planId);
  const source = await loadSource(context, plan.id);
  // A trial run, so the page names what to fix in the plan before anyone types a name.
  const trial = await convert(context, source, { id: "custom-trial", name: plan.title, description: plan.title, keepAmounts: true });
  return {
    plan: { id: plan.id, title: plan.title },
    name: nameFromTitle(plan.title),
    anchorDate: planAnchorDate(source),
    anchor: trial.ok ? anchorSummary(trial.template.anchor) : null,
    problems: trial.ok ? [] : trial.problems,
  };
}

// Messages are translation keys (errors.*).
const SaveTemplateSchema = z.object({
  name: displayNameSchema({ max: 80, length: "templateNameLength", invisible: "templateNameInvisible" }),
  description: z.string().trim().min(1, { error: "templateDescriptionLength" }).max(1000, { error: "templateDescriptionLength" }),
  // A checkbox is sent only when it is ticked.
  keepAmounts: z
    .string()
    .optional()
    .transform((value) => value !== undefined),
});

type ActionData = { fieldErrors?: FieldErrors; problems?: TemplateFromPlanProblem[] };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { auth, plan } = await requireSavablePlan(request, context, params.planId);
  const parsed = parseForm(await request.formData(), SaveTemplateSchema);
  if (!parsed.ok) return json<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const source = await loadSource(context, plan.id);
  const result = await convert(context, source, { id: newCustomTemplateId(), ...parsed.data });
  if (!result.ok) return json<ActionData>({ problems: result.problems }, { status: 400 });
  await saveCustomTemplate(context.db, auth.user.id, { template: result.template, sourcePlanId: plan.id, keepAmounts: parsed.data.keepAmounts });
  return redirect(`/plans/new?${new URLSearchParams({ template: result.template.id, saved: "1" }).toString()}`);
}

export default function SaveTemplate() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  const problems = actionData?.problems ?? data.problems;
  return (
    <section className="card narrow save-template">
      <p>
        <Link to={`/plans/${data.plan.id}`}>← {t("templates.save.back")}</Link>
      </p>
      <h1>{t("templates.save.heading")}</h1>
      <p className="muted">{t("templates.save.intro")}</p>
      {data.anchorDate ? (
        <p>
          {t("templates.save.anchor", { anchor: data.anchorDate })}
          {data.anchor ? (
            <>
              {" · "}
              <AnchorText anchor={data.anchor} />
            </>
          ) : null}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <div className="form-error template-problems" role="alert">
          <p>{t("templates.save.problems")}</p>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>{problemText(problem, t)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormErrorSummary errors={errors} />
      <SafeForm>
        <label className="field">
          <span>{t("templates.save.name")}</span>
          <input name="name" defaultValue={data.name} required maxLength={80} aria-invalid={errors?.name ? true : undefined} aria-describedby={errors?.name ? "name-error" : undefined} />
          <FieldError id="name-error" error={errors?.name} />
        </label>
        <label className="field">
          <span>{t("templates.save.description")}</span>
          <textarea
            name="description"
            rows={3}
            defaultValue={t("templates.save.defaultDescription", { title: data.plan.title })}
            required
            maxLength={1000}
            aria-invalid={errors?.description ? true : undefined}
            aria-describedby={errors?.description ? "description-error" : undefined}
          />
          <FieldError id="description-error" error={errors?.description} />
        </label>
        <label className="checkbox-field">
          <input type="checkbox" name="keepAmounts" defaultChecked />
          <span>
            {t("templates.save.keepAmounts")}
            <span className="hint"> {t("templates.save.keepAmountsHint")}</span>
          </span>
        </label>
        <p className="hint">{t("templates.save.ownersHint")}</p>
        <div className="form-actions">
          <button type="submit" className="button primary">
            {t("templates.save.submit")}
          </button>
          <Link to={`/plans/${data.plan.id}`} className="button ghost">
            {t("templates.save.back")}
          </Link>
        </div>
      </SafeForm>
    </section>
  );
}

function AnchorText({ anchor }: { anchor: AnchorSummary }) {
  const { t } = useTranslation();
  if (anchor.kind === "fixed") return <>{t("templates.anchor.fixed", { month: anchor.month, day: anchor.day })}</>;
  if (anchor.kind === "lunar") return <>{t("templates.anchor.lunar", { festival: t(`timeline.festivals.${anchor.festival}`) })}</>;
  return <>{t("templates.anchor.pick", { label: anchor.label })}</>;
}

function problemText(problem: TemplateFromPlanProblem, t: ReturnType<typeof useTranslation>["t"]): string {
  switch (problem.code) {
    case "noTasks":
      return t("templates.problem.noTasks", { section: problem.section ?? t("templates.kind.timeline") });
    case "noSections":
      return t("templates.problem.noSections");
    case "headingMissing":
      return t("templates.problem.headingMissing", { position: problem.position });
    case "headingTooLong":
    case "headingTwice":
    case "paragraphTooLong":
      return t(`templates.problem.${problem.code}`, { heading: problem.heading });
    case "invalid":
      return t("templates.problem.invalid", { path: problem.path, message: problem.message });
    default:
      return t(`templates.problem.${problem.code}`, { section: problem.section ?? t(`templates.kind.${problem.block}`), row: problem.row, label: problem.label });
  }
}
