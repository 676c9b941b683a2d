import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAbility } from "../routes-support/guards.server";
import { SafeForm } from "../components/csrf";
import { FieldError, FormErrorSummary, SelectField, TextField } from "../components/form-fields";
import { MAX_YEAR, MIN_YEAR } from "../domain/calendar";
import type { Fen } from "../domain/money";
import { CAMPAIGN_TYPES, IsoDateSchema, NewPlanSchema } from "../domain/plan";
import { blocksFromInstance } from "../domain/plan-rows";
import { instantiateTemplate, TemplateInstantiationError, type InstantiateInput, type Template, type TemplateInstance } from "../domain/template";
import { anchorSummary, defaultAnchorDate, defaultYear, templatePreview, type TemplatePreview } from "../domain/template-preview";
import { formatMoney } from "../i18n/format";
import { parseForm, type FieldErrors } from "../lib/forms";
import { createPlan } from "../services/plans.server";
import { useRootData } from "../root";
import { chinaToday, findPickableTemplate, listPickableTemplates, type PickableTemplate } from "../services/templates.server";

export const meta: MetaFunction = () => [{ title: "新建方案 · 活动策划台" }];

/** The picker's value for a plan without a template. */
const BLANK = "blank";

// Messages are translation keys (errors.*).
const YearSchema = z.coerce
  .number({ error: "yearRange" })
  .int({ error: "yearRange" })
  .min(MIN_YEAR, { error: "yearRange" })
  .max(MAX_YEAR, { error: "yearRange" });

type AnchorField = "year" | "anchorDate";
type AnchorParse = { ok: true; input: InstantiateInput } | { ok: false; field: AnchorField; error: string };

/** The year (fixed and lunar anchors) or the date (picked anchors) a template is placed on. */
function parseAnchorInput(template: Template, raw: { year?: string | null; anchorDate?: string | null }): AnchorParse {
  if (template.anchor.kind === "pick") {
    if (!raw.anchorDate) return { ok: false, field: "anchorDate", error: "anchorDateRequired" };
    const date = IsoDateSchema.safeParse(raw.anchorDate);
    return date.success ? { ok: true, input: { anchorDate: date.data } } : { ok: false, field: "anchorDate", error: "invalidDate" };
  }
  const year = YearSchema.safeParse(raw.year ?? "");
  return year.success ? { ok: true, input: { year: year.data } } : { ok: false, field: "year", error: "yearRange" };
}

const INSTANTIATE_ERRORS: Record<TemplateInstantiationError["code"], { field: AnchorField; error: string }> = {
  yearRequired: { field: "year", error: "yearRange" },
  invalidYear: { field: "year", error: "yearRange" },
  yearNotAllowed: { field: "anchorDate", error: "anchorDateRequired" },
  anchorDateRequired: { field: "anchorDate", error: "anchorDateRequired" },
  anchorDateNotAllowed: { field: "year", error: "yearRange" },
  invalidDate: { field: "anchorDate", error: "invalidDate" },
};

function place(template: Template, input: InstantiateInput): { ok: true; instance: TemplateInstance } | { ok: false; field: AnchorField; error: string } {
  try {
    return { ok: true, instance: instantiateTemplate(template, input) };
  } catch (error) {
    if (error instanceof TemplateInstantiationError) return { ok: false, ...INSTANTIATE_ERRORS[error.code] };
    throw error;
  }
}

function defaultTitle(template: Template, input: InstantiateInput): string {
  return `${input.year ?? input.anchorDate?.slice(0, 4) ?? ""} ${template.name}`.trim();
}

function pickerItem({ template, origin }: PickableTemplate) {
  return {
    id: template.id,
    name: template.name,
    campaignType: template.campaignType,
    origin,
    source: template.source,
    description: template.description,
    anchor: anchorSummary(template.anchor),
  };
}
type PickerItem = ReturnType<typeof pickerItem>;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "plans:create");
  const params = new URL(request.url).searchParams;
  const templates = await listPickableTemplates(context.db);
  const requested = params.get("template") ?? BLANK;
  const picked = requested === BLANK ? undefined : templates.find((p) => p.template.id === requested);
  let selected = null;
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
    notAvailable: requested !== BLANK && !picked,
    savedName: params.get("saved") === "1" && picked ? picked.template.name : null,
  };
}

