import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ZOD_JITLESS_GLOBAL } from "./zod-csp";

describe("zod's jitless switch for the browser", () => {
  it("is the global object zod itself reads its config from", () => {
    const holder = globalThis as unknown as Record<string, unknown>;
    expect(holder[ZOD_JITLESS_GLOBAL]).toBe(z.config());
  });
});
