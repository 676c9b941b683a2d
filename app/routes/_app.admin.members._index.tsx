import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { findUserById, listUsers } from "../../db/queries/users";
import { formatDate } from "~/i18n/format";
import { useRootData } from "~/root";
import { ScrollTable } from "~/components/scroll-table";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminMembers");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "members:manage");
  const createdId = Number(new URL(request.url).searchParams.get("created"));
  const created = Number.isSafeInteger(createdId) && createdId > 0 ? await findUserById(context.db, createdId) : undefined;
  const members = await listUsers(context.db);
  return {
    createdName: created?.name ?? null,
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      username: m.username,
      role: m.role,
      title: m.title,
      active: m.active === 1,
      createdAt: m.created_at,
    })),
  };
}

export default function Members() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const { members, createdName } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="toolbar">
        <p className="muted">{t("admin.count", { count: members.length })}</p>
        <Link className="button primary" to="/admin/members/new">
          {t("admin.newMember")}
        </Link>
      </div>
      {createdName ? (
        <p className="notice" role="status">
          {t("admin.created", { name: createdName })}
        </p>
      ) : null}
      {/* One card per member on a phone (lists.css), a table from a tablet up. */}
      <ScrollTable label={t("admin.members")}>
        <table className="table members-table cards-on-phone nowrap-head">
          <thead>
            <tr>
              <th>{t("admin.name")}</th>
              <th>{t("admin.username")}</th>
              <th>{t("admin.role")}</th>
              <th>{t("admin.approverTitle")}</th>
              <th>{t("admin.status")}</th>
              <th>{t("admin.createdAt")}</th>
              <th>
                <span className="visually-hidden">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id} className={m.active ? "" : "inactive"}>
                <td className="card-title nowrap">{m.name}</td>
                <td data-label={t("admin.username")}>
                  <span className="mono">{m.username}</span>
                </td>
                <td className="nowrap" data-label={t("admin.role")}>
                  {t(`role.${m.role}`)}
                </td>
                <td className="nowrap" data-label={t("admin.approverTitle")}>
                  {m.title ? t(`title.${m.title}`) : "—"}
                </td>
                <td className="card-corner">
                  <span className={`badge ${m.active ? "ok" : "off"}`}>{m.active ? t("admin.active") : t("admin.inactive")}</span>
                </td>
                <td className="nowrap" data-label={t("admin.createdAt")}>
                  {formatDate(m.createdAt, locale)}
                </td>
                <td className="nowrap">
                  <Link to={`/admin/members/${m.id}`} aria-label={`${t("admin.edit")} ${m.name}`}>
                    {t("admin.edit")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}
