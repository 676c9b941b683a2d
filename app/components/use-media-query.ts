import { useSyncExternalStore } from "react";

/** Phones: the width up to which the budget is shown read-only. */
export const PHONE_QUERY = "(max-width: 600px)";

/**
 * Whether a CSS media query matches, following it as the window resizes. The server and the
 * first client render answer false (the desktop layout), so hydration matches the HTML.
 */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
