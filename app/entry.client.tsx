import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { LocaleSchema } from "./domain/roles";
import { createI18n } from "./i18n/i18n";

// The server rendered in <html lang>; start the browser in the same language.
const locale = LocaleSchema.catch("zh-CN").parse(document.documentElement.lang);
const i18n = createI18n(locale);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <RemixBrowser />
      </I18nextProvider>
    </StrictMode>,
  );
});
