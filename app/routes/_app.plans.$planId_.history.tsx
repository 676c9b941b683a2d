import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { HistoryList } from "~/components/history-list";
import { HistoryNameForm, VERSION_NAME_MAX } from "~/components/history-name-form";
import { displayNameSchema } from "~/domain/display-name";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { createNamedVersion, listVersions } from "~/services/history.server";
import stylesHref from "~/styles/history.css";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => pageTitle(matches, "planHistory", data?.plan ?? null, error);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, abilities } = await requirePlan(context.db, auth, params.planId, "plan:read");
  return {
    plan: { id: plan.id, title: plan.title },
    versions: await listVersions(context.db, plan.id),
    canEdit: abilities["plan:edit"],
    now: Date.now(),
  };
}

const NameSchema = z.object({
  intent: z.literal("name"),
  name: displayNameSchema({ max: VERSION_NAME_MAX, length: "nameLength", invisible: "nameInvisible" }),
});

type ActionData = { ok: true; saved: string; versionId: number } | { ok: false; error: string };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:edit");
  const parsed = NameSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<ActionData>({ ok: false, error: parsed.error.issues[0]?.message ?? "nameLength" }, { status: 400 });
  const outcome = await createNamedVersion(context, auth, plan, parsed.data.name);
  if (!outcome.ok) return json<ActionData>({ ok: false, error: outcome.code === "nameInvalid" ? "nameLength" : outcome.code }, { status: outcome.status });
  return json<ActionData>({ ok: true, saved: parsed.data.name, versionId: outcome.version.id });
}

export default function PlanHistory() {
  const { t } = useTranslation();
  const { plan, versions, canEdit, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <article className="history-page">
      <p>
        <Link to={`/plans/${plan.id}`}>{t("history.backToPlan")}</Link>
      </p>
      <header className="history-header">
        <h1>{t("history.heading")}</h1>
        <p className="muted history-plan-title">{plan.title}</p>
      </header>
      <p className="muted">{t("history.intro")}</p>
      {canEdit ? (
        <HistoryNameForm
          error={result && !result.ok ? result.error : null}
          saved={result?.ok ? result.saved : null}
          formKey={result?.ok ? String(result.versionId) : "new"}
        />
      ) : null}
      <HistoryList planId={plan.id} versions={versions} now={now} />
    </article>
  );
}
