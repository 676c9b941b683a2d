import { useNavigation } from "@remix-run/react";
import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { decisionNeedsComment, type Decision, type StepKind } from "~/domain/approval";
import type { ApproverTitle } from "~/domain/roles";
import { SafeForm } from "./csrf";
import { useHydrated } from "./use-hydrated";

/**
 * 审批意见: deciding a step. On a wide screen (and without JavaScript) one form with a comment box
 * and the three decisions. On a phone a bar pinned to the bottom of the screen holds the three
 * decisions; tapping one opens a bottom sheet with that decision, the comment (required to send
 * a budget back) and 确认 — so the choice is never one mis-tap on a small screen. Either way
 * there is one form in the page, so its names and values reach the action the same.
 */

export interface DecideStep {
  stepIndex: number;
  kinds: StepKind[];
  title: ApproverTitle;
}

export type DecisionError = { code: string; count?: number } | null;

const BUTTON_CLASS: Record<Decision, string> = { approve: "button primary", requestChanges: "button", reject: "button danger" };
/** Going on first, then the two ways back, the harshest last. */
const INLINE_ORDER: readonly Decision[] = ["approve", "requestChanges", "reject"];

function useDecideAs(decide: DecideStep | null): string {
  const { t } = useTranslation();
  if (!decide) return "";
  return t("approval.review.decideAs", { title: t(`title.${decide.title}`), step: decide.kinds.map((kind) => t(`approval.step.${kind}`)).join(t("approval.stepSeparator")) });
}

function ErrorLine({ error, id }: { error: DecisionError; id?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="form-error" role="alert" id={id}>
      {t(`approval.error.${error.code}`, { count: error.count })}
    </p>
  );
}

export function ApprovalDecision({ decide, notice, error }: { decide: DecideStep | null; notice: string; error: DecisionError }) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const [choice, setChoice] = useState<Decision | null>(null);
  const decideAs = useDecideAs(decide);
  // Decided (or the step moved on under us): nothing is left to choose.
  useEffect(() => {
    if (!decide) setChoice(null);
  }, [decide]);
  return (
    <>
      <section className={`card approval-decide${hydrated ? " has-bar" : ""}`} id="approval-decide" aria-labelledby="approval-decide-heading">
        <h2 id="approval-decide-heading">{t("approval.review.decideHeading")}</h2>
        {decide ? (
          <>
            <p>{decideAs}</p>
            {choice === null ? <InlineForm decide={decide} error={error} /> : <DecisionSheet decide={decide} choice={choice} decideAs={decideAs} error={error} onCancel={() => setChoice(null)} />}
          </>
        ) : (
          <p className="muted">{notice}</p>
        )}
      </section>
      {hydrated && decide ? <DecisionBar onChoose={setChoice} /> : null}
    </>
  );
}

function InlineForm({ decide, error }: { decide: DecideStep; error: DecisionError }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <SafeForm className="decision-inline">
      <input type="hidden" name="stepIndex" value={decide.stepIndex} />
      <label className="field">
        <span>{t("approval.review.comment")}</span>
        <textarea name="comment" rows={3} maxLength={1000} aria-describedby="decide-comment-hint" />
        <span id="decide-comment-hint" className="hint">
          {t("approval.review.commentHint")}
        </span>
      </label>
      <div className="form-actions">
        {INLINE_ORDER.map((decision) => (
          <button key={decision} type="submit" name="decision" value={decision} className={BUTTON_CLASS[decision]} disabled={busy}>
            {t(`approval.decision.${decision}`)}
          </button>
        ))}
      </div>
      <ErrorLine error={error} />
    </SafeForm>
  );
}

/** Pinned to the bottom of a phone's screen (hidden by CSS on wider ones); each button opens the sheet. */
function DecisionBar({ onChoose }: { onChoose: (decision: Decision) => void }) {
  const { t } = useTranslation();
  // approve last: the thumb's side, and the order 钉钉 and 飞书 approvals use.
  const order: Decision[] = ["reject", "requestChanges", "approve"];
  return (
    <div className="decision-bar" role="group" aria-label={t("approvalReview.bar.label")}>
      {order.map((decision) => (
        <button key={decision} type="button" className={BUTTON_CLASS[decision]} data-choose={decision} onClick={() => onChoose(decision)}>
          {t(`approval.decision.${decision}`)}
        </button>
      ))}
    </div>
  );
}

/**
 * The bottom sheet: a modal <dialog>, so the browser keeps focus inside and makes the page
 * behind inert; Esc or a tap on the backdrop cancels.
 */
function DecisionSheet({ decide, choice, decideAs, error, onCancel }: { decide: DecideStep; choice: Decision; decideAs: string; error: DecisionError; onCancel: () => void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const comment = useRef<HTMLTextAreaElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const errorId = useId();
  const needsComment = decisionNeedsComment(choice);
  const [missing, setMissing] = useState(false);
  const busy = useNavigation().state === "submitting";
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    // The keyboard comes up only where typing is expected.
    (needsComment ? comment.current : confirm.current)?.focus();
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [needsComment]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    if (needsComment && (comment.current?.value.trim() ?? "") === "") {
      // The server refuses it too; saying so here spares a round trip on a slow phone network.
      event.preventDefault();
      setMissing(true);
      comment.current?.focus();
    }
  };
  const shown: DecisionError = missing ? { code: "commentRequired" } : error;
  return (
    <dialog
      ref={dialog}
      className="decision-sheet"
      aria-labelledby={titleId}
      data-decision={choice}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      onClick={(event) => {
        if (event.target === dialog.current) onCancel();
      }}
    >
      <SafeForm className="decision-sheet-form" noValidate onSubmit={submit}>
        <h2 id={titleId}>{t(`approvalReview.sheet.title.${choice}`)}</h2>
        <p className="muted">{decideAs}</p>
        <input type="hidden" name="stepIndex" value={decide.stepIndex} />
        <label className="field">
          <span>{needsComment ? t("approvalReview.sheet.commentRequired") : t("approvalReview.sheet.commentOptional")}</span>
          <textarea
            ref={comment}
            name="comment"
            rows={4}
            maxLength={1000}
            aria-required={needsComment}
            aria-invalid={shown ? true : undefined}
            aria-describedby={shown ? errorId : undefined}
            placeholder={t(`approvalReview.sheet.placeholder.${choice}`)}
            onChange={() => setMissing(false)}
          />
        </label>
        <ErrorLine error={shown} id={errorId} />
        <div className="decision-sheet-actions">
          <button type="button" className="button" onClick={onCancel}>
            {t("approvalReview.sheet.cancel")}
          </button>
          <button ref={confirm} type="submit" name="decision" value={choice} className="button primary" disabled={busy}>
            {t("approvalReview.sheet.confirm")}
          </button>
        </div>
      </SafeForm>
    </dialog>
  );
}
