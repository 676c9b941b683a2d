import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { ConfirmSubmitButton } from "~/components/dialogs";
import { ScrollTable } from "~/components/scroll-table";
import { formatDate } from "~/i18n/format";
import { useRootData } from "~/root";
import { listTemplatesForAdmin, removeCustomTemplate, setTemplateHidden } from "~/services/templates.server";
import { findCustomTemplate } from "../../db/queries/templates";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminTemplates");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "templates:manage");
  const rows = await listTemplatesForAdmin(context.db);
  return {
    templates: rows.map(({ row, valid }) => ({
      id: row.id,
      name: row.name,
      campaignType: row.campaign_type,
      sourcePlan: row.source_plan_id === null ? null : { id: row.source_plan_id, title: row.source_plan_title ?? "" },
      author: row.author_name,
      createdAt: row.created_at,
      hidden: row.hidden === 1,
      valid,
    })),
  };
}

const ChangeSchema = z.object({
  intent: z.enum(["hide", "show", "delete"]),
  templateId: z.string().min(1),
});

type ActionData = { notice: "hiddenNotice" | "shownNotice" | "deletedNotice"; name: string } | { error: "generic" };

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "templates:manage");
  const parsed = ChangeSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<ActionData>({ error: "generic" }, { status: 400 });
  const { intent, templateId } = parsed.data;
  const row = await findCustomTemplate(context.db, templateId);
  if (!row) throw json({ code: "notFound" }, { status: 404 });
  if (intent === "delete") {
    await removeCustomTemplate(context.db, auth.user.id, templateId);
    return json<ActionData>({ notice: "deletedNotice", name: row.name });
  }
  await setTemplateHidden(context.db, auth.user.id, templateId, intent === "hide");
  return json<ActionData>({ notice: intent === "hide" ? "hiddenNotice" : "shownNotice", name: row.name });
}

export default function AdminTemplates() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const { templates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section>
      <p className="muted">{t("templates.admin.intro")}</p>
      <div className="toolbar">
        <p className="muted">{t("templates.admin.count", { count: templates.length })}</p>
      </div>
      {result && "notice" in result ? (
        <p className="notice" role="status">
          {t(`templates.admin.${result.notice}`, { name: result.name })}
        </p>
      ) : null}
      {result && "error" in result ? (
        <p className="form-error" role="alert">
          {t(`errors.${result.error}`)}
        </p>
      ) : null}
      {templates.length === 0 ? (
        <p className="empty-state">{t("templates.admin.empty")}</p>
      ) : (
        // One card per template on a phone (lists.css), a table from a tablet up.
        <ScrollTable label={t("templates.admin.nav")}>
        <table className="table templates-table cards-on-phone nowrap-head">
          <thead>
            <tr>
              <th>{t("templates.admin.name")}</th>
              <th>{t("templates.admin.campaignType")}</th>
              <th>{t("templates.admin.sourcePlan")}</th>
              <th>{t("templates.admin.author")}</th>
              <th>{t("templates.admin.createdAt")}</th>
              <th>{t("templates.admin.status")}</th>
              <th>
                <span className="visually-hidden">{t("templates.admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((template) => (
              <tr key={template.id} className={template.hidden || !template.valid ? "inactive" : ""}>
                <td className="card-title">
                  {template.valid && !template.hidden ? <Link to={`/plans/new?template=${encodeURIComponent(template.id)}`}>{template.name}</Link> : template.name}
                </td>
                <td data-label={t("templates.admin.campaignType")}>{t(`campaignType.${template.campaignType}`)}</td>
                <td data-label={t("templates.admin.sourcePlan")}>{template.sourcePlan ? <Link to={`/plans/${template.sourcePlan.id}`}>{template.sourcePlan.title}</Link> : t("templates.admin.none")}</td>
                <td data-label={t("templates.admin.author")}>{template.author ?? t("templates.admin.none")}</td>
                <td className="nowrap" data-label={t("templates.admin.createdAt")}>{formatDate(template.createdAt, locale)}</td>
                <td className="card-corner">
                  {!template.valid ? (
                    <span className="badge off">{t("templates.admin.invalid")}</span>
                  ) : (
                    <span className={`badge ${template.hidden ? "off" : "ok"}`}>{template.hidden ? t("templates.admin.hidden") : t("templates.admin.visible")}</span>
                  )}
                </td>
                <td>
                  <div className="row-actions">
                    {template.valid ? (
                      <SafeForm>
                        <input type="hidden" name="templateId" value={template.id} />
                        <input type="hidden" name="intent" value={template.hidden ? "show" : "hide"} />
                        <button type="submit" className="button small" aria-label={`${template.hidden ? t("templates.admin.show") : t("templates.admin.hide")} ${template.name}`}>
                          {template.hidden ? t("templates.admin.show") : t("templates.admin.hide")}
                        </button>
                      </SafeForm>
                    ) : null}
                    <SafeForm>
                      <input type="hidden" name="templateId" value={template.id} />
                      <input type="hidden" name="intent" value="delete" />
                      <ConfirmSubmitButton
                        className="button small danger"
                        aria-label={`${t("templates.admin.delete")} ${template.name}`}
                        message={t("templates.admin.deleteConfirm", { name: template.name })}
                        confirmLabel={t("templates.admin.delete")}
                        danger
                      >
                        {t("templates.admin.delete")}
                      </ConfirmSubmitButton>
                    </SafeForm>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </ScrollTable>
      )}
    </section>
  );
}
