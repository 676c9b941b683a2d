import type { PlanApproval, RevisionView } from "~/services/approval-views.server";
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmSubmitButton } from "~/components/dialogs";
import type * as Y from "yjs";
import { chooseChain, type AuthorityMatrix } from "~/domain/approval";
import { fen } from "~/domain/money";
import type { PlanStatus } from "~/domain/plan";
import { ROOT, blockArray } from "~/domain/plan-document";
import { projectPlanDoc } from "~/domain/projection";
import { CsrfInput } from "./csrf";
import { ChainCandidates, ChainProgress, ChainTitles, useDateTime } from "./approval-chain";
import { useMoney } from "./money";

type ActionResult = { ok: true } | { ok: false; code: string; count: number };

/** The names of the members who approved a revision, in step order, each once. */
export function approverNames(revision: RevisionView): string[] {
  return [...new Set(revision.steps.filter((s) => s.decision === "approve" && s.deciderName !== null).map((s) => s.deciderName!))];
}

/** 已批准 ¥… in the plan header, with who approved it. */
export function ApprovedBadge({ revision }: { revision: RevisionView }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <span className="approved-badge" data-approved-total={revision.spendFen} title={t("approval.panel.approvers", { names: approverNames(revision).join("、") })}>
      <span className="badge ok">{t("approval.panel.approvedBadge", { amount: money(revision.spendFen) })}</span>
      <span className="muted approved-by">{t("approval.panel.approvers", { names: approverNames(revision).join("、") })}</span>
    </span>
  );
}

type Derived = Pick<PlanApproval, "projected" | "preview">;

/**
 * What the budget would be submitted as, from the document as projected (the same function
 * the server projects with): the spend by category counts priced spend lines only, like the
 * projection tables the loader reads.
 */
function deriveApproval(doc: Y.Doc, authority: AuthorityMatrix): Derived {
  const { totals, budgetLines } = projectPlanDoc(doc);
  const byCategory = new Map<string, number>();
  for (const line of budgetLines) {
    if (!line.income && line.amountFen !== null) byCategory.set(line.category, (byCategory.get(line.category) ?? 0) + line.amountFen);
  }
  return {
    projected: { spendFen: totals.spendFen, netFen: totals.netFen, lineCount: totals.budgetLineCount, tbdCount: totals.tbdCount },
    preview: chooseChain(authority, { spendFen: totals.spendFen, byCategory: [...byCategory].map(([category, spendFen]) => ({ category, spendFen: fen(spendFen) })) }),
  };
}

/** The loader's projection until the live document is there, then the live document's, on every budget change from anyone. */
function useLiveApproval(doc: Y.Doc | null, authority: AuthorityMatrix, loaded: Derived): Derived {
  const [live, setLive] = useState<Derived | null>(null);
  useEffect(() => {
    if (!doc) return setLive(null);
    const budget = blockArray(doc, ROOT.budget);
    const update = () => setLive(deriveApproval(doc, authority));
    budget.observeDeep(update);
    update();
    return () => budget.unobserveDeep(update);
  }, [doc, authority]);
  return live ?? loaded;
}