type ActionData = { fieldErrors: FieldErrors; values?: { title: string; store: string } };

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "plans:create");
  const form = await request.formData();
  const templateId = form.get("templateId");
  if (typeof templateId !== "string" || templateId === "" || templateId === BLANK) {
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

  const id = await createPlan(context.db, auth.user.id, plan.data, {
    templateId: template.id,
    anchor: instance.anchor,
    sections: instance.sections,
    blocks: blocksFromInstance(instance),
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
      <TemplatePicker templates={data.templates} selectedId={selected?.item.id ?? BLANK} notAvailable={data.notAvailable} error={errors?.templateId} />
      {selected ? (
        <div className="new-plan-body">
          <TemplatePlanForm key={selected.item.id} selected={selected} errors={errors} values={actionData?.values} />
          {selected.preview ? (
            <Preview preview={selected.preview} />
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

const GET_OPTIONS = { method: "get", replace: true, preventScrollReset: true } as const;

function TemplatePicker(props: { templates: PickerItem[]; selectedId: string; notAvailable: boolean; error: string | undefined }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const hydrated = useHydrated();
  return (
    <Form method="get" className="template-picker" aria-describedby={props.error ? "templateId-error" : undefined}>
      <fieldset key={props.selectedId}>
        <legend>{t("templates.picker.heading")}</legend>
        {props.notAvailable ? (
          <p className="form-error" role="alert">
            {t("templates.picker.notAvailable")}
          </p>
        ) : null}
        <FieldError id="templateId-error" error={props.error} />
        <div className="template-cards">
          <TemplateCard value={BLANK} checked={props.selectedId === BLANK} onPick={(value) => submit({ template: value }, GET_OPTIONS)}>
            <span className="template-card-name">{t("templates.picker.blank")}</span>
            <span className="template-card-description">{t("templates.picker.blankDescription")}</span>
          </TemplateCard>
          {props.templates.map((item) => (
            <TemplateCard key={item.id} value={item.id} checked={props.selectedId === item.id} onPick={(value) => submit({ template: value }, GET_OPTIONS)}>
              <span className="template-card-name">{item.name}</span>
              <span className="template-card-tags">
                <span className="tag">{t(`campaignType.${item.campaignType}`)}</span>
                <span className={`badge ${item.origin === "custom" ? "custom" : "off"}`}>{t(`templates.picker.${item.origin}`)}</span>
                <AnchorText anchor={item.anchor} />
              </span>
              <span className="template-card-description">{item.description}</span>
              <span className="template-card-source muted">{item.source}</span>
            </TemplateCard>
          ))}
        </div>
      </fieldset>
      {hydrated ? null : (
        <button type="submit" className="button">
          {t("templates.picker.use")}
        </button>
      )}
    </Form>
  );
}

function TemplateCard(props: { value: string; checked: boolean; onPick: (value: string) => void; children: React.ReactNode }) {
  return (
    <label className={`template-card${props.checked ? " selected" : ""}`}>
      <input type="radio" name="template" value={props.value} defaultChecked={props.checked} onChange={() => props.onPick(props.value)} />
      {props.children}
    </label>
  );
}

function AnchorText({ anchor }: { anchor: PickerItem["anchor"] }) {
  const { t } = useTranslation();
  const text =
    anchor.kind === "fixed"
      ? t("templates.anchor.fixed", { month: anchor.month, day: anchor.day })
      : anchor.kind === "lunar"
        ? t("templates.anchor.lunar", { festival: anchor.festival })
        : t("templates.anchor.pick", { label: anchor.label });
  return <span className="template-card-anchor">{text}</span>;
}

type Selected = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["selected"]>;

function TemplatePlanForm({ selected, errors, values }: { selected: Selected; errors: FieldErrors | undefined; values: ActionData["values"] }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const hydrated = useHydrated();
  const { item, preview } = selected;
  const isPick = item.anchor.kind === "pick";
  const anchorError = errors?.year ?? errors?.anchorDate ?? selected.anchorError?.error;
  const anchorField = isPick ? "anchorDate" : "year";
  const anchorLabel = item.anchor.kind === "pick" ? item.anchor.label : t("templates.form.year");
  const yearTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(yearTimer.current), []);
  const [title, setTitle] = useState(values?.title ?? selected.title);
  const [titleEdited, setTitleEdited] = useState(values !== undefined);
  useEffect(() => {
    if (!titleEdited) setTitle(selected.title);
  }, [selected.title, titleEdited]);

  return (
    <div className="card template-plan-form">
      <h2>{t("templates.form.details")}</h2>
      <Form
        method="get"
        className="anchor-form"
        onChange={(event) => {
          const form = event.currentTarget;
          clearTimeout(yearTimer.current);
          // Wait until a whole year is typed: "202" is not worth a round trip.
          if (isPick) submit(form, GET_OPTIONS);
          else yearTimer.current = setTimeout(() => submit(form, GET_OPTIONS), 400);
        }}
      >
        <input type="hidden" name="template" value={item.id} />
        <label className="field">
          <span>{anchorLabel}</span>
          <input
            name={anchorField}
            type={isPick ? "date" : "number"}
            min={isPick ? undefined : MIN_YEAR}
            max={isPick ? undefined : MAX_YEAR}
            defaultValue={isPick ? selected.anchorDate : selected.year}
            required
            aria-invalid={anchorError ? true : undefined}
            aria-describedby={anchorError ? `${anchorField}-error` : undefined}
          />
          <span className="hint">
            {item.anchor.kind === "pick"
              ? t("templates.form.dateHint")
              : t("templates.form.yearHint", {
                  anchor: item.anchor.kind === "lunar" ? item.anchor.festival : t("templates.anchor.monthDay", { month: item.anchor.month, day: item.anchor.day }),
                })}
          </span>
          <FieldError id={`${anchorField}-error`} error={anchorError} />
        </label>
        {hydrated ? null : (
          <button type="submit" className="button small">
            {t("templates.form.refresh")}
          </button>
        )}
      </Form>
      <FormErrorSummary errors={errors} />
      <SafeForm action={`/plans/new?${new URLSearchParams(isPick ? { template: item.id, anchorDate: selected.anchorDate } : { template: item.id, year: selected.year }).toString()}`}>
        <input type="hidden" name="templateId" value={item.id} />
        <input type="hidden" name={anchorField} value={isPick ? selected.anchorDate : selected.year} />
        <label className="field">
          <span>{t("plans.title")}</span>
          <input
            name="title"
            value={title}
            required
            onChange={(event) => {
              setTitle(event.target.value);
              setTitleEdited(true);
            }}
            aria-invalid={errors?.title ? true : undefined}
            aria-describedby={errors?.title ? "title-error" : undefined}
          />
          <FieldError id="title-error" error={errors?.title} />
        </label>
        <dl className="plan-derived">
          <div>
            <dt>{t("plans.campaignType")}</dt>
            <dd>
              <span className="tag">{t(`campaignType.${item.campaignType}`)}</span>
            </dd>
          </div>
          <div>
            <dt>{t("templates.form.dates")}</dt>
            <dd>{preview ? `${preview.startDate} – ${preview.endDate}` : "—"}</dd>
          </div>
        </dl>
        <p className="hint">{t("templates.form.datesHint")}</p>
        <TextField name="store" label={t("plans.store")} errors={errors} defaultValue={values?.store} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={!preview}>
            {t("plans.create")}
          </button>
          <Link to="/plans" className="button ghost">
            {t("plans.cancel")}
          </Link>
        </div>
      </SafeForm>
    </div>
  );
}

function Preview({ preview }: { preview: TemplatePreview }) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const money = (amount: number) => formatMoney(amount as Fen, locale);
  const { budget } = preview;
  return (
    <aside className="card template-preview" aria-live="polite">
      <h2>{t("templates.preview.heading")}</h2>
      <dl className="preview-facts">
        <div>
          <dt>{t("templates.preview.anchor")}</dt>
          <dd>
            <strong>{preview.anchor.date}</strong> {t(`templates.weekday.${preview.anchor.weekday}`)}
            {preview.anchor.name ? ` ${preview.anchor.name}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("templates.preview.period")}</dt>
          <dd>
            {preview.startDate} – {preview.endDate}
          </dd>
        </div>
      </dl>
      <p className="muted">{t("templates.preview.counts", { roles: preview.roleCount, kpis: preview.kpiCount, tasks: preview.taskCount })}</p>

      <h3>{t("templates.preview.phases")}</h3>
      <table className="table compact">
        <thead>
          <tr>
            <th>{t("templates.preview.phase")}</th>
            <th className="num">{t("templates.preview.tasks")}</th>
            <th>{t("templates.preview.dates")}</th>
          </tr>
        </thead>
        <tbody>
          {preview.phases.map((phase) => (
            <tr key={phase.phase}>
              <td>
                {t(`templates.phase.${phase.phase}`)}
                {phase.label ? <span className="muted"> · {phase.label}</span> : null}
              </td>
              <td className="num">{phase.taskCount}</td>
              <td className="nowrap">
                {phase.start === phase.end ? phase.start : `${phase.start} – ${phase.end}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t("templates.preview.sections")}</h3>
      <ol className="preview-sections">
        {preview.sections.map((section) => (
          <li key={section.heading}>
            {section.heading}
            {section.kind === "richText" ? null : <span className="badge off">{t(`templates.kind.${section.kind}`)}</span>}
          </li>
        ))}
      </ol>

      <h3>{t("templates.preview.budget")}</h3>
      {budget.lines.length === 0 ? (
        <p className="muted">{t("templates.preview.noBudget")}</p>
      ) : (
        <table className="table compact preview-budget">
          <thead>
            <tr>
              <th>{t("templates.preview.category")}</th>
              <th>{t("templates.preview.item")}</th>
              <th>{t("templates.preview.quantityPrice")}</th>
              <th className="num">{t("templates.preview.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {budget.lines.map((line, index) => (
              <tr key={index} className={line.unitPriceFen === null ? "tbd" : undefined}>
                <td>{line.category}</td>
                <td>
                  {line.item}
                  {line.income ? <span className="tag income">{t("templates.preview.income")}</span> : null}
                </td>
                <td className="nowrap">
                  {line.quantity}
                  {line.unit} × {line.unitPriceFen === null ? <span className="badge tbd">{t("templates.preview.tbd")}</span> : money(line.unitPriceFen)}
                </td>
                <td className="num">{line.amountFen === null ? "—" : money(line.amountFen)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={3}>{t("templates.preview.spend")}</th>
              <td className="num">{money(budget.spendFen)}</td>
            </tr>
            <tr>
              <th colSpan={3}>{t("templates.preview.incomeTotal")}</th>
              <td className="num">{money(budget.incomeFen)}</td>
            </tr>
            <tr className="net">
              <th colSpan={3}>{t("templates.preview.net")}</th>
              <td className="num">{money(budget.netFen)}</td>
            </tr>
            {budget.tbdCount > 0 ? (
              <tr>
                <td colSpan={4}>
                  <span className="badge tbd">{t("templates.preview.tbdCount", { count: budget.tbdCount })}</span>
                </td>
              </tr>
            ) : null}
          </tfoot>
        </table>
      )}
    </aside>
  );
}

function BlankPlanForm({ errors }: { errors: FieldErrors | undefined }) {
  const { t } = useTranslation();
  return (
    <section className="card narrow">
      <h2>{t("templates.picker.blank")}</h2>
      <FormErrorSummary errors={errors} />
      <SafeForm action="/plans/new">
        <TextField name="title" label={t("plans.title")} errors={errors} required />
        <SelectField
          name="campaignType"
          label={t("plans.campaignType")}
          defaultValue="holiday"
          errors={errors}
          options={CAMPAIGN_TYPES.map((c) => ({ value: c, label: t(`campaignType.${c}`) }))}
        />
        <div className="field-row">
          <TextField name="startDate" type="date" label={t("plans.startDate")} errors={errors} required />
          <TextField name="endDate" type="date" label={t("plans.endDate")} errors={errors} required />
        </div>
        <TextField name="store" label={t("plans.store")} errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button primary">
            {t("plans.create")}
          </button>
          <Link to="/plans" className="button ghost">
            {t("plans.cancel")}
          </Link>
        </div>
      </SafeForm>
    </section>
  );
}

/** True once React runs in the browser: the explicit submit buttons are for pages without JavaScript. */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
