import { useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LOCALES } from "~/domain/roles";
import { useRootData } from "~/root";
import { CsrfInput } from "./csrf";

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post" action="/locale" className="language-switch" aria-label={t("shell.language")}>
      <CsrfInput />
      {LOCALES.map((l) => (
        <button key={l} type="submit" name="locale" value={l} aria-pressed={l === locale} lang={l} className={l === locale ? "active" : ""}>
          {t(`language.${l}`)}
        </button>
      ))}
    </fetcher.Form>
  );
}
