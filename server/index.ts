import { EnvError, parseEnv } from "./env";
import { startServer } from "./app";

try {
  const env = parseEnv(process.env);
  const server = await startServer(env);
  console.log(`CampaignDesk 活动策划台 is running at ${server.url}`);
  const stop = (signal: string) => {
    console.log(`${signal}: shutting down…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
} catch (error) {
  if (error instanceof EnvError) console.error(error.message);
  else console.error("CampaignDesk failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
}
