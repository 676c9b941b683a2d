import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SectionKind } from "~/domain/plan-document";
import type { VersionView } from "~/services/history.server";
import { StaticSection } from "./static-section";

/**
 * A version's sections in its order, each marked by how it differs from now: narrative text as
 * the server rendered it (sanitized), a structured block's section as that block's rows.
 */
export function VersionSections({
  sections,
  kinds,
  renderBlock,
}: {
  sections: VersionView["sections"];
  kinds: Record<string, SectionKind>;
  renderBlock: (kind: Exclude<SectionKind, "richText">) => ReactNode;
}) {
  const { t } = useTranslation();
  if (sections.length === 0) return <p className="muted">{t("history.view.noSections")}</p>;
  return (
    <div className="version-sections">
      {sections.map((section) => {
        const kind = kinds[section.id] ?? "richText";
        return (
          <section
            key={`${section.change}-${section.id}`}
            className={`plan-section version-section section-${section.change}`}
            data-section-id={section.id}
            data-change={section.change}
            data-kind={kind}
          >
            <h3>
              {section.title}
              {section.change !== "same" ? (
                <span className={`change-badge change-${section.change}`}>
                  <span aria-hidden="true">{t(`history.view.marker.${section.change}`)}</span> {t(`history.view.change.${section.change}`)}
                </span>
              ) : null}
            </h3>
            {kind !== "richText" ? (
              renderBlock(kind)
            ) : section.html === "" ? (
              <p className="muted">{t("history.view.emptySection")}</p>
            ) : (
              <StaticSection html={section.html} />
            )}
          </section>
        );
      })}
    </div>
  );
}
