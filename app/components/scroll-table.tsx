import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A wide table's own scroll box: the page never scrolls sideways, the first column stays pinned
 * while the rest slides under it, and while columns are hidden to the right a hint says so —
 * on a phone a cut-off table otherwise looks complete.
 */
export function ScrollTable({ label, children, className, pinFirst = true }: { label: string; children: ReactNode; className?: string; pinFirst?: boolean }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setHidden(element.scrollLeft + element.clientWidth < element.scrollWidth - 2);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    element.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener("scroll", measure);
    };
  }, []);
  const classes = ["table-scroll", pinFirst ? "pin-first" : "", hidden ? "has-more" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <div className="table-scroll-wrap">
      {/* Focusable so a keyboard can scroll it; named so a screen reader knows what the region holds. */}
      <div ref={box} className={classes} role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
      {hidden ? (
        <p className="scroll-hint" aria-hidden>
          {t("layout.scrollHint")} →
        </p>
      ) : null}
    </div>
  );
}
