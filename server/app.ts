import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";
import type { Migration } from "kysely";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { createDb, type Db } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { getOrCreateSetting } from "../db/queries/settings";
import { deleteExpiredSessions } from "../db/queries/sessions";
import { releaseOrphanedBudgetLocks } from "../db/queries/approvals";
import type { Env } from "./env";
import { createHttpApp } from "./http";
import { createShutdown } from "./shutdown";
import { seedDemo, seedDemoApprovals } from "./demo-seed";
import { CollabServer, type CollabOptions } from "./collab/collab-server";
import { ExportJobs } from "./exports/export-jobs";
import { OutboxWorker } from "./outbound/outbox-worker";
import { clientIpOf, trustFunction } from "./client-ip";
import { startReminderScheduler, type ReminderOptions, type ReminderScheduler } from "./approvals/reminder-scheduler";

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  collab: CollabServer;
  exports: ExportJobs;
  reminders: ReminderScheduler;
  close: () => Promise<void>;
}

export interface StartOptions {
  /** Replaces the migration index; tests use it to prove a failing migration changes nothing. */
  migrations?: Record<string, Migration>;
  buildPath?: string;
  /** Collaboration tuning; tests shorten the unload delay. */
  collab?: Partial<
    Pick<
      CollabOptions,
      "unloadDelayMs" | "maxMessageBytes" | "maxDocumentBytes" | "snapshotEvery" | "maxConnections" | "maxConnectionsPerIp" | "maxConnectionsPerMember" | "versionIdleMs" | "versionEveryMs"
    >
  >;
  /** Request timeouts; tests shorten them to watch a slow client being cut off. */
  http?: { headersTimeoutMs?: number; requestTimeoutMs?: number };
  /** Outbox worker tuning; tests poll often, shorten the back-off, or keep the worker stopped to crash "before the send". */
  outbound?: { pollMs?: number; backoffMs?: number[]; now?: () => number; disabled?: boolean };
  log?: (message: string, error?: unknown) => void;
  /** Overdue approval reminders; tests shorten the interval and inject the clock. */
  reminders?: ReminderOptions;
}

export const HEADERS_TIMEOUT_MS = 10_000;
/** Time to receive a whole request, body included: a 5 MB workbook at 2 Mbit/s still fits. */
export const REQUEST_TIMEOUT_MS = 30_000;

const defaultLog = (message: string, error?: unknown) => {
  if (error) console.error(message, error);
  else console.log(message);
};

export async function startServer(env: Env, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? defaultLog;
  const db = createDb(env.DATABASE_PATH);
  try {
    await migrateToLatest(db, options.migrations);
    const secret = env.SESSION_SECRET ?? (await getOrCreateSetting(db, "sessionSecret", randomBytes(32).toString("base64url")));
    const seeded = env.SEED_DEMO && (await seedDemo(db));
    if (seeded) log("Seeded the demo workspace (see README for the demo members).");
    await deleteExpiredSessions(db, Date.now());
    const released = await releaseOrphanedBudgetLocks(db, Date.now());
    if (released.length > 0) log(`Released the budget lock of ${released.length} plan(s) whose submission did not complete: ${released.join(", ")}`);

    const build = await loadBuild(options.buildPath ?? "build/index.js");
    let origins: readonly string[] = env.ALLOWED_ORIGINS;
    const trustProxy = trustFunction(env.TRUST_PROXY);
    const collab = new CollabServer({
      db,
      allowedOrigins: () => origins,
      clientIp: (request) => clientIpOf(request, trustProxy),
      maxConnections: env.COLLAB_MAX_CONNECTIONS,
      maxConnectionsPerIp: env.COLLAB_MAX_CONNECTIONS_PER_IP,
      log,
      ...options.collab,
    });
    if (seeded) await seedDemoApprovals({ db, collab });
    const exports = new ExportJobs({ databasePath: env.DATABASE_PATH, log });
    let publicUrl = env.PUBLIC_URL ?? env.ALLOWED_ORIGINS[0] ?? "";
    const outbox = new OutboxWorker({
      db,
      allowedHosts: env.OUTBOUND_ALLOWED_HOSTS,
      publicUrl: () => publicUrl,
      smtpUrl: env.SMTP_URL,
      pollMs: options.outbound?.pollMs,
      backoffMs: options.outbound?.backoffMs,
      now: options.outbound?.now,
      log,
    });
    const app = createHttpApp({
      build,
      mode: env.NODE_ENV,
      db,
      collab,
      exports,
      outbound: { allowedHosts: env.OUTBOUND_ALLOWED_HOSTS, smtpFromEnv: env.SMTP_URL !== undefined, wake: () => outbox.wake() },
      secret,
      allowedOrigins: () => origins,
      trustProxy,
      attachmentsDir: join(dirname(resolve(env.DATABASE_PATH)), "attachments"),
      log,
    });
    // A client that trickles its headers or body ties up a socket; Node's defaults wait 60 s
    // for headers and 300 s for the whole request, checked only every 30 s.
    const httpServer = createServer(
      {
        headersTimeout: options.http?.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
        requestTimeout: options.http?.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      app,
    );
    httpServer.listen(env.PORT, env.HOST);
    httpServer.on("upgrade", (request, socket, head) => collab.handleUpgrade(request, socket, head));
    await new Promise<void>((ok, fail) => {
      httpServer.once("listening", ok);
      httpServer.once("error", fail);
    });
    const port = (httpServer.address() as AddressInfo).port;
    if (origins.length === 0) origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    publicUrl ||= origins[0]!;
    if (!options.outbound?.disabled) await outbox.start();
    if (env.NODE_ENV === "development") await broadcastDevReady(build);
    const reminders = startReminderScheduler(db, { ...options.reminders, log });
    const shutdown = createShutdown({ httpServer, collab, exports, outbox, db });
    const close = async () => {
      await reminders.stop();
      await shutdown();
    };
    return { url: `http://localhost:${port}`, port, db, collab, exports, reminders, close };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function loadBuild(path: string): Promise<ServerBuild> {
  try {
    return (await import(pathToFileURL(resolve(path)).href)) as ServerBuild;
  } catch (error) {
    throw new Error(`Cannot load the Remix build at ${path}: run \`npm run build\` first.`, { cause: error });
  }
}
