import { startServer, type RunningServer, type StartOptions } from "../../server/app";
import { parseEnv } from "../../server/env";
import { freshDbPath } from "./db";

export interface TestServer extends RunningServer {
  dbPath: string;
  /** Errors the server logged; tests that expect none assert on this. */
  loggedErrors: unknown[];
}

/** The real server (production Remix build, real SQLite file) on a free port. */
export async function startTestServer(
  options: { dbPath?: string; seedDemo?: boolean; env?: Record<string, string> } & Pick<StartOptions, "migrations" | "collab" | "http" | "reminders" | "outbound"> = {},
): Promise<TestServer> {
  const dbPath = options.dbPath ?? freshDbPath();
  const loggedErrors: unknown[] = [];
  const env = parseEnv({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_PATH: dbPath,
    SEED_DEMO: options.seedDemo === false ? "false" : "true",
    ...options.env,
  });
  const server = await startServer(env, {
    migrations: options.migrations,
    collab: options.collab,
    http: options.http,
    reminders: options.reminders,
    outbound: options.outbound,
    log: (message, error) => {
      if (error) loggedErrors.push(error);
    },
  });
  return { ...server, url: `http://127.0.0.1:${server.port}`, dbPath, loggedErrors };
}
