import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PHASE_COLORS } from "~/blocks/timeline-gantt";
import type { CalendarDay, MonthGrid } from "~/domain/campaign-calendar";
import { isPlanDisplayStatus } from "~/domain/plan";

/** One month of the campaign calendar: weeks from Monday, each day's marks, the plans as bars. */
export function CalendarMonth({ grid, compact }: { grid: MonthGrid; compact: boolean }) {
  const { t } = useTranslation();
  const weekdays = t("calendar.weekdays", { returnObjects: true }) as string[];
  const [year, month] = grid.month.split("-");
  return (
    <section className={`cal-month${compact ? " compact" : ""}`} data-month={grid.month} aria-label={t("calendar.monthTitle", { year, month: Number(month) })}>
      {compact ? <h2 className="cal-month-title">{t("calendar.monthTitle", { year, month: Number(month) })}</h2> : null}
      <div className="cal-weekdays" aria-hidden="true">
        {weekdays.map((name, index) => (
          <span key={name} className={index >= 5 ? "weekend" : undefined}>
            {name}
          </span>
        ))}
      </div>
      {grid.weeks.map((week) => (
        <div key={week.days[0]!.date} className="cal-week" style={{ gridTemplateRows: `auto repeat(${week.lanes}, var(--cal-bar-row)) minmax(0.5rem, 1fr)` }}>
          {week.days.map((day, index) => (
            <div key={`bg-${day.date}`} className={dayClass(day)} style={{ gridColumn: index + 1, gridRow: "1 / -1" }} aria-hidden="true" />
          ))}
          {week.days.map((day, index) => (
            <DayHeader key={day.date} day={day} column={index + 1} compact={compact} />
          ))}
          {week.bars.map((bar) => (
            <Link
              key={bar.planId}
              to={`/plans/${bar.planId}`}
              className={`cal-bar status-${bar.status}${bar.continuesBefore ? " open-start" : ""}${bar.continuesAfter ? " open-end" : ""}`}
              style={{ gridColumn: `${bar.column + 1} / span ${bar.span}`, gridRow: bar.lane + 2 }}
              title={isPlanDisplayStatus(bar.status) ? `${bar.title} · ${t(`status.${bar.status}`)}` : bar.title}
              aria-label={t("calendar.openPlan", { title: bar.title })}
              data-plan-id={bar.planId}
              data-status={bar.status}
            >
              <span className="cal-bar-title">{bar.title}</span>
              {bar.phases.map((phase) => (
                <span
                  key={phase.phase}
                  className="cal-bar-phase"
                  title={t(`timeline.phase.${phase.phase}`)}
                  style={{
                    left: `${((phase.column - bar.column) / bar.span) * 100}%`,
                    width: `${(phase.span / bar.span) * 100}%`,
                    background: PHASE_COLORS[phase.phase].progress,
                  }}
                />
              ))}
            </Link>
          ))}
        </div>
      ))}
    </section>
  );
}

function dayClass(day: CalendarDay): string {
  const classes = ["cal-day-bg"];
  if (!day.inMonth) classes.push("outside");
  if (day.weekend) classes.push("weekend");
  if (day.marks.holiday) classes.push("holiday");
  if (day.marks.workday) classes.push("workday");
  if (day.today) classes.push("today");
  return classes.join(" ");
}

function DayHeader({ day, column, compact }: { day: CalendarDay; column: number; compact: boolean }) {
  const { t } = useTranslation();
  const { holiday, workday, festivals } = day.marks;
  return (
    <div
      className={`cal-day${day.inMonth ? "" : " outside"}${day.today ? " today" : ""}`}
      style={{ gridColumn: column, gridRow: 1 }}
      data-date={day.date}
      data-holiday={holiday ?? undefined}
      data-workday={workday ?? undefined}
      data-festivals={festivals.length > 0 ? festivals.join(" ") : undefined}
    >
      <span className="cal-day-number">{Number(day.date.slice(8, 10))}</span>
      {holiday ? (
        <span className="cal-mark holiday" title={t("calendar.holidayMark", { name: holiday })}>
          {compact ? t("calendar.holidayShort") : t("calendar.holidayMark", { name: holiday })}
        </span>
      ) : null}
      {workday ? (
        <span className="cal-mark workday" title={t("calendar.workdayMark", { name: workday })}>
          {compact ? t("calendar.workdayShort") : t("calendar.workdayMark", { name: workday })}
        </span>
      ) : null}
      {festivals.map((festival) => (
        <span key={festival} className="cal-mark festival">
          {t(`calendar.festival.${festival}`)}
        </span>
      ))}
    </div>
  );
}
