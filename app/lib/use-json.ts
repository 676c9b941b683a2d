import { useFetchers, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * JSON a page reads in the background (comment threads, the mention directory, the bell's
 * list). Not a Remix fetcher: a fetcher's failed load replaces the whole page with the error
 * boundary, and these loads fail whenever the network drops while a plan is edited offline.
 * A failed load keeps the last answer. Hooks asking for the same address share one request
 * and one answer; every one reloads once the page's form submissions settle, as Remix
 * revalidates its own loaders after an action.
 */

interface Entry {
  data: unknown;
  failed: boolean;
  inFlight: Promise<void> | null;
  listeners: Set<() => void>;
}

const entries = new Map<string, Entry>();

function entryFor(url: string): Entry {
  let entry = entries.get(url);
  if (!entry) entries.set(url, (entry = { data: undefined, failed: false, inFlight: null, listeners: new Set() }));
  return entry;
}

function load(url: string): Promise<void> {
  const entry = entryFor(url);
  if (entry.inFlight) return entry.inFlight;
  const settle = (data: unknown, failed: boolean) => {
    if (!failed) entry.data = data;
    entry.failed = failed;
    entry.inFlight = null;
    for (const listener of entry.listeners) listener();
  };
  entry.inFlight = fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
    .then(async (response) => (response.ok ? settle(await response.json(), false) : settle(undefined, true)))
    .catch(() => settle(undefined, true));
  return entry.inFlight;
}

export function useJson<T>(url: string | null, accept: (raw: unknown) => raw is T): { data: T | null; failed: boolean; reload: () => void } {
  // The shared entry changes in place; each of its notifications re-renders this hook.
  const [, rerender] = useState(0);
  useEffect(() => {
    if (url === null) return;
    const entry = entryFor(url);
    const listener = () => rerender((n) => n + 1);
    entry.listeners.add(listener);
    if (entry.data === undefined && !entry.inFlight) void load(url);
    return () => {
      entry.listeners.delete(listener);
    };
  }, [url]);

  const reload = useCallback(() => {
    if (url !== null) void load(url);
  }, [url]);

  const fetchers = useFetchers();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" || fetchers.some((fetcher) => fetcher.state === "submitting");
  const wasSubmitting = useRef(false);
  useEffect(() => {
    if (wasSubmitting.current && !submitting) reload();
    wasSubmitting.current = submitting;
  }, [submitting, reload]);

  const entry = url === null ? undefined : entries.get(url);
  const raw = entry?.data;
  return { data: accept(raw) ? raw : null, failed: entry?.failed ?? false, reload };
}
