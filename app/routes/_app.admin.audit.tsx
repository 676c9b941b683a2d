import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import {
  actionGroupOf,
  auditDetailEntries,
  detailValueKind,
  formatAuditCursor,
  parseAuditQuery,
  type AuditDetailEntry,
  type AuditFilterField,
} from "~/domain/audit";
import type { Locale } from "~/domain/roles";
import { AuditDetail, type AuditNames } from "~/components/audit-detail";
import { ScrollTable } from "~/components/scroll-table";
import { useRootData } from "~/root";
import stylesHref from "~/styles/admin-audit.css";
import { countAudit, listAudit, listAuditActions, listAuditTargetTypes } from "../../db/queries/audit";
import { findPlanById } from "../../db/queries/plans";
import { findCustomTemplate } from "../../db/queries/templates";
import { listUsers, type DbOrTx } from "../../db/queries/users";
import { findBuiltInTemplate } from "../../templates/index";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminAudit");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

interface Entry {
  id: number;
  at: number;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  targetLabel: string | null;
  detail: AuditDetailEntry[];
}

/** Titles of the plans and names of the templates the page's details point at, by id. */
async function namesIn(db: DbOrTx, entries: Entry[]): Promise<{ plans: Record<string, string>; templates: Record<string, string> }> {
  const wanted = { plan: new Set<string>(), template: new Set<string>() };
  for (const entry of entries) {
    for (const item of entry.detail) {
      const kind = detailValueKind(entry.targetType, item.key);
      if (kind !== "plan" && kind !== "template") continue;
      for (const value of ("value" in item ? [item.value] : [item.from, item.to]).flat()) if (typeof value === "string") wanted[kind].add(value);
    }
  }
  const plans: Record<string, string> = {};
  for (const id of wanted.plan) {
    const plan = await findPlanById(db, id);
    if (plan) plans[id] = plan.title;
  }
  const templates: Record<string, string> = {};
  for (const id of wanted.template) {
    const name = findBuiltInTemplate(id)?.name ?? (await findCustomTemplate(db, id))?.name;
    if (name) templates[id] = name;
  }
  return { plans, templates };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "audit:read");
  const query = parseAuditQuery(new URL(request.url).searchParams);
  const members = (await listUsers(context.db)).map((m) => ({ id: m.id, name: m.name, active: m.active === 1 }));
  const actions = await listAuditActions(context.db);
  const targetTypes = await listAuditTargetTypes(context.db);
  const page = query.filter ? await listAudit(context.db, query.filter, query.position) : { rows: [], hasNewer: false, hasOlder: false };
  const total = query.filter ? await countAudit(context.db, query.filter) : 0;
  const entries: Entry[] = page.rows.map((row) => ({
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetLabel: row.target_label,
    detail: auditDetailEntries(row.detail),
  }));
  return json(
    {
      values: query.values,
      errors: query.errors,
      members,
      actions,
      targetTypes,
      entries,
      total,
      hasNewer: page.hasNewer,
      hasOlder: page.hasOlder,
      names: await namesIn(context.db, entries),
    },
    { status: query.filter ? 200 : 400 },
  );
}

const CHINA_TZ = "Asia/Shanghai";

function formatDateTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone: CHINA_TZ }).format(epochMs);
}

function Target({ entry, onlyThisHref }: { entry: Entry; onlyThisHref: string }) {
  const { t } = useTranslation();
  const label = entry.targetLabel ?? entry.targetId;
  return (
    <>
      <Link to={onlyThisHref} className="muted" title={t("audit.onlyThisTarget")}>
        {t(`audit.targets.${entry.targetType}`, { defaultValue: entry.targetType })}
      </Link>{" "}
      {entry.targetType === "plan" ? (
        <Link to={`/plans/${encodeURIComponent(entry.targetId)}`}>{label}</Link>
      ) : entry.targetType === "member" && entry.targetLabel ? (
        <Link to={`/admin/members/${encodeURIComponent(entry.targetId)}`}>{label}</Link>
      ) : (
        <span>{label}</span>
      )}
    </>
  );
}

function FilterField({ field, label, error, children }: { field: AuditFilterField; label: string; error: string | undefined; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {error ? (
        <span className="field-error" id={`audit-${field}-error`}>
          {t(`audit.errors.${error}`)}
        </span>
      ) : null}
    </label>
  );
}

