import { Link } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { NotificationEvent, NotificationKind } from "~/domain/notifications";
import type { Fen } from "~/domain/money";
import type { Locale } from "~/domain/roles";
import { formatClockTime, formatDate } from "~/i18n/format";
import type { NotificationPage, NotificationView } from "~/services/notifications.server";
import { useMoney } from "./money";
import { SafeForm } from "./csrf";
import { useRootData } from "~/root";
import { useJson } from "~/lib/use-json";

const ICONS: Record<NotificationKind, string> = {
  approvalTurn: "✍",
  approved: "✔",
  returned: "↩",
  rejected: "✖",
  reopened: "↻",
  mentioned: "@",
  replied: "💬",
  addedToPlan: "＋",
  approvalOverdue: "⏰",
  delegated: "⇄",
  accessRequested: "🔑",
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 分钟前" against the loader's clock, so the server's and the browser's render agree. */
export function relativeTime(t: TFunction, locale: Locale, at: number, now: number): string {
  const ago = Math.max(0, now - at);
  if (ago < MINUTE) return t("notifications.time.justNow");
  if (ago < HOUR) return t("notifications.time.minutes", { count: Math.floor(ago / MINUTE) });
  if (ago < DAY) return t("notifications.time.hours", { count: Math.floor(ago / HOUR) });
  if (ago < 2 * DAY) return t("notifications.time.yesterday", { time: formatClockTime(at, locale) });
  if (ago < 7 * DAY) return t("notifications.time.days", { count: Math.floor(ago / DAY) });
  return formatDate(at, locale);
}

/** One sentence saying what happened, and the comment or reason it carries, if any. */
function describe(t: TFunction, event: NotificationEvent, actorName: string | null, money: (fen: Fen) => string, locale: Locale) {
  const name = ("actorName" in event ? event.actorName : "deciderName" in event ? event.deciderName : actorName) || t("notifications.someone");
  const base = { plan: event.planTitle, name, revision: "revisionNumber" in event ? event.revisionNumber : "" };
  switch (event.kind) {
    case "approvalTurn":
      return { text: t("notifications.body.approvalTurn", { ...base, amount: money(event.totalFen as Fen), step: t(`notifications.step.${event.stepKind}`) }), quote: null };
    case "returned":
    case "rejected":
      return { text: t(`notifications.body.${event.kind}`, base), quote: event.comment ? t("notifications.comment", { text: event.comment }) : t("notifications.noComment") };
    case "reopened":
    case "delegated":
      return { text: t(`notifications.body.${event.kind}`, base), quote: event.reason ? t("notifications.reason", { text: event.reason }) : null };
    case "mentioned":
    case "replied":
      return { text: t(`notifications.body.${event.kind}`, base), quote: event.excerpt || null };
    case "addedToPlan":
      return { text: t("notifications.body.addedToPlan", { ...base, access: t(`notifications.access.${event.access}`) }), quote: null };
    case "approvalOverdue":
      return { text: t("notifications.body.approvalOverdue", { ...base, due: `${formatDate(event.dueAt, locale)} ${formatClockTime(event.dueAt, locale)}` }), quote: null };
    case "approved":
      return { text: t("notifications.body.approved", base), quote: null };
    case "accessRequested":
      return { text: t("notifications.body.accessRequested", base), quote: null };
  }
}

/**
 * One notification: opening it is a POST (it marks the notification read) that redirects to
 * where it points, so a prefetch or a crawler following a GET never changes anything.
 */
export function NotificationItem({ view, now, compact = false }: { view: NotificationView; now: number; compact?: boolean }) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const money = useMoney();
  const { text, quote } = describe(t, view.event, view.actorName, money, locale);
  return (
    <li className={`notification-item${view.read ? "" : " unread"}`} data-notification-id={view.id} data-kind={view.kind}>
      <span className={`notification-icon kind-${view.kind}`} aria-hidden>
        {ICONS[view.kind]}
      </span>
      <SafeForm action={`/notifications/${view.id}/open`} className="notification-open">
        <button type="submit" className="notification-link">
          <span className="notification-title">
            {t(`notifications.kind.${view.kind}`)}
            {view.read ? null : <span className="notification-unread">{t("notifications.unread")}</span>}
          </span>
          <span className="notification-text">{text}</span>
          {quote && !compact ? <span className="notification-quote">{quote}</span> : null}
          <span className="notification-meta">
            {view.actorName ? <span className="notification-actor">{view.actorName} · </span> : null}
            <time dateTime={new Date(view.createdAt).toISOString()}>{relativeTime(t, locale, view.createdAt, now)}</time>
          </span>
        </button>
      </SafeForm>
    </li>
  );
}

