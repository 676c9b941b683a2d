import { useTranslation } from "react-i18next";

export const AREAS = ["calendar"] as const;
export type Area = (typeof AREAS)[number];

/** Heading, introduction and empty state of a workspace area. */
export function AreaPage({ area }: { area: Area }) {
  const { t } = useTranslation();
  return (
    <section>
      <header className="page-header">
        <h1>{t(`${area}.heading`)}</h1>
        <p className="muted">{t(`${area}.intro`)}</p>
      </header>
      <div className="empty-state">
        <p>{t(`${area}.empty`)}</p>
      </div>
    </section>
  );
}
