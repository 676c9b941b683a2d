import { DEFAULT_LOCALE, LocaleSchema, type Locale } from "~/domain/roles";

/** Remembers the language of signed-out visitors; a member's choice lives on the member. */
export const LOCALE_COOKIE = "cd_lng";

export function pickLocale(memberLocale: string | undefined, cookieLocale: string | undefined): Locale {
  for (const candidate of [memberLocale, cookieLocale]) {
    const parsed = LocaleSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return DEFAULT_LOCALE;
}
