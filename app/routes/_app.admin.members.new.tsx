import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { FormErrorSummary, TextField } from "~/components/form-fields";
import { RoleAndTitleFields } from "~/components/member-fields";
import { NewMemberSchema } from "~/domain/members";
import { parseForm } from "~/lib/forms";
import { createMember } from "~/services/members.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminMemberNew");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "members:manage");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "members:manage");
  const parsed = parseForm(await request.formData(), NewMemberSchema);
  if (!parsed.ok) return json({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const result = await createMember(context.db, auth.user.id, parsed.data);
  if (!result.ok) return json({ fieldErrors: { [result.field]: result.error } }, { status: 400 });
  return redirect(`/admin/members?created=${result.id}`);
}

export default function NewMember() {
  const { t } = useTranslation();
  const errors = useActionData<typeof action>()?.fieldErrors;
  return (
    <section className="card narrow">
      <h2>{t("admin.newMember")}</h2>
      <FormErrorSummary errors={errors} />
      <SafeForm>
        <TextField name="name" label={t("admin.name")} errors={errors} required />
        <TextField name="username" label={t("admin.username")} errors={errors} autoComplete="off" required />
        <TextField name="password" type="password" label={t("admin.password")} errors={errors} autoComplete="new-password" required />
        <RoleAndTitleFields errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button primary">
            {t("admin.create")}
          </button>
          <Link to="/admin/members" className="button ghost">
            {t("admin.cancel")}
          </Link>
        </div>
      </SafeForm>
    </section>
  );
}
