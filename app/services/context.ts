import type { Readable } from "node:stream";
import type * as Y from "yjs";
import type { Actor } from "~/domain/policy";
import type { PortfolioFilter } from "~/domain/portfolio";
import type { Locale } from "~/domain/roles";
import type { Db } from "../../db/client";
import type { User } from "../../db/schema";

/** What routes may ask of the collaboration server (implemented in server/collab). */
export interface CollabControl {
  /** The plan's document, live if loaded, else as stored; `stored`: only once every applied update is durably stored. */
  documentState(planId: string, options?: { stored?: boolean }): Promise<Uint8Array>;
  closeMemberSockets(userId: number, code: number, reason: string, planId?: string): void;
  closeSessionSockets(sessionIdHash: string): void;
  /** Re-judge every client of a plan after its access or lock state changed. */
  planChanged(planId: string): Promise<void>;
  /** Resolves once the projection (which exports read) holds every change applied to the plan so far. */
  projectionCurrent(planId: string): Promise<void>;
  /** Change a plan's content through its live document on a member's behalf; resolves once stored and sent to every client. */
  applyServerChange<T>(planId: string, actorId: number, change: (doc: Y.Doc) => T): Promise<T>;
  /**
   * A version point (版本历史): hands `write` the plan's stored document (or `options.state`,
   * one read earlier) and the members who edited since the last version point; once `write`
   * resolves, that state counts as the plan's last version for automatic versioning.
   */
  versionPoint<T>(planId: string, write: (point: VersionPoint) => Promise<T>, options?: { state?: Uint8Array }): Promise<T>;
}

export interface VersionPoint {
  state: Uint8Array;
  authors: number[];
}

export type ExportJobState = "running" | "done" | "failed";

export interface ExportJobView {
  id: string;
  state: ExportJobState;
  /** Plan rows written so far, of `total`: each plan is written once to each of the two sheets. */
  done: number;
  total: number;
  fileName: string;
  /** The worker thread building the file; null until it reports. */
  threadId: number | null;
}

export type ExportStart = { ok: true; job: ExportJobView } | { ok: false; code: "memberBusy"; job: ExportJobView } | { ok: false; code: "serverBusy" };

/** A finished plan workbook, opened for reading (its file is already deleted). */
export interface PlanWorkbookFile {
  size: number;
  stream: Readable;
}

/** Long exports, built off the event loop (implemented in server/exports). A member sees only their own jobs. */
export interface ExportControl {
  startPortfolio(memberId: number, request: { filter: PortfolioFilter; locale: Locale; fileName: string }): ExportStart;
  job(memberId: number, jobId: string): ExportJobView | null;
  /** The member's newest job, if one is running or its file is still kept. */
  latest(memberId: number): ExportJobView | null;
  /** The finished file of a done job. */
  file(memberId: number, jobId: string): { path: string; fileName: string } | null;
  /** A plan's workbook of its draft, or of an approved revision's snapshot; large ones are built in a worker thread. */
  planWorkbook(request: { planId: string; budget: { kind: "draft" } | { kind: "approved"; revisionId: number }; exportedAt: number }): Promise<PlanWorkbookFile>;
}

/** Outbound notifications (implemented by server/outbound): what routes need to check targets and send now. */
export interface OutboundControl {
  /** OUTBOUND_ALLOWED_HOSTS: webhook hosts allowed besides the platforms' own. */
  allowedHosts: readonly string[];
  /** SMTP_URL is set: the server's environment, not the admin page, says which SMTP server to use. */
  smtpFromEnv: boolean;
  /** Asks the outbox worker to look for due messages now rather than at its next poll. */
  wake(): void;
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
  exports: ExportControl;
  outbound: OutboundControl;
  auth: Auth | null;
  locale: Locale;
  csrfToken: string;
  /** This response's Content-Security-Policy nonce, for the inline scripts Remix renders. */
  cspNonce: string;
  /** A `?_data=` request (client navigation or fetcher); Remix strips the flag from `request.url`. */
  dataRequest: boolean;
  secureCookies: boolean;
  clientIp: string;
  /** Where invoice attachments are stored: a folder beside the SQLite file. */
  attachmentsDir: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends CampaignDeskContext {}
}
