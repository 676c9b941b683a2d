import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { useRootData } from "~/root";
import listsHref from "~/styles/lists.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listsHref }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "admin:view");
  return null;
}

export default function AdminLayout() {
  const { t } = useTranslation();
  const { abilities } = useRootData();
  return (
    <div className="admin">
      <header className="page-header">
        <h1>{t("admin.heading")}</h1>
        <nav className="sub-nav" aria-label={t("admin.heading")}>
          <NavLink to="/admin/members">{t("admin.members")}</NavLink>
          <NavLink to="/admin/templates">{t("templates.admin.nav")}</NavLink>
          {abilities["authority:manage"] ? <NavLink to="/admin/authority">{t("authority.nav")}</NavLink> : null}
          {abilities["audit:read"] ? <NavLink to="/admin/audit">{t("audit.nav")}</NavLink> : null}
          {abilities["holidays:manage"] ? <NavLink to="/admin/holidays">{t("calendar.admin.nav")}</NavLink> : null}
          {abilities["notifications:manage"] ? <NavLink to="/admin/notifications">{t("outbound.nav")}</NavLink> : null}
        </nav>
      </header>
      <Outlet />
    </div>
  );
}
