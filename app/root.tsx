import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { abilitiesOf } from "./domain/policy";
import { ErrorPanel } from "./components/error-panel";
import { useNonce } from "./components/nonce";
import { ZOD_JITLESS_SCRIPT } from "./lib/zod-csp";
import { useOfflineShell } from "./collab/offline-shell";
import stylesHref from "./styles/app.css";
import dialogsHref from "./styles/dialogs.css";
import { pageTitle } from "./i18n/page-title";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
  { rel: "stylesheet", href: stylesHref },
  { rel: "stylesheet", href: dialogsHref },
];

export const meta: MetaFunction = ({ matches, error }) => pageTitle(matches, null, undefined, error);

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.auth?.user;
  return {
    locale: context.locale,
    csrfToken: context.csrfToken,
    user: user ? { id: user.id, name: user.name, username: user.username, role: user.role, title: user.title } : null,
    abilities: abilitiesOf(context.auth?.actor ?? null),
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData(): RootData {
  const data = useRouteLoaderData<typeof loader>("root");
  if (!data) throw new Error("root data is missing");
  return data;
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "zh-CN";
  const { i18n } = useTranslation();
  const nonce = useNonce();
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Installed on a phone's home screen (public/manifest.webmanifest); iOS reads these instead of the manifest. */}
        <meta name="theme-color" content="#c8102e" />
        <meta name="mobile-web-app-capable" content="yes" />
        <meta name="apple-mobile-web-app-capable" content="yes" />
        <meta name="apple-mobile-web-app-title" content="策划台" />
        <meta name="apple-mobile-web-app-status-bar-style" content="default" />
        <Meta />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: ZOD_JITLESS_SCRIPT }} />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useOfflineShell(useRouteLoaderData<typeof loader>("root")?.user?.id ?? null);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error)) console.error(error);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <main className="centered-page">
      <ErrorPanel status={status} />
    </main>
  );
}
