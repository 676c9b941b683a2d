import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "../auth/guards.server";
import { SafeForm } from "../components/csrf";
import { FormErrorSummary, SelectField, TextField } from "../components/form-fields";
import { CAMPAIGN_TYPES, NewPlanSchema } from "../domain/plan";
import { parseForm } from "../lib/forms";
import { createPlan } from "../plans.server";

export const meta: MetaFunction = () => [{ title: "新建方案 · 活动策划台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "plans:create");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "plans:create");
  const parsed = parseForm(await request.formData(), NewPlanSchema);
  if (!parsed.ok) return json({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const id = await createPlan(context.db, auth.user.id, parsed.data);
  return redirect(`/plans/${id}`);
}

export default function NewPlan() {
  const { t } = useTranslation();
  const errors = useActionData<typeof action>()?.fieldErrors;
  return (
    <section className="card narrow">
      <h1>{t("plans.new")}</h1>
      <FormErrorSummary errors={errors} />
      <SafeForm>
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
