import { useSyncExternalStore } from "react";

/**
 * Whether the browser has a network. A Remix fetcher post that cannot reach the server
 * replaces the page with the error boundary, so forms that post in the background are
 * held while offline (their text stays where it was typed).
 */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine, () => true);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}
