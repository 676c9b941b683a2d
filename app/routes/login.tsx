import { json, redirect, type HeadersFunction, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { attemptLogin } from "~/services/auth/login.server";
import { startSession } from "~/services/auth/session.server";
import { retryTime } from "~/domain/login-throttle";
import { safeRedirect } from "~/domain/safe-redirect";
import type { Locale } from "~/domain/roles";
import { formatClockTime } from "~/i18n/format";
import { LOCALE_COOKIE } from "~/i18n/locale";
import { useRootData } from "~/root";
import { SafeForm } from "~/components/csrf";
import { LanguageSwitch } from "~/components/language-switch";
import { serialize } from "cookie";
import { pageTitle } from "~/i18n/page-title";

// A refused login answers with the action's Retry-After, also on a full-page post.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login");

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

const LoginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  redirectTo: z.string().optional(),
});

type ActionData = { error: "required" | "invalid" } | { error: "throttled"; minutes: number; retryAt: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = LoginSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<ActionData>({ error: "required" }, { status: 400 });
  const now = Date.now();
  const result = await attemptLogin(context.db, { ...parsed.data, ip: context.clientIp, now });
  if (!result.ok && result.reason === "throttled") {
    const retry = retryTime(now, result.retryAfterMs);
    return json<ActionData>(
      { error: "throttled", minutes: retry.minutes, retryAt: retry.at },
      { status: 429, headers: { "Retry-After": String(Math.ceil(result.retryAfterMs / 1000)) } },
    );
  }
  if (!result.ok) return json<ActionData>({ error: "invalid" }, { status: 401 });

  const headers = new Headers();
  headers.append(
    "Set-Cookie",
    await startSession(context.db, {
      userId: result.user.id,
      ip: context.clientIp,
      userAgent: request.headers.get("user-agent"),
      secure: context.secureCookies,
      now,
    }),
  );
  // The member's saved language also becomes the signed-out language on this browser.
  headers.append(
    "Set-Cookie",
    serialize(LOCALE_COOKIE, result.user.locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 }),
  );
  const redirectTo = parsed.data.redirectTo ? safeRedirect(parsed.data.redirectTo) : "/dashboard";
  return redirect(redirectTo, { headers });
}

export default function Login() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { locale } = useRootData();
  const submitting = useNavigation().state === "submitting";
  const message = actionData ? errorMessage(actionData, t, locale) : null;
  return (
    <main className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <span className="logo-mark" aria-hidden>策</span>
          <div>
            <p className="brand-name">{t("app.name")}</p>
            <p className="muted">{t("app.tagline")}</p>
          </div>
        </div>
        <h1>{t("login.heading")}</h1>
        <SafeForm replace>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <label className="field">
            <span>{t("login.username")}</span>
            <input name="username" autoComplete="username" required autoFocus />
          </label>
          <label className="field">
            <span>{t("login.password")}</span>
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {message ? (
            <p className="form-error" role="alert">
              {message}
            </p>
          ) : null}
          <button className="button primary block" type="submit" disabled={submitting}>
            {submitting ? t("login.submitting") : t("login.submit")}
          </button>
        </SafeForm>
        <LanguageSwitch />
      </div>
    </main>
  );
}

function errorMessage(data: ActionData, t: ReturnType<typeof useTranslation>["t"], locale: Locale): string {
  if (data.error !== "throttled") return t(`login.${data.error}`);
  return t("login.throttled", { minutes: data.minutes, time: formatClockTime(data.retryAt, locale) });
}
