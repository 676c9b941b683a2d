import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { nextStepIndex, revisionReview } from "~/services/approval-views.server";
import { decideStep } from "~/services/approvals.server";
import { delegateStep, delegationOptions, revisionCenterView } from "~/services/approval-center.server";
import { DELEGATION_REASON_MAX } from "~/domain/approval-sla";
import { DelegateForm, RevisionDue } from "~/components/approval-center-review";
import { ApprovalDecision } from "~/components/approval-decision";
import { ReviewOutcome, ReviewSummary, ReviewTotals } from "~/components/approval-review-summary";
import { ScrollTable } from "~/components/scroll-table";
import { myDecision, versusApproved } from "~/domain/approval-review";
import centerStyles from "~/styles/approval-center.css";
import reviewStyles from "~/styles/approval-review.css";
import { revisionReopening } from "~/services/review-outcome.server";
import { approvalErrorResponse, requireAuth } from "~/routes-support/guards.server";
import { ChainCandidates, ChainProgress, useDateTime } from "~/components/approval-chain";
import { ApprovalDiff } from "~/components/approval-diff";
import { useMoney } from "~/components/money";
import { DecisionSchema, decisionRefusal, groupSteps } from "~/domain/approval";
import { can } from "~/domain/policy";
import { formatQuantityHundredths } from "~/domain/plan-document";
import { findPlanAccess } from "../../db/queries/plans";
import { findUserById } from "../../db/queries/users";
import { CommentsContext, useComments } from "~/collab/use-comments";
import { CommentButton } from "~/components/comments/comment-button";
import { CommentsPanel, CommentsToggle } from "~/components/comments/comments-panel";
import commentStyles from "~/styles/comments.css";
import mentionStyles from "~/styles/mentions.css";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: commentStyles },
  { rel: "stylesheet", href: mentionStyles },
  { rel: "stylesheet", href: centerStyles },
  { rel: "stylesheet", href: reviewStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => pageTitle(matches, "approvalReview", data?.plan ?? null, error);

const RevisionIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const id = RevisionIdSchema.safeParse(params.revisionId);
  const review = id.success ? await revisionReview(context.db, id.data) : null;
  if (!review) throw json({ code: "notFound" }, { status: 404 });
  const { plan, revision, snapshot } = review;
  // Approvers read every revision; anyone else only those of plans they may read (no existence leak).
  const access = await findPlanAccess(context.db, plan.id, auth.user.id);
  const mayRead = can(auth.actor, "approvals:view") || can(auth.actor, "plan:read", { kind: "plan", ownerId: plan.owner_id, status: plan.status, access });
  if (!mayRead) throw json({ code: "notFound" }, { status: 404 });
  const reopening = await revisionReopening(context.db, { id: revision.id, plan_id: plan.id, number: revision.number, submitted_at: revision.submittedAt });

  const center = await revisionCenterView(context.db, revision.id);
  const next = nextStepIndex(revision.steps);
  const refusal =
    next === null
      ? null
      : decisionRefusal({
          actor: { id: auth.user.id, active: auth.actor.active, title: auth.actor.title },
          revision: { status: revision.status, submittedBy: revision.submitterId, isCurrent: review.isCurrent },
          steps: revision.steps.map((s) => ({ index: s.index, title: s.title, decision: s.decision, decidedBy: s.deciderId, assigneeId: center?.assignees[s.index]?.id ?? null })),
          stepIndex: next,
          decision: "approve",
          comment: "",
        });
  const step = next === null ? null : revision.steps[next]!;
  // Consecutive steps of one title are one decision: 董事长 decides 核准 and 审批 at once.
  const decidedWith = groupSteps(revision.steps).find((group) => group.some((s) => s.index === next)) ?? [];
  const categories = snapshot.byCategory.map((c) => ({ ...c, lines: snapshot.lines.filter((l) => l.category === c.category) }));
  const totals = { spendFen: snapshot.spendFen, incomeFen: snapshot.incomeFen, netFen: snapshot.netFen };
  const owner = await findUserById(context.db, plan.owner_id);
  return {
    plan: { id: plan.id, title: plan.title },
    summary: { campaignType: plan.campaign_type, store: plan.store, startDate: plan.start_date, endDate: plan.end_date, ownerName: owner?.name ?? "—" },
    // Approvers may review a plan they cannot read; its comments are only for those who can.
    mayReadPlan: can(auth.actor, "plan:read", { kind: "plan", ownerId: plan.owner_id, status: plan.status, access }),
    revision,
    isCurrent: review.isCurrent,
    categories,
    totals,
    changes: review.diff ? versusApproved(totals, review.diff) : null,
    mine: myDecision(revision.steps, revision.status, auth.user.id),
    base: review.base,
    diff: review.diff,
    reopening,
    changeLimitPercent: review.changeLimitPercent,
    decide: step && refusal === null ? { stepIndex: step.index, kinds: decidedWith.map((s) => s.kind), title: step.title } : null,
    notice: revision.status !== "pending" || !review.isCurrent ? ("notCurrent" as const) : refusal ? ("notYours" as const) : null,
    center,
    delegation: await delegationOptions(context.db, auth.actor, revision.id),
  };
}

