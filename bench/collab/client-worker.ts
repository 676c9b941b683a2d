/**
 * A benchmark client process: real y-websocket providers (the same package the app's
 * browsers use), driven by IPC from the driver. It makes Poisson-timed edits and records,
 * on the machine's monotonic clock, when each of its edits was made and when each remote
 * update was integrated, so the driver can compute latency to every peer.
 */
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { fingerprint, randomEdit, seeded, stateVectorOf } from "./doc-ops";
import { openProvider } from "./provider";
import type { Arrival, ClientSpec, DriverMessage, LoadSpec, SentEdit, WorkerMessage } from "./protocol";

interface Client {
  spec: ClientSpec;
  doc: Y.Doc;
  provider: WebsocketProvider;
}

// Every y-websocket provider in Node adds a process "exit" listener; dozens share this process.
process.setMaxListeners(0);

const clients: Client[] = [];
const sent: SentEdit[] = [];
const arrivals: Arrival[] = [];
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

function reply(message: WorkerMessage): void {
  process.send!(message);
}

async function connect(spec: ClientSpec): Promise<{ client: Client; joinMs: number }> {
  const started = nowMicros();
  const doc = new Y.Doc();
  // Yjs compares the state vectors around every transaction anyway; decoding each update again would load the client.
  doc.on("afterTransaction", (transaction: Y.Transaction) => {
    if (transaction.origin !== provider) return;
    const at = nowMicros();
    for (const [client, clock] of transaction.afterState) {
      if (clock !== transaction.beforeState.get(client)) arrivals.push({ receiver: spec.index, client, clock, at });
    }
  });
  const { provider, synced } = openProvider(spec, doc);
  await synced;
  return { client: { spec, doc, provider }, joinMs: (nowMicros() - started) / 1000 };
}

function poisson(random: () => number, rate: number): number {
  return (-Math.log(1 - random()) / rate) * 1000;
}

async function runLoad(load: LoadSpec): Promise<void> {
  const end = Date.now() + load.durationMs;
  await Promise.all(
    clients.map(async (client) => {
      const random = seeded(load.seed * 7919 + client.spec.index);
      // Clients start out of phase, as real editors do.
      await sleep(random() * (1000 / load.rate));
      while (Date.now() < end) {
        const before = Y.getState(client.doc.store, client.doc.clientID);
        const { cursor } = randomEdit(client.doc, random);
        const clock = Y.getState(client.doc.store, client.doc.clientID);
        // An edit that wrote the value already there changed nothing and sent nothing.
        if (clock > before) sent.push({ client: client.doc.clientID, clock, room: client.spec.room, at: nowMicros() });
        client.provider.awareness.setLocalStateField("cursor", cursor);
        await sleep(poisson(random, load.rate));
      }
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

process.on("message", (message: DriverMessage) => {
  void handle(message).catch((error: unknown) => reply({ type: "failed", error: error instanceof Error ? error.stack ?? error.message : String(error) }));
});

async function handle(message: DriverMessage): Promise<void> {
  switch (message.type) {
    case "connect": {
      const joined = await Promise.all(message.clients.map(connect));
      for (const { client } of joined) {
        client.provider.awareness.setLocalStateField("user", { name: `bench-${client.spec.index}` });
        clients.push(client);
      }
      return reply({ type: "connected", joinMs: joined.map((j) => j.joinMs), clientIds: joined.map((j) => j.client.doc.clientID) });
    }
    case "start":
      await runLoad(message.load);
      return reply({ type: "finished" });
    case "fingerprints":
      return reply({
        type: "fingerprints",
        fingerprints: clients.map(({ spec, doc }) => ({ room: spec.room, receiver: spec.index, hash: fingerprint(doc), stateVector: stateVectorOf(doc) })),
      });
    case "results":
      return reply({ type: "results", sent, arrivals });
    case "close":
      for (const { provider, doc } of clients) {
        provider.destroy();
        doc.destroy();
      }
      clients.length = 0;
      reply({ type: "closed" });
      return process.disconnect();
  }
}
