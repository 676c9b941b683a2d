import { useTranslation } from "react-i18next";
import type { StepKind } from "~/domain/approval";
import type { ApproverTitle } from "~/domain/roles";
import type { DelegateRefusalCode, DelegationOptions, RevisionCenterView } from "~/services/approval-center.server";
import { useDateTime } from "./approval-chain";
import { DueBadge } from "./approval-center-due";
import { SafeForm } from "./csrf";

/** The pending step's due time, who it was handed to, and every hand-over with its reason. */
export function RevisionDue({ center, steps }: { center: RevisionCenterView; steps: readonly { index: number; kind: StepKind; title: ApproverTitle }[] }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const stepName = (index: number) => {
    const step = steps.find((s) => s.index === index);
    return step ? t(`approval.step.${step.kind}`) : String(index);
  };
  const current = center.current ? steps.find((s) => s.index === center.current!.index) : undefined;
  if (!center.current && center.delegations.length === 0) return null;
  return (
    <div className="approval-due" data-approval-due="">
      {center.current && current ? (
        <ul className="approval-due-list">
          <li data-due-step={current.index}>
            {t("approvalCenter.review.dueStep", { step: stepName(current.index), title: t(`title.${current.title}`) })}{" "}
            <DueBadge dueAt={center.current.dueAt} due={center.current.due} />{" "}
            {center.assignees[current.index] ? <span className="badge">{t("approvalCenter.review.delegated", { name: center.assignees[current.index]!.name })}</span> : null}
          </li>
        </ul>
      ) : null}
      {center.delegations.length > 0 ? (
        <>
          <h3>{t("approvalCenter.review.delegations")}</h3>
          <ul className="approval-delegations">
            {center.delegations.map((d) => (
              <li key={d.id} data-delegation-id={d.id}>
                {t("approvalCenter.review.delegationLine", { time: when(d.at), from: d.fromName, step: stepName(d.stepIndex), to: d.toName, reason: d.reason })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** 转交: hand the current step to another holder of its title, with a reason. */
export function DelegateForm({ options, error }: { options: DelegationOptions; error: DelegateRefusalCode | "invalid" | null }) {
  const { t } = useTranslation();
  return (
    <section className="card approval-delegate">
      <h2>{t("approvalCenter.review.delegate.heading")}</h2>
      <p className="hint">{t("approvalCenter.review.delegate.hint")}</p>
      {options.candidates.length === 0 ? (
        <p className="muted">{t("approvalCenter.review.delegate.none")}</p>
      ) : (
        <SafeForm>
          <input type="hidden" name="intent" value="delegate" />
          <input type="hidden" name="stepIndex" value={options.stepIndex} />
          <label className="field">
            <span>{t("approvalCenter.review.delegate.to")}</span>
            <select name="toUserId" required defaultValue="">
              <option value="" disabled>
                {t("approvalCenter.review.delegate.choose")}
              </option>
              {options.candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("approvalCenter.review.delegate.reason")}</span>
            <textarea name="reason" rows={2} maxLength={500} required placeholder={t("approvalCenter.review.delegate.reasonPlaceholder")} />
          </label>
          <div className="form-actions">
            <button type="submit" className="button">
              {t("approvalCenter.review.delegate.submit")}
            </button>
          </div>
        </SafeForm>
      )}
      {error ? (
        <p className="form-error" role="alert" data-delegate-error={error}>
          {t(`approvalCenter.delegateError.${error}`)}
        </p>
      ) : null}
    </section>
  );
}
