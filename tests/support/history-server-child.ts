// A server process for tests/integration/history-durability.test.ts: automatic versions after
// 100 ms of quiet, and a stdout line the moment one starts being written, so the test can
// SIGKILL the process in the middle of that write.
import { startServer } from "../../server/app";
import { parseEnv } from "../../server/env";

const server = await startServer(parseEnv(process.env), { collab: { unloadDelayMs: 60_000, versionIdleMs: 100, versionEveryMs: 60 * 60_000 } });
server.collab.events.on("versionWriting", (planId) => console.log(`version writing ${planId}`));
server.collab.events.on("versionWritten", (planId, id) => console.log(`version written ${planId} ${id}`));
console.log(`history server running at ${server.url}`);
