import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { BlankPlanForm, TemplatePlanForm } from "~/components/new-plan-forms";
import { TemplatePicker } from "~/components/template-picker";
import { TemplatePreviewPanel } from "~/components/template-preview-panel";
import { NewPlanSchema } from "~/domain/plan";
import { blocksFromInstance } from "~/domain/plan-document";
import { BLANK_TEMPLATE, defaultTitle, parseAnchorInput, pickerItem, place, type TemplateSelection } from "~/domain/template-placement";
import { fillInstance } from "~/domain/template-placeholders";
import { defaultAnchorDate, defaultYear, templatePreview } from "~/domain/template-preview";
import { parseForm, type FieldErrors } from "~/lib/forms";
import { createPlan } from "~/services/plans.server";
import { chinaToday } from "~/domain/calendar";
import { findPickableTemplate, listPickableTemplates } from "~/services/templates.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "planNew");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "plans:create");
  const params = new URL(request.url).searchParams;
  const templates = await listPickableTemplates(context.db);
  const requested = params.get("template") ?? BLANK_TEMPLATE;
  const picked = requested === BLANK_TEMPLATE ? undefined : templates.find((p) => p.template.id === requested);
  let selected: TemplateSelection | null = null;
  if (picked) {
    const { template } = picked;
    const today = chinaToday();
    const raw =
      template.anchor.kind === "pick"
        ? { anchorDate: params.get("anchorDate") ?? defaultAnchorDate(template, today) }
        : { year: params.get("year") ?? String(defaultYear(template, today)) };
    const parsed = parseAnchorInput(template, raw);
    const placed = parsed.ok ? place(template, parsed.input) : parsed;
    selected = {
      item: pickerItem(picked),
      year: raw.year ?? "",
      anchorDate: raw.anchorDate ?? "",
      anchorError: placed.ok ? null : { field: placed.field, error: placed.error },
      preview: placed.ok ? templatePreview(template, placed.instance) : null,
      title: parsed.ok ? defaultTitle(template, parsed.input) : template.name,
    };
  }
  return {
    templates: templates.map(pickerItem),
    selected,
    notAvailable: requested !== BLANK_TEMPLATE && !picked,
    savedName: params.get("saved") === "1" && picked ? picked.template.name : null,
  };
}

type ActionData = { fieldErrors: FieldErrors; values?: { title: string; store: string } };

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "plans:create");
  const form = await request.formData();
  const templateId = form.get("templateId");
  if (typeof templateId !== "string" || templateId === "" || templateId === BLANK_TEMPLATE) {
    const parsed = parseForm(form, NewPlanSchema);
    if (!parsed.ok) return json<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
    const id = await createPlan(context.db, auth.user.id, parsed.data);
    return redirect(`/plans/${id}`);
  }

  const picked = await findPickableTemplate(context.db, templateId);
  if (!picked) return json<ActionData>({ fieldErrors: { templateId: "unknownTemplate" } }, { status: 400 });
  const { template } = picked;
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : null;
  };
  const fieldErrors: FieldErrors = {};
  const anchor = parseAnchorInput(template, { year: text("year"), anchorDate: text("anchorDate") });
  const placed = anchor.ok ? place(template, anchor.input) : anchor;
  if (!placed.ok) fieldErrors[placed.field] = placed.error;
  const instance = placed.ok ? placed.instance : null;
  // The dates come from the timeline, not from the form: only title and store are the planner's.
  const plan = NewPlanSchema.safeParse({
    title: text("title") ?? "",
    campaignType: template.campaignType,
    startDate: instance?.startDate ?? "",
    endDate: instance?.endDate ?? "",
    store: text("store") ?? "",
  });
  if (!plan.success) {
    for (const issue of plan.error.issues) {
      const field = String(issue.path[0] ?? "");
      if (field === "title" || field === "store") fieldErrors[field] ??= issue.message;
    }
  }
  if (!instance || !plan.success || Object.keys(fieldErrors).length > 0) {
    return json<ActionData>({ fieldErrors, values: { title: text("title") ?? "", store: text("store") ?? "" } }, { status: 400 });
  }

  // The seed texts' "xx月xx日" and "xx大酒店" become this plan's dates and store.
  const filled = fillInstance(instance, plan.data.store);
  const id = await createPlan(context.db, auth.user.id, plan.data, {
    templateId: template.id,
    anchor: filled.anchor,
    sections: filled.sections,
    blocks: blocksFromInstance(filled),
  });
  return redirect(`/plans/${id}`);
}

export default function NewPlan() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  const { selected } = data;
  return (
    <section className="new-plan">
      <header className="page-header">
        <h1>{t("plans.new")}</h1>
      </header>
      {data.savedName ? (
        <p className="notice" role="status">
          {t("templates.picker.saved", { name: data.savedName })}
        </p>
      ) : null}
      <TemplatePicker templates={data.templates} selectedId={selected?.item.id ?? BLANK_TEMPLATE} notAvailable={data.notAvailable} error={errors?.templateId} />
      {selected ? (
        <div className="new-plan-body">
          <TemplatePlanForm key={selected.item.id} selected={selected} errors={errors} values={actionData?.values} />
          {selected.preview ? (
            <TemplatePreviewPanel preview={selected.preview} />
          ) : (
            <aside className="card template-preview muted">{t("templates.preview.unavailable")}</aside>
          )}
        </div>
      ) : (
        <BlankPlanForm errors={errors} />
      )}
    </section>
  );
}
