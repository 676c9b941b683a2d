import type { Actor } from "./domain/policy";
import type { Locale } from "./domain/roles";
import type { Db } from "../db/client";
import type { User } from "../db/schema";

/** What routes may ask of the collaboration server (implemented in server/collab). */
export interface CollabControl {
  /** The plan's document, live if loaded, else as stored; `stored`: only once every applied update is durably stored. */
  documentState(planId: string, options?: { stored?: boolean }): Promise<Uint8Array>;
  closeMemberSockets(userId: number, code: number, reason: string, planId?: string): void;
  closeSessionSockets(sessionIdHash: string): void;
  /** Re-judge every client of a plan after its access or lock state changed. */
  planChanged(planId: string): Promise<void>;
}

export interface Auth {
  sessionIdHash: string;
  user: User;
  actor: Actor;
}

/** What the server hands every loader and action, resolved once per request. */
export interface CampaignDeskContext {
  db: Db;
  collab: CollabControl;
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
