/**
 * Zod 4 probes `new Function("")` the first time it builds an object schema, to decide
 * whether it may compile fast parsers. Under our CSP the probe throws (caught), but the
 * browser still reports a violation. Zod skips the probe in jitless mode, and reads its
 * config from `globalThis.__zod_globalConfig` — which must be set before the first schema
 * is built, i.e. before any module script runs. That global is zod internals: zod is
 * pinned and `zod-csp.test.ts` fails if it moves.
 */
export const ZOD_JITLESS_GLOBAL = "__zod_globalConfig";

export const ZOD_JITLESS_SCRIPT = `globalThis.${ZOD_JITLESS_GLOBAL}=Object.assign(globalThis.${ZOD_JITLESS_GLOBAL}||{},{jitless:true});`;