/** 预算审批: what submitting would do, the revision in review, or the approved budget; and the history. */
export function ApprovalPanel({
  planId,
  planStatus,
  data,
  canEdit,
  userId,
  doc,
  authority,
}: {
  planId: string;
  planStatus: PlanStatus;
  data: PlanApproval;
  canEdit: boolean;
  userId: number;
  /** The live plan document once it has synced; before that, the loader's projection is shown. */
  doc: Y.Doc | null;
  authority: AuthorityMatrix;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const when = useDateTime();
  const fetcher = useFetcher<ActionResult>();
  const action = `/plans/${planId}/approval`;
  const busy = fetcher.state !== "idle";
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  const { pending } = data;
  const { projected, preview } = useLiveApproval(doc, authority, data);
  const approved = planStatus === "approved" ? data.lastApproved : null;
  const blocked = projected.lineCount === 0 ? t("approval.error.budgetEmpty") : projected.tbdCount > 0 ? t("approval.error.budgetHasTbd", { count: projected.tbdCount }) : null;

  return (
    <section className="card approval-panel" aria-labelledby="approval-panel-heading" data-approval-state={pending ? "pending" : approved ? "approved" : "draft"}>
      <h2 id="approval-panel-heading">{t("approval.panel.heading")}</h2>
      {pending ? (
        <>
          <p>
            {t("approval.panel.pendingIntro", { number: pending.number, name: pending.submitterName, time: when(pending.submittedAt) })} ·{" "}
            <strong>{money(pending.spendFen)}</strong>
          </p>
          <ChainProgress steps={pending.steps} active />
          <div className="approval-actions">
            <Link to={`/approvals/${pending.id}`} className="button ghost">
              {t("approval.panel.review")}
            </Link>
            {canEdit && pending.submitterId === userId ? (
              <fetcher.Form method="post" action={action}>
                <CsrfInput />
                <input type="hidden" name="intent" value="withdraw" />
                <ConfirmSubmitButton className="button ghost" disabled={busy} message={t("approval.panel.withdrawConfirm")} confirmLabel={t("approval.panel.withdraw")} danger>
                  {t("approval.panel.withdraw")}
                </ConfirmSubmitButton>
              </fetcher.Form>
            ) : null}
          </div>
        </>
      ) : approved ? (
        <>
          <p>
            {t("approval.panel.approvedIntro", { number: approved.number, amount: money(approved.spendFen) })} · {t("approval.panel.approvers", { names: approverNames(approved).join("、") })}
          </p>
          <p className="muted">
            <ChainTitles steps={approved.steps} />
          </p>
          {canEdit ? (
            <fetcher.Form method="post" action={action} className="approval-reopen">
              <CsrfInput />
              <input type="hidden" name="intent" value="reopen" />
              <label className="field">
                <span>{t("approval.panel.reopenReason")}</span>
                <input name="reason" required maxLength={500} />
              </label>
              <p className="hint">{t("approval.panel.reopenHint")}</p>
              <button type="submit" className="button" disabled={busy}>
                {t("approval.panel.reopen")}
              </button>
            </fetcher.Form>
          ) : null}
        </>
      ) : (
        <>
          <p>
            {t("approval.panel.draftIntro")} <strong data-chain-preview=""><ChainTitles steps={preview.chosen.steps} /></strong>
          </p>
          <ChainCandidates candidates={preview.candidates} chosen={preview.chosen} />
          <p className="hint">{t("approval.panel.why")}</p>
          {canEdit ? (
            <fetcher.Form method="post" action={action} className="approval-actions">
              <CsrfInput />
              <input type="hidden" name="intent" value="submit" />
              <button type="submit" className="button primary" disabled={busy || blocked !== null} aria-describedby={blocked ? "approval-blocked" : undefined}>
                {t("approval.panel.submit")}
              </button>
              {blocked ? (
                <span id="approval-blocked" className="muted">
                  {blocked}
                </span>
              ) : null}
            </fetcher.Form>
          ) : (
            <p className="muted">{t("approval.panel.readOnly")}</p>
          )}
        </>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {t(`approval.error.${error.code}`, { count: error.count })}
        </p>
      ) : null}
      <ApprovalHistory revisions={data.revisions} reopenings={data.reopenings} />
    </section>
  );
}

function ApprovalHistory({ revisions, reopenings }: Pick<PlanApproval, "revisions" | "reopenings">) {
  const { t } = useTranslation();
  const money = useMoney();
  const when = useDateTime();
  return (
    <div className="approval-history">
      <h3>{t("approval.history.heading")}</h3>
      {revisions.length === 0 ? <p className="muted">{t("approval.history.empty")}</p> : null}
      <ol className="approval-revisions">
        {revisions.map((r) => (
          <li key={r.id} data-revision={r.number} data-status={r.status}>
            <div className="approval-revision-head">
              <strong>{t("approval.history.revision", { number: r.number })}</strong>
              <span className={`badge revision-${r.status}`}>{t(`approval.revisionStatus.${r.status}`)}</span>
              <span>{money(r.spendFen)}</span>
              <span className="muted">{t("approval.history.submitted", { name: r.submitterName, time: when(r.submittedAt) })}</span>
              {r.closedAt !== null ? <span className="muted">{t("approval.history.closed", { time: when(r.closedAt) })}</span> : null}
              <Link to={`/approvals/${r.id}`}>{t("approval.panel.review")}</Link>
            </div>
            <ChainProgress steps={r.steps} active={r.status === "pending"} />
            {reopenings
              .filter((o) => o.revisionId === r.id)
              .map((o) => (
                <p key={o.reopenedAt} className="muted approval-reopened">
                  {t("approval.history.reopened", { name: o.reopenerName, time: when(o.reopenedAt), reason: o.reason })}
                </p>
              ))}
          </li>
        ))}
      </ol>
    </div>
  );
}
