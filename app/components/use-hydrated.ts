import { useEffect, useState } from "react";

/** True once React runs in the browser: the explicit submit buttons are for pages without JavaScript. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
