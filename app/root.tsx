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

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesHref },
];

export const meta: MetaFunction = () => [{ title: "活动策划台 CampaignDesk" }];

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
