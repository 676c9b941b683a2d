import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { z } from "zod";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import PlanWorkspace from "~/collab/plan-workspace.client";
import { StaticSection } from "~/components/static-section";
import { ClientOnly } from "~/components/client-only";
import { SafeForm } from "~/components/csrf";
import { ConfirmSubmitButton } from "~/components/dialogs";
import { CloseCode } from "~/domain/collab-codes";
import { displayStatus, PlanAccessSchema } from "~/domain/plan";
import { readDocument, readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { colorFor } from "~/domain/presence";
import { renderSectionHtml } from "~/editor/render-section.server";
import editorStyles from "~/editor/editor.css";
import budgetStyles from "~/blocks/budget.css";
import timelineStyles from "~/blocks/timeline.css";
// By path: the package exports its stylesheet only under the "style" condition, which Remix's esbuild does not resolve.
import ganttStyles from "../../node_modules/frappe-gantt/dist/frappe-gantt.css";
import { archivePlan, setPlanMember, unsetPlanMember } from "~/services/plans.server";
import { planApproval } from "~/services/approval-views.server";
import { ApprovalPanel, ApprovedBadge } from "~/components/approval-panel";
import { ReviewButton } from "~/components/review-button";
import { PopoverMenu } from "~/components/popover-menu";
import { HistoryRestoredNotice } from "~/components/history-restored-notice";
import { CommentsContext, useComments } from "~/collab/use-comments";
import { CommentsPanel, CommentsToggle } from "~/components/comments/comments-panel";
import commentStyles from "~/styles/comments.css";
import mentionStyles from "~/styles/mentions.css";
import { ReviewOutcomeBanner } from "~/components/review-outcome-banner";
import { planReviewOutcome } from "~/services/review-outcome.server";
import { canGenerateReview } from "~/domain/review-section";
import { useRootData } from "~/root";
import { listPlanMembers } from "../../db/queries/plans";
import { listUsers } from "../../db/queries/users";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [editorStyles, budgetStyles, ganttStyles, timelineStyles, commentStyles, mentionStyles].map((href) => ({ rel: "stylesheet", href }));

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => pageTitle(matches, null, data?.plan ?? null, error);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan, abilities, target } = await requirePlan(context.db, auth, params.planId, "plan:read");
  // The collaboration server logged why; the member gets the friendly error page.
  const state = await context.collab.documentState(plan.id).catch(() => {
    throw json({ code: "documentUnavailable" }, { status: 500 });
  });
  const { sections, html } = readDocument(state, (doc) => {
    const { sections } = readPlanDoc(doc);
    const html = Object.fromEntries(
      sections.filter((s) => s.kind === "richText").map((s) => [s.id, renderSectionHtml(sectionFragment(doc, s.id))]),
    );
    return { sections, html };
  });
  const members = await listPlanMembers(context.db, plan.id);
  const users = await listUsers(context.db);
  const candidates = abilities["plan:manageMembers"]
    ? users
        .filter((u) => u.active === 1 && u.id !== plan.owner_id && !members.some((m) => m.id === u.id))
        .map((u) => ({ id: u.id, name: u.name, username: u.username, role: u.role }))
    : [];
  const owner = users.find((u) => u.id === plan.owner_id);
  const approval = await planApproval(context.db, plan);
  const reviewOutcome = await planReviewOutcome(context.db, plan);
  return {
    plan: {
      id: plan.id,
      title: plan.title,
      campaignType: plan.campaign_type,
      status: plan.status,
      displayStatus: displayStatus(plan),
      store: plan.store,
      startDate: plan.start_date,
      endDate: plan.end_date,
      anchorDate: plan.anchor_date,
      ownerName: owner?.name ?? "",
      budgetLock: plan.budget_locked === 1 ? (plan.status === "approved" ? ("approved" as const) : ("inReview" as const)) : null,
    },
    approval,
    reviewOutcome,
    // The approval panel derives the chain preview from the live document with it.
    userId: auth.user.id,
    sections,
    html,
    abilities,
    reviewable: canGenerateReview(auth.actor, target),
    members: members.map((m) => ({ id: m.id, name: m.name, username: m.username, role: m.role, access: m.access, active: m.active === 1 })),
    candidates,
    user: { name: auth.user.name, color: colorFor(auth.user.id) },
    people: [
      ...(owner ? [{ id: owner.id, name: owner.name }] : []),
      ...members.filter((m) => m.active === 1).map((m) => ({ id: m.id, name: m.name })),
    ],
  };
}

