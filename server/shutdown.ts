import type { Server } from "node:http";
import type { Db } from "../db/client";
import { closeStreams } from "~/services/live-bus.server";

/**
 * One idempotent shutdown: stop accepting, stop export workers and delete their files, stop
 * the outbox worker (a send cut short is sent again at the next start),
 * close sockets and store every open document, then close the database.
 */
export function createShutdown(parts: {
  httpServer: Server;
  collab: { close(): Promise<void> };
  exports: { close(): Promise<void> };
  outbox: { close(): Promise<void> };
  db: Db;
}): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= (async () => {
      const closed = new Promise<void>((resolve) => parts.httpServer.close(() => resolve()));
      // Live streams never finish on their own: end them so their connections can close now.
      closeStreams(parts.db);
      await parts.exports.close();
      await parts.outbox.close();
      await parts.collab.close();
      parts.httpServer.closeIdleConnections();
      // Give in-flight requests a moment to finish before cutting them off.
      const force = setTimeout(() => parts.httpServer.closeAllConnections(), 2000);
      await closed;
      clearTimeout(force);
      await parts.db.destroy();
    })();
    return done;
  };
}
