import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { ConfirmSubmitButton } from "~/components/dialogs";
import { TextField } from "~/components/form-fields";
import { RoleAndTitleFields } from "~/components/member-fields";
import { MemberUpdateSchema } from "~/domain/members";
import { CloseCode } from "~/domain/collab-codes";
import { parseForm, type FieldErrors } from "~/lib/forms";
import { changeMember } from "~/services/members.server";
import { closeMemberStreams } from "~/services/live-bus.server";
import { findUserById } from "../../db/queries/users";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminMemberEdit");

const IdSchema = z.coerce.number().int().positive();

async function loadMember(params: LoaderFunctionArgs["params"], db: LoaderFunctionArgs["context"]["db"]) {
  const id = IdSchema.safeParse(params.memberId);
  const member = id.success ? await findUserById(db, id.data) : undefined;
  if (!member) throw json({ code: "notFound" }, { status: 404 });
  return member;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireAbility(request, context, "members:manage");
  const m = await loadMember(params, context.db);
  return { member: { id: m.id, name: m.name, username: m.username, role: m.role, title: m.title, active: m.active === 1 } };
}

type ActionData = { fieldErrors?: FieldErrors; notice?: "saved" | "deactivated" | "reactivated" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "members:manage");
  const member = await loadMember(params, context.db);
  const form = await request.formData();
  const intent = form.get("intent");
  let result;
  let notice: ActionData["notice"];
  if (intent === "update") {
    const parsed = parseForm(form, MemberUpdateSchema);
    if (!parsed.ok) return json<ActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
    result = await changeMember(context.db, auth.user.id, member.id, { kind: "update", update: parsed.data });
    notice = "saved";
  } else if (intent === "deactivate" || intent === "reactivate") {
    const active = intent === "reactivate";
    result = await changeMember(context.db, auth.user.id, member.id, { kind: "setActive", active });
    notice = active ? "reactivated" : "deactivated";
  } else {
    return json<ActionData>({ fieldErrors: { form: "generic" } }, { status: 400 });
  }
  if (!result) throw json({ code: "notFound" }, { status: 404 });
  if (!result.ok) return json<ActionData>({ fieldErrors: { [result.field]: result.error } }, { status: 409 });
  // Open collaboration sockets follow the sessions that just ended.
  if (notice === "deactivated") {
    context.collab.closeMemberSockets(member.id, CloseCode.forbidden, "member deactivated");
    closeMemberStreams(context.db, member.id);
  } else if (intent === "update") context.collab.closeMemberSockets(member.id, CloseCode.accessChanged, "member changed");
  return json<ActionData>({ notice });
}

export default function EditMember() {
  const { t } = useTranslation();
  const { member } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = data?.fieldErrors;
  return (
    <section className="card narrow">
      <p>
        <Link to="/admin/members">← {t("admin.back")}</Link>
      </p>
      <h2>
        {t("admin.editMember")} · {member.name} <span className="mono muted">@{member.username}</span>{" "}
        <span className={`badge ${member.active ? "ok" : "off"}`}>{member.active ? t("admin.active") : t("admin.inactive")}</span>
      </h2>
      {data?.notice ? (
        <p className="notice" role="status">
          {t(`admin.${data.notice}`, { name: member.name })}
        </p>
      ) : null}
      {errors?.form ? (
        <p className="form-error" role="alert">
          {t(`errors.${errors.form}`)}
        </p>
      ) : null}
      <SafeForm key={`${member.id}-${member.role}-${member.title}-${member.name}`}>
        <input type="hidden" name="intent" value="update" />
        <TextField name="name" label={t("admin.name")} errors={errors} defaultValue={member.name} required />
        <RoleAndTitleFields errors={errors} role={member.role} title={member.title} />
        <TextField
          name="password"
          type="password"
          label={t("admin.newPassword")}
          hint={t("admin.newPasswordHint")}
          errors={errors}
          autoComplete="new-password"
        />
        <div className="form-actions">
          <button type="submit" className="button primary">
            {t("admin.save")}
          </button>
        </div>
      </SafeForm>
      <hr />
      <SafeForm>
        <input type="hidden" name="intent" value={member.active ? "deactivate" : "reactivate"} />
        {member.active ? (
          <ConfirmSubmitButton className="button danger" message={t("admin.deactivateConfirm", { name: member.name })} confirmLabel={t("admin.deactivate")} danger>
            {t("admin.deactivate")}
          </ConfirmSubmitButton>
        ) : (
          <button type="submit" className="button">
            {t("admin.reactivate")}
          </button>
        )}
      </SafeForm>
    </section>
  );
}
