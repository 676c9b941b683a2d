import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * Starts a worker thread on a TypeScript entry file. Node 20 does not hand `--import`
 * loaders such as tsx to worker threads (nodejs/node#47747), so the worker registers tsx's
 * require hook itself before loading the entry; this works the same under
 * `node --import tsx` and under vitest. The packages in `preload` are plain JavaScript and
 * are required before the hook: through it, every one of a package's files goes through
 * tsx's resolver, which makes exceljs's hundreds of files load three to four times slower.
 */
export function startWorker(entry: URL, workerData: unknown, options: { resourceLimits: ResourceLimits; preload?: readonly string[] }): Worker {
  const tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
  const preload = (options.preload ?? []).map((name) => `require(${JSON.stringify(name)});`).join(" ");
  const code = `${preload} require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(code, { eval: true, workerData, resourceLimits: options.resourceLimits });
}
