/** Messages between the benchmark driver and its client worker processes (over Node IPC). */

export interface ClientSpec {
  /** The client's number in the whole run: names it in arrivals and fingerprints. */
  index: number;
  /** y-websocket server URL without the room, e.g. ws://127.0.0.1:3400/collab */
  serverUrl: string;
  room: string;
  /** `name=value` session cookie, or "" for the reference server. */
  cookie: string;
  origin: string;
}

export interface LoadSpec {
  /** Edits per second per client (Poisson). */
  rate: number;
  durationMs: number;
  seed: number;
}

export type DriverMessage =
  | { type: "connect"; clients: ClientSpec[] }
  | { type: "start"; load: LoadSpec }
  | { type: "fingerprints" }
  | { type: "results" }
  | { type: "close" };

/** One local edit: the client's Yjs id and its clock after the edit, stamped with the monotonic clock. */
export interface SentEdit {
  client: number;
  clock: number;
  room: string;
  /** process.hrtime in µs (CLOCK_MONOTONIC: comparable across processes on one machine). */
  at: number;
}

/** A client integrated a remote update bringing `client` up to `clock`. */
export interface Arrival {
  receiver: number;
  client: number;
  clock: number;
  at: number;
}

export interface Fingerprint {
  room: string;
  receiver: number;
  hash: string;
  stateVector: Record<number, number>;
}

export type WorkerMessage =
  | { type: "connected"; joinMs: number[]; clientIds: number[] }
  | { type: "failed"; error: string }
  | { type: "finished" }
  | { type: "fingerprints"; fingerprints: Fingerprint[] }
  | { type: "results"; sent: SentEdit[]; arrivals: Arrival[] }
  | { type: "closed" };