const MemberSchema = z.object({ userId: z.coerce.number().int().positive(), access: PlanAccessSchema.default("edit") });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "archive") {
    const { plan } = await requirePlan(context.db, auth, params.planId, "plan:archive");
    await archivePlan(context.db, auth.user.id, plan);
    await context.collab.planChanged(plan.id);
    return redirect(`/plans/${plan.id}`);
  }
  if (intent === "setMember" || intent === "removeMember") {
    const { plan } = await requirePlan(context.db, auth, params.planId, "plan:manageMembers");
    const parsed = MemberSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return json({ error: "unknownMember" as const }, { status: 400 });
    if (intent === "setMember") {
      const error = await setPlanMember(context.db, auth.user.id, plan, parsed.data.userId, parsed.data.access);
      if (error) return json({ error }, { status: 400 });
    } else {
      await unsetPlanMember(context.db, auth.user.id, plan, parsed.data.userId);
    }
    // The member's open editors reconnect and are judged again: read-only, or refused.
    context.collab.closeMemberSockets(parsed.data.userId, CloseCode.accessChanged, "access changed", plan.id);
    return json({ error: null });
  }
  return json({ error: "generic" as const }, { status: 400 });
}

export default function PlanPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { plan, abilities } = data;
  const rootAbilities = useRootData().abilities;
  const canEdit = abilities["plan:edit"];
  const [liveDoc, setLiveDoc] = useState<Y.Doc | null>(null);
  const comments = useComments(plan.id, liveDoc);
  return (
    <CommentsContext.Provider value={comments}>
    <article className={comments.open ? "plan-page comments-open" : "plan-page"}>
      <header className="plan-header">
        <div className="plan-heading">
          <p className="muted plan-facts">
            <span className="tag">{t(`campaignType.${plan.campaignType}`)}</span>
            <span>
              {plan.startDate} – {plan.endDate}
            </span>
            {plan.anchorDate ? <span data-plan-anchor={plan.anchorDate}>{t("plan.anchorLabel", { date: plan.anchorDate })}</span> : null}
            {plan.store ? <span>{plan.store}</span> : null}
            <span>{t("plan.ownerLabel", { name: plan.ownerName })}</span>
          </p>
          <h1>{plan.title}</h1>
        </div>
        <div className="plan-header-end">
          <div className="plan-state">
            {/* The approved badge says 已批准 with its amount and approvers; a status pill beside it would say it twice. */}
            {plan.status === "approved" && data.approval.lastApproved ? (
              <ApprovedBadge revision={data.approval.lastApproved} />
            ) : (
              <span className={`status status-${plan.displayStatus}`} data-plan-status={plan.displayStatus}>{t(`status.${plan.displayStatus}`)}</span>
            )}
            {!canEdit ? <span className="badge off">{t("plan.readOnly")}</span> : null}
          </div>
          <div className="plan-actions">
            <CommentsToggle />
            {/* Phone and tablet: the rest fold into 更多; a desktop shows them all as buttons. */}
            <PopoverMenu
              id="plan-more"
              className="plan-more"
              buttonClassName="button plan-more-toggle"
              buttonLabel={
                <>
                  {t("layout.more")} <span aria-hidden>▾</span>
                </>
              }
              buttonTitle={t("layout.moreActions")}
            >
              <Link to={`/plans/${plan.id}/actuals`} className="button ghost">
                {t("actuals.link")}
              </Link>
              <Link to={`/plans/${plan.id}/history`} className="button ghost" data-history-link="">
                {t("history.link")}
              </Link>
              {canEdit && rootAbilities["templates:create"] ? (
                <Link to={`/plans/${plan.id}/save-template`} className="button ghost">
                  {t("templates.save.action")}
                </Link>
              ) : null}
              <a href={`/plans/${plan.id}/export?revision=draft`} className="button ghost" download>
                {t("export.draft")}
              </a>
              {data.approval.lastApproved ? (
                <a href={`/plans/${plan.id}/export?revision=approved`} className="button ghost" download>
                  {t("export.approved")}
                </a>
              ) : null}
              {data.reviewable ? <ReviewButton planId={plan.id} /> : null}
              {abilities["plan:archive"] ? (
                <SafeForm>
                  <input type="hidden" name="intent" value="archive" />
                  <ConfirmSubmitButton className="button ghost" message={t("plan.archiveConfirm")} confirmLabel={t("plan.archive")}>
                    {t("plan.archive")}
                  </ConfirmSubmitButton>
                </SafeForm>
              ) : null}
            </PopoverMenu>
          </div>
        </div>
      </header>
      {data.reviewOutcome ? <ReviewOutcomeBanner outcome={data.reviewOutcome} /> : null}
      <HistoryRestoredNotice />
      {!canEdit ? <p className="notice muted-notice">{plan.status === "archived" ? t("plan.archivedHint") : t("plan.readOnlyHint")}</p> : null}
      <ClientOnly
        fallback={
          <div className="plan-body">
            <nav className="outline" aria-label={t("plan.sections")}>
              <details className="outline-fold" open>
                <summary>
                  <h2>{t("plan.sections")}</h2>
                </summary>
                <ol>
                  {data.sections.map((s) => (
                    <li key={s.id}>
                      <a href={`#section-${s.id}`}>{s.heading}</a>
                    </li>
                  ))}
                </ol>
              </details>
            </nav>
            <div className="sections">
              {data.sections.map((s) => (
                <section key={s.id} id={`section-${s.id}`} className="plan-section">
                  <h2>{s.heading}</h2>
                  <StaticSection html={data.html[s.id] ?? ""} />
                </section>
              ))}
            </div>
          </div>
        }
      >
        {() => <PlanWorkspace planId={plan.id} sections={data.sections} html={data.html} canEdit={canEdit} budgetLock={plan.budgetLock} user={data.user} people={data.people} onDoc={setLiveDoc} />}
      </ClientOnly>
      <ApprovalPanel planId={plan.id} planStatus={plan.status} data={data.approval} canEdit={canEdit} userId={data.userId} doc={liveDoc} authority={data.approval.matrix} />
      <MembersPanel error={actionData?.error ?? null} />
      <CommentsPanel />
    </article>
    </CommentsContext.Provider>
  );
}

