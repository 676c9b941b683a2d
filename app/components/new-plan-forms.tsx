import { useEffect, useRef, useState } from "react";
import { Form, Link, useSubmit } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MAX_YEAR, MIN_YEAR } from "~/domain/calendar";
import { CAMPAIGN_TYPES } from "~/domain/plan";
import type { TemplateSelection } from "~/domain/template-placement";
import type { FieldErrors } from "~/lib/forms";
import { SafeForm } from "./csrf";
import { FieldError, FormErrorSummary, SelectField, TextField } from "./form-fields";
import { GET_OPTIONS } from "./template-picker";
import { useHydrated } from "./use-hydrated";

/** The create-plan form for a picked template: its anchor (a GET form that re-places it), then title and store. */
export function TemplatePlanForm({ selected, errors, values }: { selected: TemplateSelection; errors: FieldErrors | undefined; values: { title: string; store: string } | undefined }) {
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
                  anchor: item.anchor.kind === "lunar" ? t(`timeline.festivals.${item.anchor.festival}`) : t("templates.anchor.monthDay", { month: item.anchor.month, day: item.anchor.day }),
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
        <TextField name="store" label={t("plans.store")} errors={errors} defaultValue={values?.store} hint={t("polish.templates.storeHint")} />
        <CreateActions disabled={!preview} />
      </SafeForm>
    </div>
  );
}

/** The create-plan form without a template: every field typed. */
export function BlankPlanForm({ errors }: { errors: FieldErrors | undefined }) {
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
        <CreateActions disabled={false} />
      </SafeForm>
    </section>
  );
}

function CreateActions({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="submit" className="button primary" disabled={disabled}>
        {t("plans.create")}
      </button>
      <Link to="/plans" className="button ghost">
        {t("plans.cancel")}
      </Link>
    </div>
  );
}
