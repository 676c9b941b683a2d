import type { Server } from "node:http";
import type { Db } from "../db/client";

/**
 * One idempotent shutdown: stop accepting, stop export workers and delete their files,
 * close sockets and store every open document, then close the database.
 */
export function createShutdown(parts: { httpServer: Server; collab: { close(): Promise<void> }; exports: { close(): Promise<void> }; db: Db }): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= (async () => {
      const closed = new Promise<void>((resolve) => parts.httpServer.close(() => resolve()));
      await parts.exports.close();
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
