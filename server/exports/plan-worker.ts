import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { openReader, slices, writePlanWorkbookFile, type PlanWorkbookRequest } from "./plan-workbook-file";

/**
 * Builds one large plan workbook on its own thread (started by plan-exports.ts): its
 * reading, XML and garbage collection then never hold up the collaboration server's event
 * loop.
 */

export interface PlanWorkerInput {
  databasePath: string;
  request: PlanWorkbookRequest;
  outputPath: string;
}

export type PlanWorkerMessage = { kind: "done" } | { kind: "failed"; error: unknown };

/**
 * Linux schedules each thread on its own: this one steps back (nice 10), so that on a busy
 * machine the server's own thread, answering editors, gets the CPU first. /proc/thread-self
 * names the thread's id.
 */
function stepBack(): void {
  if (process.platform !== "linux") return;
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 10);
  } catch {
    // Without /proc (a locked-down container) the export runs at the server's priority.
  }
}

async function build(input: PlanWorkerInput): Promise<void> {
  stepBack();
  const reader = await openReader(input.databasePath);
  try {
    // Nothing else runs on this thread: the slices are only there to let the zip keep up.
    await writePlanWorkbookFile(reader, input.request, input.outputPath, slices(1));
  } finally {
    await reader.destroy();
  }
}

if (parentPort) {
  const port = parentPort;
  build(workerData as PlanWorkerInput).then(
    () => port.postMessage({ kind: "done" } satisfies PlanWorkerMessage),
    (error: unknown) => port.postMessage({ kind: "failed", error } satisfies PlanWorkerMessage),
  );
}