const DecideSchema = z.object({
  stepIndex: z.coerce.number().int().min(0).max(2),
  decision: DecisionSchema,
  comment: z.string().max(1000).default(""),
});

const DelegateSchema = z.object({
  stepIndex: z.coerce.number().int().min(0).max(2),
  toUserId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  // Longer than the limit still parses, so the service can say what is wrong with it.
  reason: z.string().max(DELEGATION_REASON_MAX * 4),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const id = RevisionIdSchema.safeParse(params.revisionId);
  if (!id.success) throw json({ code: "notFound" }, { status: 404 });
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "delegate") {
    const delegation = DelegateSchema.safeParse(form);
    const outcome = delegation.success ? await delegateStep(context.db, auth.actor, { revisionId: id.data, ...delegation.data }) : ({ ok: false, status: 400, code: "invalid" } as const);
    if (outcome.ok) return redirect(`/approvals/${id.data}`);
    if (outcome.status === 404) throw json({ code: "notFound" }, { status: 404 });
    return json({ ok: false as const, delegate: true as const, code: outcome.code }, { status: outcome.status });
  }
  const parsed = DecideSchema.safeParse(form);
  if (!parsed.success) return approvalErrorResponse({ status: 400, code: "invalid" }, context.locale);
  const outcome = await decideStep(context, auth.user.id, { revisionId: id.data, ...parsed.data });
  if (!outcome.ok) {
    if (outcome.status === 404) throw json({ code: "notFound" }, { status: 404 });
    return approvalErrorResponse(outcome, context.locale);
  }
  return redirect(`/approvals/${id.data}`);
}

