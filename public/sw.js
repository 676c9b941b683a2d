/**
 * CampaignDesk's service worker: a plan page the member opened reloads without a network.
 *
 * - /build/ assets (content-hashed, so never stale) and the favicon: cache first.
 * - A plan page (/plans/<id>, a navigation): network first; the cached copy only when the
 *   network fails. A page enters the cache only when the page itself asks (app/collab/
 *   offline-shell.ts, "keepPage", which names the signed-in member); a navigation then keeps
 *   that copy fresh. Each member's pages live in their own cache, and a message naming a
 *   member deletes every other member's.
 * - Any other navigation goes to the network; when that fails, the offline page (public/offline.html,
 *   precached on install) answers instead of the browser's error page. It is never stored.
 * - Everything else (POSTs, exports, `?_data` requests, the websocket) passes straight to the
 *   network and is never stored.
 * - The shell cache's name carries a version: on activate, every cache of ours that is neither the
 *   current shell nor a member's pages is deleted (old builds' assets).
 * Signing out clears all of it (Clear-Site-Data on the logout response).
 */

const SHELL_CACHE = "campaigndesk-shell-v2";
const PAGES_PREFIX = "campaigndesk-pages-";
const PLAN_PAGE = /^\/plans\/[^/]+$/;
const OFFLINE_PAGE = "/offline.html";
const PRECACHE = [OFFLINE_PAGE, "/favicon.svg", "/icons/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // The page that registered the worker is served by it from now on, without a reload.
  event.waitUntil(pruneOldCaches().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/build/") || url.pathname.startsWith("/icons/") || url.pathname === "/favicon.svg") {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" && url.search === "" && PLAN_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data;
  const reply = (ok) => event.ports[0]?.postMessage({ ok });
  if (message?.type === "member" && Number.isInteger(message.memberId)) {
    event.waitUntil(forgetOtherMembers(message.memberId).then(() => reply(true), () => reply(false)));
  } else if (message?.type === "keepPage" && Number.isInteger(message.memberId) && typeof message.url === "string") {
    event.waitUntil(keepPage(message.memberId, message.url, Array.isArray(message.assets) ? message.assets : []).then(reply, () => reply(false)));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE }).catch(() => undefined);
  if (cached) return cached;
  const response = await fetch(request);
  // Storing is a bonus: the response is served even when the cache is gone (signing out clears it mid-request).
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    await caches
      .open(SHELL_CACHE)
      .then((cache) => cache.put(request, copy))
      .catch(() => undefined);
  }
  return response;
}

async function networkFirst(request) {
  const cacheName = await pagesCacheHolding(request.url);
  try {
    const response = await fetch(request);
    // A redirect (to /login when the session ended) or an error page is never kept.
    if (cacheName && response.ok && response.type === "basic" && !response.redirected) {
      const cache = await caches.open(cacheName);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    const cached = cacheName ? await (await caches.open(cacheName)).match(request.url, { ignoreVary: true }) : undefined;
    if (cached) return cached;
    return offlinePage(error);
  }
}

/** The offline page for a navigation the network could not answer; the browser's own error when even that is gone. */
async function offlinePage(error) {
  const page = await caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE }).catch(() => undefined);
  if (page) return page;
  throw error;
}

async function pruneOldCaches() {
  const names = await caches.keys();
  const ours = (name) => name.startsWith("campaigndesk-");
  const kept = (name) => name === SHELL_CACHE || name.startsWith(PAGES_PREFIX);
  await Promise.all(names.filter((name) => ours(name) && !kept(name)).map((name) => caches.delete(name)));
}

/** The member's cache that already holds this page, if any: only pages a member kept are refreshed. */
async function pagesCacheHolding(url) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES_PREFIX) && (await (await caches.open(name)).match(url, { ignoreVary: true }))) return name;
  }
  return null;
}

async function forgetOtherMembers(memberId) {
  const own = `${PAGES_PREFIX}${memberId}`;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(PAGES_PREFIX) && name !== own).map((name) => caches.delete(name)));
}

/** Stores a plan page for the member and the assets it runs on; true when both are in the cache. */
async function keepPage(memberId, path, assets) {
  const url = new URL(path, self.location.origin);
  if (url.origin !== self.location.origin || !PLAN_PAGE.test(url.pathname)) return false;
  await forgetOtherMembers(memberId);
  const pages = await caches.open(`${PAGES_PREFIX}${memberId}`);
  // Fetched again even when kept: a page opened by a client-side navigation was never fetched
  // as a document, and a kept one may hold old loader data.
  let stored = false;
  try {
    const response = await fetch(url.href, { credentials: "same-origin" });
    if (response.ok && !response.redirected) {
      await pages.put(url.href, response);
      stored = true;
    }
  } catch {
    // Offline: the copy kept earlier, if any, still serves.
  }
  if (!stored && !(await pages.match(url.href, { ignoreVary: true }))) return false;
  const shell = await caches.open(SHELL_CACHE);
  const wanted = [...new Set([...assets, "/favicon.svg"])]
    .map((asset) => new URL(asset, self.location.origin))
    .filter((asset) => asset.origin === self.location.origin && (asset.pathname.startsWith("/build/") || asset.pathname === "/favicon.svg"));
  const missing = [];
  for (const asset of wanted) if (!(await shell.match(asset.href))) missing.push(asset.href);
  await shell.addAll(missing);
  return true;
}
