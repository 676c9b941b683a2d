import { useEffect, useState } from "react";
import { deleteOfflineCopies } from "./offline-copy";

/** Messages the service worker (public/sw.js) understands. */
type WorkerMessage =
  | { type: "member"; memberId: number }
  | { type: "keepPage"; memberId: number; url: string; assets: string[] };

/**
 * For a signed-in member: registers the service worker that serves the app shell and the
 * plan pages they opened while offline, and removes what other members left in this browser
 * (their offline copies and cached pages). Nothing runs for a signed-out visitor, so the
 * login page caches nothing.
 */
export function useOfflineShell(memberId: number | null): void {
  useEffect(() => {
    if (memberId === null) return;
    deleteOfflineCopies(memberId).catch((error: unknown) => console.warn("offline copies: could not delete other members' copies", error));
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker
        .register("/sw.js", { scope: "/" })
        .then(() => tell({ type: "member", memberId }))
        .catch((error: unknown) => console.warn("service worker: registration failed", error));
    }
  }, [memberId]);
}

/**
 * Keeps the plan page open now (and the scripts and styles it runs on) for an offline
 * reload. True once the service worker has stored them; false where there is none.
 */
export function useOfflinePage(memberId: number | null): boolean {
  const [kept, setKept] = useState(false);
  useEffect(() => {
    if (memberId === null || !("serviceWorker" in navigator)) return;
    let cancelled = false;
    const url = window.location.pathname;
    tell({ type: "keepPage", memberId, url, assets: loadedAssets() })
      .then((ok) => {
        if (!cancelled) setKept(ok);
      })
      .catch((error: unknown) => console.warn(`service worker: could not keep ${url}`, error));
    return () => {
      cancelled = true;
    };
  }, [memberId]);
  return kept;
}

/** The built scripts and styles this page loaded: the page is kept together with what it needs. */
function loadedAssets(): string[] {
  const urls = new Set<string>();
  for (const entry of performance.getEntriesByType("resource")) urls.add(entry.name);
  for (const element of document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>("link[href], script[src]")) {
    urls.add("href" in element ? element.href : element.src);
  }
  return [...urls].filter((url) => {
    const parsed = new URL(url, window.location.href);
    return parsed.origin === window.location.origin && parsed.pathname.startsWith("/build/");
  });
}

/** Posts to the active worker (once there is one) and resolves with its answer. */
async function tell(message: WorkerMessage): Promise<boolean> {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return false;
  const channel = new MessageChannel();
  const answer = new Promise<boolean>((resolve) => {
    channel.port1.onmessage = (event: MessageEvent<{ ok?: boolean }>) => resolve(event.data.ok === true);
  });
  worker.postMessage(message, [channel.port2]);
  return answer;
}