interface Feed extends NotificationPage {
  now: number;
}

// `index` targets the list route itself rather than its layout; `_data` asks Remix for its loader's JSON.
const FEED_URL = `/notifications?index&latest=1&_data=${encodeURIComponent("routes/_app.notifications._index")}`;
const isFeed = (raw: unknown): raw is Feed => typeof raw === "object" && raw !== null && Array.isArray((raw as Feed).rows);

/**
 * The top bar's bell: the unread count from the page load, kept live by the member's
 * notification stream. A stream the server refuses (too many tabs) or that drops leaves the
 * count as it was; the next page load brings it up to date.
 */
export function NotificationBell({ initialCount }: { initialCount: number }) {
  const { t } = useTranslation();
  const [count, setCount] = useState(initialCount);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const { data: feed, reload } = useJson(open ? FEED_URL : null, isFeed);

  useEffect(() => setCount(initialCount), [initialCount]);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    const connect = () => {
      if (source || document.visibilityState === "hidden" || !navigator.onLine) return;
      source = new EventSource("/notifications/stream");
      source.addEventListener("unread", (event) => {
        try {
          const data = JSON.parse((event as MessageEvent<string>).data) as { count?: unknown };
          if (typeof data.count === "number") setCount(data.count);
        } catch {
          // A malformed frame changes nothing; the next one or the next page load corrects the count.
        }
      });
    };
    const disconnect = () => {
      source?.close();
      source = null;
    };
    // A hidden tab gives its connection back: browsers allow only a few per server.
    const onVisibility = () => (document.visibilityState === "hidden" ? disconnect() : connect());
    // Without a network the stream would only retry and fail; it reopens with the network.
    connect();
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("offline", disconnect);
    window.addEventListener("online", connect);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("offline", disconnect);
      window.removeEventListener("online", connect);
      disconnect();
    };
  }, []);

  useEffect(() => {
    if (open) reload();
  }, [open, count, reload]);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const label = count > 0 ? t("notifications.bellLabel", { count }) : t("notifications.bellLabelNone");
  return (
    <div className="notification-bell" ref={rootRef}>
      <button
        type="button"
        className="bell-button"
        title={label}
        aria-expanded={open}
        aria-controls={panelId}
        data-notification-count={count}
        onClick={() => setOpen((was) => !was)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden focusable="false">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" fill="currentColor" />
        </svg>
        {/* The name as text, not aria-label: the visible count is then never at odds with the spoken name. */}
        <span className="visually-hidden">{label}</span>
        {count > 0 ? (
          <span className="bell-count" aria-hidden>
            {count > 99 ? "99+" : count}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="notification-panel" id={panelId} role="region" aria-label={t("notifications.latest")}>
          <div className="notification-panel-head">
            <strong>{t("notifications.latest")}</strong>
            <span className="notification-panel-links">
              <Link to="/settings/notifications" onClick={() => setOpen(false)}>
                {t("outbound.member.link")}
              </Link>
              <Link to="/notifications" onClick={() => setOpen(false)}>
                {t("notifications.viewAll")}
              </Link>
            </span>
          </div>
          {feed ? (
            feed.rows.length > 0 ? (
              <ul className="notification-list compact">
                {feed.rows.map((view) => (
                  <NotificationItem key={view.id} view={view} now={feed.now} compact />
                ))}
              </ul>
            ) : (
              <p className="notification-empty">{t("notifications.empty")}</p>
            )
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
