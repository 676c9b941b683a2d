import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults to production on port 3000 with the database under data/ and demo data on", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ NODE_ENV: "production", PORT: 3000, DATABASE_PATH: "data/campaigndesk.db", SEED_DEMO: true });
    expect(env.ALLOWED_ORIGINS).toEqual([]);
  });

  it("reads flags, ports and origin lists", () => {
    const env = parseEnv({ PORT: "8080", SEED_DEMO: "false", ALLOWED_ORIGINS: "https://desk.example.com, http://10.0.0.5:8080" });
    expect(env.PORT).toBe(8080);
    expect(env.SEED_DEMO).toBe(false);
    expect(env.ALLOWED_ORIGINS).toEqual(["https://desk.example.com", "http://10.0.0.5:8080"]);
  });

  it("trusts no proxy by default, or a hop count, or a list of proxy addresses", () => {
    expect(parseEnv({}).TRUST_PROXY).toEqual({ kind: "none" });
    expect(parseEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toEqual({ kind: "none" });
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toEqual({ kind: "hops", hops: 2 });
    expect(parseEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUST_PROXY).toEqual({ kind: "addresses", addresses: ["loopback", "10.0.0.0/8"] });
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET: must be at least 32 characters"],
    [{ ALLOWED_ORIGINS: "desk.example.com" }, "ALLOWED_ORIGINS.0"],
    [{ ALLOWED_ORIGINS: "https://desk.example.com/app" }, "ALLOWED_ORIGINS.0"],
    [{ SEED_DEMO: "maybe" }, "SEED_DEMO"],
    [{ TRUST_PROXY: "true" }, "TRUST_PROXY: must be the number of proxies"],
    [{ TRUST_PROXY: "11" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "10.0.0.1, not-an-ip" }, "TRUST_PROXY: must list proxy addresses"],
  ])("refuses %o naming the setting", (source, named) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(named);
  });
});
