import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FestivalSuggestion } from "~/domain/campaign-calendar";

/** Upcoming festivals without a plan, each with the templates to create one from. */
export function CalendarSuggestions({ suggestions, days }: { suggestions: FestivalSuggestion[]; days: number }) {
  const { t } = useTranslation();
  return (
    <aside className="card cal-suggestions" aria-labelledby="cal-suggestions-heading">
      <h2 id="cal-suggestions-heading">{t("calendar.suggestions.heading")}</h2>
      <p className="muted">{t("calendar.suggestions.intro", { days })}</p>
      {suggestions.length === 0 ? (
        <p>{t("calendar.suggestions.none", { days })}</p>
      ) : (
        <ul>
          {suggestions.map((suggestion) => {
            const festival = t(`calendar.festival.${suggestion.festival}`);
            return (
              <li key={`${suggestion.festival}-${suggestion.date}`} data-festival={suggestion.festival} data-date={suggestion.date}>
                <span className="cal-suggestion-when">
                  {suggestion.daysAway === 0
                    ? t("calendar.suggestions.today", { festival, date: suggestion.date })
                    : t("calendar.suggestions.when", { festival, count: suggestion.daysAway, date: suggestion.date })}
                </span>
                {suggestion.templates.map((template) => (
                  <Link key={template.id} to={template.createUrl} className="cal-suggestion-link" data-template={template.id}>
                    {t("calendar.suggestions.use", { template: template.name })}
                  </Link>
                ))}
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}
