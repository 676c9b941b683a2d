import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MonthAgenda } from "~/domain/calendar-agenda";
import { isPlanDisplayStatus } from "~/domain/plan";

/** The month read as a list (shown on a phone, where the grid's bars are too short for titles). */
export function CalendarAgenda({ agenda }: { agenda: MonthAgenda }) {
  const { t } = useTranslation();
  const weekdays = t("calendar.weekdays", { returnObjects: true }) as string[];
  const [year, month] = agenda.month.split("-").map(Number) as [number, number];
  const title = t("calendar.monthTitle", { year, month });
  const dayText = (date: string) => {
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    return t("lists.agenda.day", { month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)), weekday: weekdays[weekday] });
  };
  return (
    <section className="cal-agenda" data-month={agenda.month} aria-label={t("lists.agenda.label", { title })}>
      <h3>{t("lists.agenda.plans")}</h3>
      {agenda.plans.length === 0 ? (
        <p className="muted">{t("lists.agenda.noPlans")}</p>
      ) : (
        <ul className="cal-agenda-plans">
          {agenda.plans.map((plan) => (
            <li key={plan.id} className={`cal-agenda-plan status-${plan.status}`}>
              <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
              <span className="cal-agenda-meta">
                <span className="nowrap">{t("lists.agenda.span", { start: plan.startDate, end: plan.endDate })}</span>
                {isPlanDisplayStatus(plan.status) ? <span className={`status status-${plan.status}`}>{t(`status.${plan.status}`)}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t("lists.agenda.days")}</h3>
      {agenda.markedDays.length === 0 ? (
        <p className="muted">{t("lists.agenda.noDays")}</p>
      ) : (
        <ul className="cal-agenda-days">
          {agenda.markedDays.map((day) => (
            <li key={day.date} data-date={day.date}>
              <span className="cal-agenda-date">{dayText(day.date)}</span>
              {day.marks.holiday ? <span className="cal-mark holiday">{t("calendar.holidayMark", { name: day.marks.holiday })}</span> : null}
              {day.marks.workday ? <span className="cal-mark workday">{t("calendar.workdayMark", { name: day.marks.workday })}</span> : null}
              {day.marks.festivals.map((festival) => (
                <span key={festival} className="cal-mark festival">
                  {t(`calendar.festival.${festival}`)}
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
