import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { approvalInboxCount } from "~/services/approval-views.server";
import { requireAuth } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { ErrorPanel } from "~/components/error-panel";
import { LanguageSwitch } from "~/components/language-switch";
import { NotificationBell } from "~/components/notification-bell";
import { PopoverMenu } from "~/components/popover-menu";
import { unreadCount } from "~/services/notifications.server";
import notificationStyles from "~/styles/notifications.css";
import type { Action } from "~/domain/policy";
import { useRootData } from "~/root";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  // The 审批 link's badge: steps waiting for this member's title.
  return { approvalsWaiting: await approvalInboxCount(context.db, auth.actor), notificationsUnread: await unreadCount(context.db, auth.user.id) };
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: notificationStyles }];

const NAV: ReadonlyArray<{ to: string; label: string; ability: Action }> = [
  { to: "/dashboard", label: "dashboard.nav", ability: "plans:view" },
  { to: "/plans", label: "nav.plans", ability: "plans:view" },
  { to: "/tasks", label: "nav.tasks", ability: "tasks:view" },
  { to: "/approvals", label: "nav.approvals", ability: "approvals:track" },
  { to: "/finance", label: "nav.finance", ability: "finance:view" },
  { to: "/calendar", label: "nav.calendar", ability: "calendar:view" },
  { to: "/admin", label: "nav.admin", ability: "admin:view" },
];

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const { user, abilities } = useRootData();
  const appData = useRouteLoaderData<typeof loader>("routes/_app");
  const approvalsWaiting = appData?.approvalsWaiting ?? 0;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <header className="topbar">
        <NavLink to="/dashboard" className="brand">
          <span className="logo-mark" aria-hidden>策</span>
          <span className="brand-name">{t("app.name")}</span>
        </NavLink>
        {/* Below desktop width the areas and the account fold into this menu; on a desktop it lays out inline. */}
        <PopoverMenu
          id="app-menu"
          className="app-menu"
          buttonClassName="button menu-toggle"
          buttonTitle={approvalsWaiting > 0 ? t("layout.menuWaiting", { count: approvalsWaiting }) : undefined}
          buttonLabel={
            <>
              <span aria-hidden>☰</span> {t("layout.menu")}
              {approvalsWaiting > 0 ? (
                <span className="nav-count" aria-hidden>
                  {approvalsWaiting}
                </span>
              ) : null}
            </>
          }
        >
          <nav aria-label={t("nav.main")} className="main-nav">
            {NAV.filter((item) => abilities[item.ability]).map((item) => (
              <NavLink key={item.to} to={item.to} prefetch="intent">
                {t(item.label)}
                {item.to === "/approvals" && approvalsWaiting > 0 ? (
                  <span className="nav-count" data-approvals-waiting={approvalsWaiting} aria-label={t("approval.inbox.count", { count: approvalsWaiting })}>
                    {approvalsWaiting}
                  </span>
                ) : null}
              </NavLink>
            ))}
          </nav>
          <div className="topbar-end" role="group" aria-label={t("layout.account")}>
            {user ? (
              <p className="menu-account">
                <strong>{user.name}</strong> {t(`role.${user.role}`)}
                {user.title ? ` · ${t(`title.${user.title}`)}` : ""}
              </p>
            ) : null}
            <LanguageSwitch />
            <SafeForm action="/logout" reloadDocument>
              <button type="submit" className="button ghost">
                {t("shell.logout")}
              </button>
            </SafeForm>
          </div>
        </PopoverMenu>
        {/* Always on the bar, whatever the width: the bell and who is signed in. */}
        <div className="topbar-quick">
          {user && appData ? <NotificationBell initialCount={appData.notificationsUnread} /> : null}
          {user ? (
            <div className="user-chip" title={`${t("shell.signedInAs")} ${user.username}`}>
              <span className="avatar" aria-hidden>
                {user.name.slice(-2)}
              </span>
              <span>
                <span className="user-name">{user.name}</span>
                <span className="user-role">
                  {t(`role.${user.role}`)}
                  {user.title ? ` · ${t(`title.${user.title}`)}` : ""}
                </span>
              </span>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" className="content">
        {children}
      </main>
    </div>
  );
}

export default function AppLayout() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error)) console.error(error);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Shell>
      <ErrorPanel status={status} />
    </Shell>
  );
}
