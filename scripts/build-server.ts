/**
 * Compiles the Node server for production (`npm run build`, after `remix build`): the entry
 * server/index.ts and everything it imports from this repository, bundled into
 * build/server/index.js as ESM with a source map; packages stay imports from node_modules.
 * The export worker threads are entry points of their own, written beside it
 * (build/server/plan-worker.js, portfolio-worker.js), where server/exports/worker-thread.ts
 * finds them when the server runs compiled.
 *
 *   node --import tsx scripts/build-server.ts
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";

/**
 * A package's JSON file (chinese-days' holiday data) is bundled rather than left an import:
 * plain `node` cannot import JSON without an import attribute, which the source does not
 * carry (the same reason remix.config.js bundles chinese-days).
 */
const bundlePackageJson: Plugin = {
  name: "bundle-package-json",
  setup(builder) {
    builder.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({
      path: createRequire(join(args.resolveDir, "noop.js")).resolve(args.path),
    }));
  },
};

/**
 * `~/…` (tsconfig's path to app/) resolved as the repository's own source: with
 * `packages: "external"` esbuild would otherwise take it for a package and leave it an import.
 */
const appAlias: Plugin = {
  name: "app-alias",
  setup(builder) {
    const appDir = join(process.cwd(), "app");
    builder.onResolve({ filter: /^~\// }, async (args) => {
      const resolved = await builder.resolve(`./${args.path.slice(2)}`, { kind: args.kind, resolveDir: appDir });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
    });
  },
};

const result = await build({
  entryPoints: {
    index: "server/index.ts",
    "plan-worker": "server/exports/plan-worker.ts",
    "portfolio-worker": "server/exports/portfolio-worker.ts",
  },
  outdir: "build/server",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  plugins: [appAlias, bundlePackageJson],
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".js"));
console.log(`[info] server built: ${outputs.map(([file, output]) => `${file} (${Math.round(output.bytes / 1024)} KB)`).join(", ")}`);
