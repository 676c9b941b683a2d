import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CSRF_HEADER } from "~/domain/csrf";
import { useRootData } from "~/root";
import type { AccessRequestOutcome } from "~/services/access-requests.server";
import { CsrfInput } from "./csrf";

const KNOWN = new Set([401, 403, 404]);

/** The plan id of a `noAccess` refusal (app/routes-support/guards.server.ts requirePlan), or null. */
function noAccessPlanId(error: unknown): string | null {
  if (!isRouteErrorResponse(error) || typeof error.data !== "object" || error.data === null) return null;
  const data = error.data as { code?: unknown; planId?: unknown };
  return data.code === "noAccess" && typeof data.planId === "string" ? data.planId : null;
}

/** A link to a plan the member may not read: say so, and let them ask its owner (申请访问). */
function NoPlanAccess({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const { csrfToken } = useRootData();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<AccessRequestOutcome | { ok: false } | null>(null);
  const path = `/plans/${encodeURIComponent(planId)}`;
  // A plain fetch, not a Remix fetcher: asking changes nothing on this page, and a fetcher's
  // revalidation would fetch the refused plan again (Remix 2 then reports the 404 as an
  // unhandled rejection while it prefetches the plan page's styles).
  const ask = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSending(true);
    try {
      const response = await fetch(`${path}/request-access`, { method: "POST", headers: { [CSRF_HEADER]: csrfToken }, credentials: "same-origin" });
      setResult(response.headers.get("content-type")?.includes("application/json") ? ((await response.json()) as AccessRequestOutcome) : { ok: false });
    } catch {
      setResult({ ok: false });
    } finally {
      setSending(false);
    }
  };
  return (
    <section className="error-panel no-plan-access" role="alert">
      <svg className="no-plan-access-icon" viewBox="0 0 24 24" width="48" height="48" aria-hidden="true" focusable="false">
        <rect x="5" y="10" width="14" height="11" rx="2" fill="currentColor" />
        <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" strokeWidth="2" />
      </svg>
      <h1>{t("access.heading")}</h1>
      <p>{t("access.body")}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(`access.${result.state}`)} {result.state === "canRead" ? <Link to={path}>{t("access.open")}</Link> : null}
        </p>
      ) : (
        <form method="post" action={`${path}/request-access`} className="no-plan-access-form" onSubmit={(event) => void ask(event)}>
          <CsrfInput />
          <button type="submit" className="button primary" disabled={sending}>
            {sending ? t("access.requesting") : t("access.request")}
          </button>
          {result && !result.ok ? (
            <p className="form-error" role="alert">
              {t("access.failed")}
            </p>
          ) : null}
        </form>
      )}
      <Link className="button" to="/">
        {t("errorPage.home")}
      </Link>
    </section>
  );
}

/** The friendly page for 401/403/404 and every other failure; never shows a stack. */
export function ErrorPanel({ status }: { status: number }) {
  const { t } = useTranslation();
  const noAccess = noAccessPlanId(useRouteError());
  if (noAccess !== null) return <NoPlanAccess planId={noAccess} />;
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