export default function ReviewRevision() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const money = useMoney();
  const when = useDateTime();
  const { revision, totals } = data;
  const comments = useComments(data.plan.id, null, data.mayReadPlan);
  const decideError = actionData && !actionData.ok && !("delegate" in actionData) ? { code: actionData.code, count: actionData.count } : null;
  const classes = ["approval-review", comments.open ? "comments-open" : "", data.decide ? "deciding" : ""].filter(Boolean).join(" ");
  return (
    <CommentsContext.Provider value={data.mayReadPlan ? comments : null}>
      <article className={classes}>
        <p className="review-back">
          <Link to="/approvals">← {t("approval.review.back")}</Link>
        </p>
        <header className="page-header review-head">
          <p className="review-kicker">
            {t("approval.review.heading", { number: revision.number })}{" "}
            <span className={`badge revision-${revision.status}`}>{t(`approval.revisionStatus.${revision.status}`)}</span>
          </p>
          <h1>{data.mayReadPlan ? <Link to={`/plans/${data.plan.id}`}>{data.plan.title}</Link> : data.plan.title}</h1>
        </header>

        {data.mine ? <ReviewOutcome mine={data.mine} /> : null}
        <ReviewSummary plan={data.summary} revision={revision} />
        <ReviewTotals totals={totals} base={data.base} changes={data.changes} />

        {data.reopening ? (
          <section className="card approval-reopen-reason" data-reopen-reason="">
            <h2>{t("reviewOutcome.reopen.heading")}</h2>
            <p className="muted">{t("reviewOutcome.reopen.by", { name: data.reopening.reopenerName, time: when(data.reopening.reopenedAt), number: data.reopening.revisionNumber })}</p>
            <blockquote>{data.reopening.reason}</blockquote>
          </section>
        ) : null}

        <ApprovalDiff
          diff={data.diff}
          base={data.base}
          changeLimitPercent={data.changeLimitPercent}
          lineExtra={
            data.mayReadPlan
              ? (lineId) => {
                  const line = data.diff?.lines.find((l) => l.id === lineId);
                  return <CommentButton anchor={{ kind: "diffLine", revisionId: revision.id, lineId }} name={(line?.after ?? line?.before)?.item ?? lineId} />;
                }
              : undefined
          }
        />

        <section className="card review-chain" aria-labelledby="review-chain-heading">
          <h2 id="review-chain-heading">{t("approval.panel.chain")}</h2>
          <ChainProgress steps={revision.steps} active={revision.status === "pending" && data.isCurrent} />
          {data.center ? <RevisionDue center={data.center} steps={revision.steps} /> : null}
          <details className="approval-why">
            <summary>{t("approval.panel.why")}</summary>
            <ChainCandidates candidates={revision.chain.candidates} chosen={revision.chain.chosen} />
          </details>
        </section>

        <section className="card review-comments" aria-labelledby="review-comments-heading">
          <h2 id="review-comments-heading">{t("approvalReview.comments.heading")}</h2>
          {data.mayReadPlan ? (
            <>
              <CommentsToggle />
              <p className="hint">{t("approvalReview.comments.hint")}</p>
            </>
          ) : (
            <p className="muted">{t("approvalReview.comments.readOnly")}</p>
          )}
        </section>

        <section className="card review-lines" aria-labelledby="review-lines-heading">
          <h2 id="review-lines-heading">{t("approval.review.lines")}</h2>
          <ScrollTable label={t("approval.review.lines")}>
            <table className="table compact approval-lines">
              <thead>
                <tr>
                  <th scope="col">{t("approval.review.item")}</th>
                  <th scope="col" className="num">
                    {t("approval.review.quantity")}
                  </th>
                  <th scope="col">{t("approval.review.unit")}</th>
                  <th scope="col" className="num">
                    {t("approval.review.unitPrice")}
                  </th>
                  <th scope="col" className="num">
                    {t("approval.review.lineAmount")}
                  </th>
                </tr>
              </thead>
              {data.categories.map((c) => (
                <tbody key={c.category}>
                  <tr className="category-row">
                    <th scope="rowgroup" colSpan={5}>
                      {c.category || "—"}
                    </th>
                  </tr>
                  {c.lines.map((line) => (
                    <tr key={line.id} data-line-id={line.id}>
                      <td>
                        {line.item}
                        {line.income ? <span className="tag income">{t("approval.review.income")}</span> : null}
                      </td>
                      <td className="num">{formatQuantityHundredths(line.quantityHundredths)}</td>
                      <td>{line.unit}</td>
                      <td className="num">{money(line.unitPriceFen)}</td>
                      <td className="num">{money(line.amountFen)}</td>
                    </tr>
                  ))}
                  <tr className="subtotal-row">
                    <td colSpan={4}>{t("approval.review.subtotal")}</td>
                    <td className="num">{money(c.netFen)}</td>
                  </tr>
                </tbody>
              ))}
              <tfoot>
                <tr>
                  <th colSpan={4}>{t("approval.review.total")}</th>
                  <td className="num">
                    <strong>{money(totals.netFen)}</strong>
                  </td>
                </tr>
              </tfoot>
            </table>
          </ScrollTable>
        </section>

        {/* Once the member has decided, the outcome at the top says all there is to say. */}
        {data.decide || !data.mine ? <ApprovalDecision decide={data.decide} notice={t(`approval.review.${data.notice ?? "notCurrent"}`)} error={decideError} /> : null}
        {data.delegation ? <DelegateForm options={data.delegation} error={actionData && "delegate" in actionData ? actionData.code : null} /> : null}
        <CommentsPanel />
      </article>
    </CommentsContext.Provider>
  );
}