function MembersPanel({ error }: { error: string | null }) {
  const { t } = useTranslation();
  const { members, candidates, abilities } = useLoaderData<typeof loader>();
  const manage = abilities["plan:manageMembers"];
  return (
    <section className="card members-panel" id="members">
      <h2>{t("plan.members")}</h2>
      <p className="muted">{t("plan.membersHint")}</p>
      {members.length === 0 ? <p className="muted">{t("plan.noMembers")}</p> : null}
      <ul className="member-list">
        {members.map((m) => (
          <li key={m.id}>
            <span>
              {m.name} <span className="mono muted">@{m.username}</span>
            </span>
            <span className="badge">{t(`plan.access.${m.access}`)}</span>
            {manage ? (
              <SafeForm>
                <input type="hidden" name="intent" value="removeMember" />
                <input type="hidden" name="userId" value={m.id} />
                <button type="submit" className="button ghost small" aria-label={`${t("plan.removeMember")} ${m.name}`}>
                  {t("plan.removeMember")}
                </button>
              </SafeForm>
            ) : null}
          </li>
        ))}
      </ul>
      {manage && candidates.length > 0 ? (
        <SafeForm className="add-member">
          <input type="hidden" name="intent" value="setMember" />
          <select name="userId" aria-label={t("plan.chooseMember")} defaultValue="">
            <option value="" disabled>
              {t("plan.chooseMember")}
            </option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}（{t(`role.${c.role}`)}）
              </option>
            ))}
          </select>
          <select name="access" aria-label={t("plan.members")} defaultValue="edit">
            <option value="edit">{t("plan.access.edit")}</option>
            <option value="view">{t("plan.access.view")}</option>
          </select>
          <button type="submit" className="button">
            {t("plan.addMember")}
          </button>
        </SafeForm>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {t(`errors.${error}`)}
        </p>
      ) : null}
    </section>
  );
}
