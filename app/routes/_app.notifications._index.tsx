import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAuth } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { NotificationItem } from "~/components/notification-bell";
import { markAllRead, notificationPage, unreadCount } from "~/services/notifications.server";
import stylesHref from "~/styles/notifications.css";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

const TABS = ["all", "unread"] as const;
const LATEST = 10;

const QuerySchema = z.object({
  tab: z.enum(TABS).catch("all"),
  /** A page cursor: "u123" (after unread #123) or "r123" (after read #123). */
  after: z
    .string()
    .regex(/^[ur]\d{1,15}$/)
    .transform((text) => ({ unread: text.startsWith("u"), id: Number(text.slice(1)) }))
    .optional()
    .catch(undefined),
  latest: z.literal("1").optional().catch(undefined),
});

/** The list (全部 / 未读: unread first, 50 a page), or with `latest=1` the bell's dropdown: the newest ten. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse({ tab: params.get("tab") ?? undefined, after: params.get("after") ?? undefined, latest: params.get("latest") ?? undefined });
  const now = Date.now();
  const page = await notificationPage(context.db, auth.user.id, {
    unreadOnly: query.latest ? false : query.tab === "unread",
    ...(query.latest ? { newestFirst: true, limit: LATEST } : { after: query.after }),
  });
  return json({ ...page, now, tab: query.tab, paged: query.after !== undefined, unread: await unreadCount(context.db, auth.user.id) });
}

const ActionSchema = z.object({
  intent: z.literal("markAllRead"),
  upToId: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});

/** 全部标为已读: marks read what the member saw (up to the newest id on the page), never what arrived since. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, code: "badRequest" as const }, { status: 400 });
  const marked = await markAllRead(context.db, auth.user.id, parsed.data.upToId, Date.now());
  return json({ ok: true as const, marked });
}

export default function NotificationsPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const newestId = data.rows.reduce((max, row) => Math.max(max, row.id), 0);
  const tabHref = (tab: (typeof TABS)[number]) => (tab === "all" ? "/notifications" : "/notifications?tab=unread");
  return (
    <section className="notifications-page">
      <header className="page-header notifications-header">
        <div>
          <h1>{t("notifications.heading")}</h1>
          <p className="muted" data-unread-count={data.unread}>
            {t("notifications.unreadCount", { count: data.unread })} · <Link to="/settings/notifications">{t("outbound.member.link")}</Link>
          </p>
        </div>
        {data.unread > 0 && !data.paged ? (
          <SafeForm>
            <input type="hidden" name="intent" value="markAllRead" />
            {/* Whatever arrived after this page was loaded stays unread. */}
            <input type="hidden" name="upToId" value={newestId} />
            <button type="submit" className="button" disabled={navigation.state !== "idle"}>
              {t("notifications.markAllRead")}
            </button>
          </SafeForm>
        ) : null}
      </header>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role="status">
          {result.ok
            ? result.marked > 0
              ? t("notifications.markedAllRead", { count: result.marked })
              : t("notifications.nothingToMark")
            : t(`notifications.errors.${result.code}`)}
        </p>
      ) : null}
      <nav className="notification-tabs" aria-label={t("notifications.tabsLabel")}>
        {TABS.map((tab) => (
          <Link key={tab} to={tabHref(tab)} aria-current={data.tab === tab ? "page" : undefined} className={data.tab === tab ? "active" : undefined}>
            {tab === "all" ? t("notifications.tabAll") : t("notifications.tabUnread")}
            {tab === "unread" && data.unread > 0 ? <span className="nav-count">{data.unread}</span> : null}
          </Link>
        ))}
      </nav>
      {data.rows.length > 0 ? (
        <ul className="notification-list" aria-label={t("notifications.listLabel")}>
          {data.rows.map((view) => (
            <NotificationItem key={view.id} view={view} now={data.now} />
          ))}
        </ul>
      ) : (
        <p className="empty-state">{data.tab === "unread" ? t("notifications.emptyUnread") : t("notifications.empty")}</p>
      )}
      <nav className="notification-pages">
        {data.paged ? <Link to={tabHref(data.tab)}>{t("notifications.firstPage")}</Link> : null}
        {data.next !== null ? (
          <Link to={`${tabHref(data.tab)}${data.tab === "all" ? "?" : "&"}after=${data.next.unread ? "u" : "r"}${data.next.id}`}>{t("notifications.olderPage")}</Link>
        ) : null}
      </nav>
    </section>
  );
}
