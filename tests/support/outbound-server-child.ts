// A server process for tests/integration/outbound.test.ts's SIGKILL case: OUTBOX_WORKER=off
// keeps the outbox worker stopped, so a committed notification is certainly not sent before
// the test kills the process; the restart (worker on) must send it exactly once.
import { startServer } from "../../server/app";
import { parseEnv } from "../../server/env";

const server = await startServer(parseEnv(process.env), { outbound: { pollMs: 50, backoffMs: [100], disabled: process.env.OUTBOX_WORKER === "off" } });
console.log(`outbound server running at ${server.url}`);
