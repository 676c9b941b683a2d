import { Link, isRouteErrorResponse, useFetcher, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
  const fetcher = useFetcher<AccessRequestOutcome>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const path = `/plans/${encodeURIComponent(planId)}`;
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
        <fetcher.Form method="post" action={`${path}/request-access`} className="no-plan-access-form">
          <CsrfInput />
          <button type="submit" className="button primary" disabled={fetcher.state !== "idle"}>
            {fetcher.state === "idle" ? t("access.request") : t("access.requesting")}
          </button>
          {result && !result.ok ? (
            <p className="form-error" role="alert">
              {t("access.failed")}
            </p>
          ) : null}
        </fetcher.Form>
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