export default function AuditLog() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const { values, errors, entries } = data;
  const names: AuditNames = { members: new Map(data.members.map((m) => [m.id, m.name])), plans: data.names.plans, templates: data.names.templates };
  const invalid = (field: AuditFilterField) =>
    errors[field] ? { "aria-invalid": true as const, "aria-describedby": `audit-${field}-error` } : {};

  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const search = next.toString();
    return search ? `/admin/audit?${search}` : "/admin/audit";
  };

  const actionGroups = new Map<string, string[]>();
  for (const action of data.actions) {
    const group = actionGroupOf(action);
    actionGroups.set(group, [...(actionGroups.get(group) ?? []), action]);
  }
  const knownActions = new Set([...data.actions, ...actionGroups.keys()]);
  const groupName = (group: string) => group.slice(0, -1);
  const hasErrors = Object.keys(errors).length > 0;
  const first = entries[0];
  const last = entries[entries.length - 1];

  return (
    <section>
      <p className="muted">{t("audit.intro")}</p>
      {hasErrors ? (
        <p className="form-error" role="alert">
          {t("audit.errors.summary")}
        </p>
      ) : null}
      <Form method="get" className="filters audit-filters" role="search" aria-label={t("audit.filter.label")} key={location.search}>
        <FilterField field="actor" label={t("audit.filter.actor")} error={errors.actor}>
          <select name="actor" defaultValue={values.actor} {...invalid("actor")}>
            <option value="">{t("audit.filter.allActors")}</option>
            {values.actor !== "" && !data.members.some((m) => String(m.id) === values.actor) ? (
              <option value={values.actor}>{errors.actor ? values.actor : t("audit.filter.unknownActor", { id: values.actor })}</option>
            ) : null}
            {data.members.map((m) => (
              <option key={m.id} value={String(m.id)}>
                {m.active ? m.name : t("audit.filter.inactive", { name: m.name })}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField field="action" label={t("audit.filter.action")} error={errors.action}>
          <select name="action" defaultValue={values.action} {...invalid("action")}>
            <option value="">{t("audit.filter.allActions")}</option>
            {values.action !== "" && !knownActions.has(values.action) ? <option value={values.action}>{values.action}</option> : null}
            {[...actionGroups].map(([group, actions]) => (
              <optgroup key={group} label={t(`audit.groups.${groupName(group)}.label`, { defaultValue: groupName(group) })}>
                <option value={group}>{t(`audit.groups.${groupName(group)}.all`, { defaultValue: t("audit.groupFallback", { group }) })}</option>
                {actions.map((action) => (
                  <option key={action} value={action}>
                    {t(`audit.actions.${action}`, { defaultValue: action })}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </FilterField>
        <FilterField field="targetType" label={t("audit.filter.target")} error={errors.targetType}>
          <select name="targetType" defaultValue={values.targetType} {...invalid("targetType")}>
            <option value="">{t("audit.filter.allTargets")}</option>
            {values.targetType !== "" && !data.targetTypes.includes(values.targetType) ? <option value={values.targetType}>{values.targetType}</option> : null}
            {data.targetTypes.map((type) => (
              <option key={type} value={type}>
                {t(`audit.targets.${type}`, { defaultValue: type })}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField field="targetId" label={t("audit.filter.targetId")} error={errors.targetId}>
          <input name="targetId" type="text" defaultValue={values.targetId} maxLength={64} {...invalid("targetId")} />
        </FilterField>
        <FilterField field="from" label={t("audit.filter.from")} error={errors.from}>
          <input name="from" type="date" defaultValue={values.from} {...invalid("from")} />
        </FilterField>
        <FilterField field="to" label={t("audit.filter.to")} error={errors.to}>
          <input name="to" type="date" defaultValue={values.to} {...invalid("to")} />
        </FilterField>
        <div className="form-actions">
          <button type="submit" className="button primary">
            {t("audit.filter.submit")}
          </button>
          <Link to="/admin/audit" className="button ghost">
            {t("audit.filter.reset")}
          </Link>
        </div>
      </Form>

      {hasErrors ? null : entries.length === 0 ? (
        <p className="empty-state">{data.actions.length === 0 ? t("audit.emptyAll") : t("audit.empty")}</p>
      ) : (
        <>
          <div className="toolbar">
            <p className="muted">{t("audit.count", { count: data.total })}</p>
          </div>
          {/* One card per entry on a phone (lists.css): the action leads, the detail reads full width. */}
          <ScrollTable label={t("audit.nav")}>
          <table className="table audit-table cards-on-phone nowrap-head">
            <thead>
              <tr>
                <th>{t("audit.column.at")}</th>
                <th>{t("audit.column.actor")}</th>
                <th>{t("audit.column.action")}</th>
                <th>{t("audit.column.target")}</th>
                <th>{t("audit.column.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap" data-label={t("audit.column.at")}>{formatDateTime(entry.at, locale)}</td>
                  <td className="nowrap" data-label={t("audit.column.actor")}>{entry.actorId === null ? t("audit.system") : (entry.actorName ?? t("audit.filter.unknownActor", { id: entry.actorId }))}</td>
                  <td className="nowrap card-title" title={entry.action}>
                    {t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}
                  </td>
                  <td data-label={t("audit.column.target")}>
                    <Target entry={entry} onlyThisHref={hrefWith({ targetType: entry.targetType, targetId: entry.targetId, before: null, after: null })} />
                  </td>
                  <td className="audit-detail-cell" data-label={t("audit.column.detail")}>
                    <AuditDetail action={entry.action} targetType={entry.targetType} detail={entry.detail} names={names} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </ScrollTable>
        </>
      )}
      {!hasErrors && (data.hasNewer || data.hasOlder) ? (
        <nav className="form-actions" aria-label={t("audit.pager.label")}>
          {data.hasNewer ? (
            <>
              <Link className="button" to={hrefWith({ before: null, after: null })}>
                {t("audit.pager.newest")}
              </Link>
              {first ? (
                <Link className="button" rel="prev" to={hrefWith({ before: null, after: formatAuditCursor(first) })}>
                  {t("audit.pager.newer")}
                </Link>
              ) : null}
            </>
          ) : null}
          {data.hasOlder && last ? (
            <Link className="button" rel="next" to={hrefWith({ after: null, before: formatAuditCursor(last) })}>
              {t("audit.pager.older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
