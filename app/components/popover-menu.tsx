import { useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A button and the panel it opens, built on the browser's popover: it opens before the page
 * hydrates (popovertarget needs no script), and the browser closes it on Esc and on a tap
 * outside (light dismiss). Where a layout shows the panel inline (a wide screen), CSS renders it
 * with `display: contents` and hides the button.
 */
export function PopoverMenu({
  id,
  className,
  buttonClassName,
  buttonLabel,
  buttonTitle,
  children,
}: {
  id: string;
  className: string;
  buttonClassName: string;
  buttonLabel: ReactNode;
  /** The button's accessible name when its visible label is not enough (a count beside it). */
  buttonTitle?: string;
  children: ReactNode;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const { key } = useLocation();
  useEffect(() => {
    const element = panel.current;
    if (!element) return;
    const onToggle = (event: Event) => setOpen((event as ToggleEvent).newState === "open");
    element.addEventListener("toggle", onToggle);
    return () => element.removeEventListener("toggle", onToggle);
  }, []);
  // A navigation (a link, or a form's redirect) leaves the menu behind: close it.
  useEffect(() => {
    const element = panel.current;
    if (element && typeof element.hidePopover === "function" && element.matches(":popover-open")) element.hidePopover();
  }, [key]);
  const closeAfterLink = (event: React.MouseEvent) => {
    const element = panel.current;
    // A download or a same-page link does not navigate, and the open menu would hide what it did.
    if (element && (event.target as Element).closest("a[href]") && typeof element.hidePopover === "function" && element.matches(":popover-open")) element.hidePopover();
  };
  // React 18 does not know the popover attributes; lowercase unknown attributes reach the DOM as written.
  const popover = { popover: "auto" } as object;
  const target = { popovertarget: id } as object;
  return (
    <>
      <button type="button" className={buttonClassName} aria-expanded={open} aria-controls={id} aria-label={buttonTitle} {...target}>
        {buttonLabel}
      </button>
      {/* Clicks bubble up from the links inside; the panel itself is not interactive. */}
      <div ref={panel} id={id} className={className} onClick={closeAfterLink} {...popover}>
        {children}
      </div>
    </>
  );
}
