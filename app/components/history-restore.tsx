import { useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { SafeForm } from "./csrf";

/**
 * 恢复此版本, behind a dialog that says what a restore does: a new change on top of the
 * current content, which stays in the history. The dialog posts intent=restore.
 */
export function HistoryRestore({ versionName, budgetLocked, error }: { versionName: string; budgetLocked: boolean; error: string | null }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card version-restore" aria-labelledby="version-restore-heading">
      <h2 id="version-restore-heading">{t("history.restore.heading")}</h2>
      <p className="muted">{t("history.restore.explain")}</p>
      {budgetLocked ? (
        <p className="notice warning" data-budget-locked="true">
          {t("history.restore.lockedWarning")}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {t(`history.errors.${error}`)}
        </p>
      ) : null}
      <button type="button" className="button primary" onClick={() => dialog.current?.showModal()}>
        {t("history.restore.button")}
      </button>
      <dialog ref={dialog} className="version-restore-dialog" aria-labelledby="version-restore-dialog-title">
        <SafeForm onSubmit={() => dialog.current?.close()}>
          <input type="hidden" name="intent" value="restore" />
          <h2 id="version-restore-dialog-title">{t("history.restore.dialogTitle", { name: versionName })}</h2>
          <p>{t("history.restore.explain")}</p>
          {budgetLocked ? <p className="notice warning">{t("history.restore.lockedWarning")}</p> : null}
          <div className="form-actions">
            <button type="button" className="button ghost" onClick={() => dialog.current?.close()}>
              {t("history.restore.cancel")}
            </button>
            <button type="submit" className="button primary" disabled={busy} data-confirm-restore="">
              {t("history.restore.confirmButton")}
            </button>
          </div>
        </SafeForm>
      </dialog>
    </section>
  );
}
