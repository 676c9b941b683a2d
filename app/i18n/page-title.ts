import { DEFAULT_LOCALE, LocaleSchema, type Locale } from "~/domain/roles";
import { resources } from "./resources";

export type PageTitleKey = Exclude<keyof (typeof resources)["zh-CN"]["translation"]["pageTitle"], "app" | "plan">;

/** What a meta function receives that matters here: the root route's loader data carries the member's locale. */
type MetaMatch = { id: string; data?: unknown };

/** The member's language from the root loader data; the default before anything loaded (an error page). */
export function localeOfMatches(matches: readonly MetaMatch[]): Locale {
  const root = matches.find((match) => match.id === "root")?.data;
  const parsed = LocaleSchema.safeParse(root && typeof root === "object" ? (root as { locale?: unknown }).locale : undefined);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
}

/** A refusal thrown by a loader (guards.server.ts) titles the page by what it says, not by the page it refused. */
function refusalTitle(error: unknown): PageTitleKey | null {
  const status = error && typeof error === "object" && "status" in error ? error.status : null;
  // A plan the member may not read answers 404 with code noAccess (requirePlan), and its page says so.
  const data = error && typeof error === "object" && "data" in error ? error.data : null;
  if (data && typeof data === "object" && "code" in data && data.code === "noAccess") return "noAccess";
  return status === 403 ? "noAccess" : status === 404 ? "notFound" : null;
}

/**
 * The document title in the member's language, most specific first: "实际对比 · 端午促销 · 活动策划台",
 * "Plans · CampaignDesk". A page about one plan passes `plan` (its title, or null while unknown) and
 * the meta function's `error`, so a refused plan reads "无访问权限 · 活动策划台".
 */
export function pageTitle(matches: readonly MetaMatch[], page: PageTitleKey | null, plan?: { title: string } | null, error?: unknown): { title: string }[] {
  const titles = resources[localeOfMatches(matches)].translation.pageTitle;
  const refused = refusalTitle(error);
  const parts = refused ? [titles[refused], titles.app] : [page === null ? null : titles[page], plan === undefined ? null : (plan?.title ?? titles.plan), titles.app];
  return [{ title: parts.filter((part) => part !== null).join(" · ") }];
}
