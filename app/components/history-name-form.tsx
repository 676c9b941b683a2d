import { useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SafeForm } from "./csrf";

export const VERSION_NAME_MAX = 60;

/** "保存当前版本": names the plan's current content. `formKey` changes after a save, so the field empties. */
export function HistoryNameForm({ error, saved, formKey }: { error: string | null; saved: string | null; formKey: string }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card version-name-form" aria-labelledby="version-name-heading">
      <h2 id="version-name-heading">{t("history.save.heading")}</h2>
      <p className="muted">{t("history.save.hint")}</p>
      <SafeForm key={formKey} className="version-name-fields">
        <input type="hidden" name="intent" value="name" />
        <label className="field">
          <span>{t("history.save.name")}</span>
          <input
            name="name"
            type="text"
            maxLength={VERSION_NAME_MAX}
            placeholder={t("history.save.placeholder")}
            required
            {...(error ? { "aria-invalid": true, "aria-describedby": "version-name-error" } : {})}
          />
          {error ? (
            <span className="field-error" id="version-name-error" role="alert">
              {t(`history.errors.${error}`)}
            </span>
          ) : null}
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {t("history.save.submit")}
        </button>
      </SafeForm>
      {saved ? (
        <p className="notice" role="status">
          {t("history.save.saved", { name: saved })}
        </p>
      ) : null}
    </section>
  );
}
