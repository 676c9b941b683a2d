import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { VersionBlock, type BlockName } from "~/components/history-blocks";
import { HistoryRestore } from "~/components/history-restore";
import { VersionSections } from "~/components/history-sections";
import { VersionKindBadge, VersionSummaryText, VersionTime, versionTitle } from "~/components/history-summary";
import { VersionTotals } from "~/components/history-totals";
import { BLOCK_ROOTS, readDocument, readPlanDoc } from "~/domain/plan-document";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { restoreVersion, versionView } from "~/services/history.server";
import { renderSectionHtml } from "~/editor/render-section.server";
import editorStyles from "~/editor/editor.css";
import stylesHref from "~/styles/history.css";
import mentionStyles from "~/styles/mentions.css";
import { listUsers } from "../../db/queries/users";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [editorStyles, stylesHref, mentionStyles].map((href) => ({ rel: "stylesheet", href }));

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => pageTitle(matches, "planVersion", data?.plan ?? null, error);

const VersionIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function versionIdOf(raw: string | undefined): number {
  const parsed = VersionIdSchema.safeParse(raw);
  if (!parsed.success) throw json({ code: "notFound" }, { status: 404 });
  return parsed.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, abilities } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const view = await versionView(context.db, context.collab, plan.id, versionIdOf(params.versionId), renderSectionHtml);
  if (!view) throw json({ code: "notFound" }, { status: 404 });
  // Which sections hold a structured block, so the block's rows show in its place; a section's kind never changes.
  const kinds = readDocument(await context.collab.documentState(plan.id), (doc) => Object.fromEntries(readPlanDoc(doc).sections.map((s) => [s.id, s.kind])));
  // Names for rows that point at a member rather than holding free text.
  const people = Object.fromEntries((await listUsers(context.db)).map((u) => [String(u.id), u.name]));
  return { plan: { id: plan.id, title: plan.title }, view, kinds, people, canEdit: abilities["plan:edit"], now: Date.now() };
}

const RestoreSchema = z.object({ intent: z.literal("restore") });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:edit");
  const versionId = versionIdOf(params.versionId);
  if (!RestoreSchema.safeParse(Object.fromEntries(await request.formData())).success) return json({ error: "generic" as const }, { status: 400 });
  const outcome = await restoreVersion(context, auth, plan, versionId);
  if (!outcome.ok) return json({ error: outcome.code }, { status: outcome.status });
  return redirect(`/plans/${plan.id}?restored=${versionId}${outcome.budgetKept ? "&budgetKept=1" : ""}`);
}

const LEGEND = [
  ["added", "history.view.legendAdded"],
  ["removed", "history.view.legendRemoved"],
  ["changed", "history.view.legendChanged"],
] as const;

export default function PlanVersion() {
  const { t } = useTranslation();
  const { plan, view, kinds, people, canEdit, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { version } = view;
  const title = versionTitle(version, t);
  const block = (name: BlockName) =>
    name === "budget" ? (
      <>
        <VersionBlock block="budget" blocks={view.blocks} people={people} />
        <VersionTotals totals={view.totals} />
      </>
    ) : (
      <VersionBlock block={name} blocks={view.blocks} people={people} />
    );
  // A block whose section is gone still shows its rows, after the sections.
  const placed = new Set(view.sections.map((s) => kinds[s.id]));
  const unplaced = BLOCK_ROOTS.filter((name) => !placed.has(name) && view.blocks[name].length > 0);
  return (
    <article className="history-page version-page" data-version-id={version.id}>
      <p className="history-crumbs">
        <Link to={`/plans/${plan.id}/history`}>{t("history.backToHistory")}</Link>
        <Link to={`/plans/${plan.id}`}>{t("history.backToPlan")}</Link>
      </p>
      <header className="history-header">
        <p className="version-head">
          <VersionKindBadge kind={version.kind} />
          <VersionTime at={version.createdAt} now={now} />
        </p>
        <h1>{title}</h1>
        <p className="muted history-plan-title">{plan.title}</p>
        <VersionSummaryText summary={version.summary} />
      </header>
      <p className="notice muted-notice">{t("history.view.readOnly")}</p>
      <ul className="version-legend" aria-label={t("history.view.legend")}>
        {LEGEND.map(([change, meaning]) => (
          <li key={change}>
            <span className={`change-badge change-${change}`}>
              <span aria-hidden="true">{t(`history.view.marker.${change}`)}</span> {t(`history.view.rowMarker.${change}`)}
            </span>{" "}
            {t(meaning)}
          </li>
        ))}
      </ul>
      {canEdit ? <HistoryRestore versionName={title} budgetLocked={view.budgetLocked} error={result?.error ?? null} /> : null}
      <h2>{t("history.view.sections")}</h2>
      <VersionSections sections={view.sections} kinds={kinds} renderBlock={block} />
      {unplaced.map((name) => (
        <section key={name} className="plan-section version-section" data-kind={name}>
          <h3>{t(`history.blocks.${name}`)}</h3>
          {block(name)}
        </section>
      ))}
    </article>
  );
}
