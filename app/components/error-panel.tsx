import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

const KNOWN = new Set([401, 403, 404]);

/** The friendly page for 401/403/404 and every other failure; never shows a stack. */
export function ErrorPanel({ status }: { status: number }) {
  const { t } = useTranslation();
  const key = KNOWN.has(status) ? status : 500;
  return (
    <section className="error-panel" role="alert">
      <p className="error-code">{status}</p>
      <h1>{t(`errorPage.${key}`)}</h1>
      <p>{t(`errorPage.${key}Body`)}</p>
      {key === 401 ? <Link className="button primary" to="/login">{t("errorPage.login")}</Link> : <Link className="button" to="/">{t("errorPage.home")}</Link>}
    </section>
  );
}
