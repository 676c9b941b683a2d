/**
 * Returns `to` only if it is a path on this site; anything that could leave the site
 * (`//host`, `/\host`, absolute URLs, control characters) becomes `fallback`.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  try {
    const base = "http://campaigndesk.invalid";
    const url = new URL(to, base);
    if (url.origin !== base) return fallback;
    // Dot segments are resolved only now (`/.//evil.example` → `//evil.example`), so the
    // normalized path must pass the same test again: a browser reads `//host` as another site.
    if (url.pathname.startsWith("//")) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
