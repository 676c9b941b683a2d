import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { NOTIFICATION_KINDS, type NotificationKind } from "~/domain/notifications";

/** What the outbound settings actions answer: which form it was for, and what happened there. */
export type FeedbackData = { form: string; name?: string; count?: number } & ({ ok: true; done: string } | { ok: false; code: string });

/** A test message is sent by the outbox worker moments later: look again every second until it settles. */
export function useRevalidateWhile(waiting: boolean): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!waiting || revalidator.state !== "idle") return;
    const timer = setTimeout(() => revalidator.revalidate(), 1000);
    return () => clearTimeout(timer);
  }, [waiting, revalidator]);
}

/** The notification kinds a channel receives, as checkboxes named `kinds`. */
export function KindChoices({ selected }: { selected: readonly NotificationKind[] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="outbound-kinds">
      <legend>{t("outbound.form.kinds")}</legend>
      {NOTIFICATION_KINDS.map((k) => (
        <label key={k} className="checkbox">
          <input type="checkbox" name="kinds" value={k} defaultChecked={selected.includes(k)} /> {t(`outbound.notificationKind.${k}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** The outcome of the action that came from form `form`, beside that form. */
export function Feedback({ result, form }: { result: FeedbackData | undefined; form: string }) {
  const { t } = useTranslation();
  if (!result || result.form !== form) return null;
  if (!result.ok) {
    return (
      <p className="form-error" role="alert">
        {t(`outbound.errors.${result.code}`)}
      </p>
    );
  }
  return (
    <p className="notice" role="status">
      {t(`outbound.done.${result.done}`, { name: result.name ?? "", count: result.count ?? 0 })}
    </p>
  );
}
