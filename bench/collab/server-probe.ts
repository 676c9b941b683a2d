/**
 * Preloaded (`--import`) into a server under test, ours or the reference, so the driver can
 * read its CPU time and (after a full GC) heap over IPC without either server knowing.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface ProbeReading {
  cpuMicros: number;
  heapUsed: number;
  rss: number;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

process.on("message", (message: { type?: string; gc?: boolean }) => {
  if (message.type !== "probe") return;
  if (message.gc) {
    gc();
    gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const reading: ProbeReading = { cpuMicros: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss };
  process.send!({ type: "probe", reading });
});
// The IPC channel must not keep a server alive after the driver is gone.
process.channel?.unref();
