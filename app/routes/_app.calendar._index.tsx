import { readsEveryPlan } from "~/domain/policy";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { listCalendarPlans, listPhaseSpans } from "../../db/queries/calendar";
import { listOfficialDays } from "../../db/queries/official-days";
import { requireAbility } from "~/routes-support/guards.server";
import { CalendarMonth } from "~/components/calendar-month";
import { CalendarSuggestions } from "~/components/calendar-suggestions";
import { CalendarAgenda } from "~/components/calendar-agenda";
import { monthAgenda } from "~/domain/calendar-agenda";
import { addDays, chinaToday } from "~/domain/calendar";
import { displayStatus } from "~/domain/plan";
import {
  festivalSuggestions,
  marksBetween,
  monthGrid,
  monthOf,
  parseMonth,
  phaseSpans,
  stepMonth,
  SUGGESTION_DAYS,
  viewMonths,
  viewRange,
  yearSchedule,
  type CalendarPlan,
  type CalendarViewKind,
} from "~/domain/campaign-calendar";
import stylesHref from "~/styles/calendar.css";
import { listPickableTemplates } from "~/services/templates.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "calendar");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

const ViewSchema = z.enum(["month", "quarter"]).catch("month");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "calendar:view");
  const params = new URL(request.url).searchParams;
  const today = chinaToday(Date.now());
  const view: CalendarViewKind = ViewSchema.parse(params.get("view") ?? undefined);
  const month = parseMonth(params.get("month")) ?? monthOf(today);
  const months = viewMonths(view, month);
  const range = viewRange(months);
  const suggestUntil = addDays(today, SUGGESTION_DAYS);
  const reader = { userId: auth.user.id, ownPlansOnly: !readsEveryPlan(auth.actor) };

  const shownYears = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
  const markYears = [...new Set([range.from, range.to, today, suggestUntil].map((date) => Number(date.slice(0, 4))))];
  const [entered, rows, upcoming, templates] = await Promise.all([
    listOfficialDays(context.db, [...new Set([...shownYears, ...markYears])]),
    listCalendarPlans(context.db, reader, range),
    listCalendarPlans(context.db, reader, { from: today, to: suggestUntil }),
    listPickableTemplates(context.db),
  ]);
  const spans = await listPhaseSpans(context.db, rows.map((row) => row.id));
  const plans: CalendarPlan[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    status: displayStatus(row),
    startDate: row.start_date,
    endDate: row.end_date,
    phases: phaseSpans(spans.filter((span) => span.plan_id === row.id).map((span) => ({ phase: span.phase, startDate: span.start_date, endDate: span.end_date }))),
  }));
  const marks = marksBetween(range.from, range.to, entered);
  const grids = months.map((m) => monthGrid(m, { today, marks, plans }));
  return {
    view,
    month,
    today,
    prev: stepMonth(view, month, -1),
    next: stepMonth(view, month, 1),
    grids,
    agendas: grids.map((grid) => monthAgenda(grid, plans)),
    schedules: shownYears.map((year) => ({ year, source: yearSchedule(year, entered).source })),
    planCount: plans.length,
    suggestionDays: SUGGESTION_DAYS,
    suggestions: festivalSuggestions({
      today,
      templates: templates.map(({ template }) => ({ id: template.id, name: template.name, anchor: template.anchor })),
      plans: upcoming.map((row) => ({ anchorDate: row.anchor_date, templateId: row.template_id, startDate: row.start_date, endDate: row.end_date })),
    }),
  };
}

function href(view: CalendarViewKind, month: string): string {
  return `/calendar?${new URLSearchParams({ view, month }).toString()}`;
}

export default function CalendarPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const [year, monthNumber] = data.month.split("-").map(Number) as [number, number];
  const title =
    data.view === "month" ? t("calendar.monthTitle", { year, month: monthNumber }) : t("calendar.quarterTitle", { year, quarter: Math.floor((monthNumber - 1) / 3) + 1 });
  return (
    <section className="campaign-calendar">
      <header className="page-header">
        <h1>{t("calendar.heading")}</h1>
        <p className="muted">{t("calendar.intro")}</p>
      </header>
      <div className="cal-toolbar">
        <nav className="cal-nav">
          <Link className="button small" to={href(data.view, data.prev)} aria-label={t(`calendar.prev.${data.view}`)}>
            ‹
          </Link>
          <Link className="button small" to={href(data.view, monthOf(data.today))}>
            {t("calendar.today")}
          </Link>
          <Link className="button small" to={href(data.view, data.next)} aria-label={t(`calendar.next.${data.view}`)}>
            ›
          </Link>
          <h2 className="cal-title">{title}</h2>
        </nav>
        <nav className="cal-views" aria-label={t("calendar.view.label")}>
          {(["month", "quarter"] as const).map((view) => (
            <Link key={view} to={href(view, data.month)} className={`button small${view === data.view ? " primary" : " ghost"}`} aria-current={view === data.view ? "page" : undefined}>
              {t(`calendar.view.${view}`)}
            </Link>
          ))}
        </nav>
      </div>
      <ul className="cal-legend" aria-label={t("calendar.legend.heading")}>
        {(["holiday", "workday", "festival", "plan"] as const).map((kind) => (
          <li key={kind}>
            <span className={`cal-swatch ${kind}`} aria-hidden="true" />
            {t(`calendar.legend.${kind}`)}
          </li>
        ))}
      </ul>
      {data.schedules.map(({ year: scheduleYear, source }) =>
        source === "none" ? (
          <p key={scheduleYear} className="notice warning" role="status" data-unpublished={scheduleYear}>
            {t("calendar.unpublished", { year: scheduleYear })}
          </p>
        ) : source === "admin" ? (
          <p key={scheduleYear} className="notice muted-notice" data-entered={scheduleYear}>
            {t("calendar.enteredByAdmin", { year: scheduleYear })}
          </p>
        ) : null,
      )}
      <div className="cal-body">
        <div className={`cal-grids ${data.view}`}>
          {data.grids.map((grid, index) => (
            <div key={grid.month} className="cal-month-with-agenda">
              <CalendarMonth grid={grid} compact={data.view === "quarter"} />
              <CalendarAgenda agenda={data.agendas[index]!} />
            </div>
          ))}
          {data.planCount === 0 ? <p className="muted">{t("calendar.noPlans")}</p> : null}
        </div>
        <CalendarSuggestions suggestions={data.suggestions} days={data.suggestionDays} />
      </div>
    </section>
  );
}
