import type { Actor } from "./domain/policy";
import type { Locale } from "./domain/roles";
import type { Db } from "../db/client";
import type { User } from "../db/schema";

export interface Auth {
  sessionIdHash: string;
  user: User;
  actor: Actor;
}

/** What the server hands every loader and action, resolved once per request. */
export interface CampaignDeskContext {
  db: Db;
  auth: Auth | null;
  locale: Locale;
  csrfToken: string;
  /** A `?_data=` request (client navigation or fetcher); Remix strips the flag from `request.url`. */
  dataRequest: boolean;
  secureCookies: boolean;
  clientIp: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends CampaignDeskContext {}
}
