import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/** The worker threads' entry files, beside this module in server/exports/. */
export type WorkerEntry = "plan-worker" | "portfolio-worker";

/**
 * Starts a worker thread on one of the entry files. Compiled (`npm start`: this module is
 * part of build/server/index.js), the entry is the compiled file beside the bundle,
 * build/server/<entry>.js (scripts/build-server.ts writes it there), and runs as it is.
 *
 * From source (`npm run dev`, tests, scripts), the entry is server/exports/<entry>.ts. Node 20
 * does not hand `--import` loaders such as tsx to worker threads (nodejs/node#47747), so the
 * worker registers tsx's require hook itself before loading the entry; this works the same
 * under `node --import tsx` and under vitest. The packages in `preload` are plain JavaScript
 * and are required before the hook: through it, every one of a package's files goes through
 * tsx's resolver, which makes exceljs's hundreds of files load three to four times slower.
 */
export function startWorker(name: WorkerEntry, workerData: unknown, options: { resourceLimits: ResourceLimits; preload?: readonly string[] }): Worker {
  if (!import.meta.url.endsWith(".ts")) {
    return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData, resourceLimits: options.resourceLimits });
  }
  const entry = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
  const preload = (options.preload ?? []).map((name) => `require(${JSON.stringify(name)});`).join(" ");
  const code = `${preload} require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(code, { eval: true, workerData, resourceLimits: options.resourceLimits });
}
