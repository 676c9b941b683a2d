import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { migrations } from "../../db/migrations/index";
import { countUsers, findUserByUsername } from "../../db/queries/users";
import { DEMO_MEMBERS, DEMO_PASSWORD } from "../../server/demo-seed";
import { freshDbPath } from "../support/db";
import { HttpClient } from "../support/http-client";
import { startTestServer } from "../support/server";

/**
 * The production entry, as `npm start` runs it: the server compiled by `npm run build`
 * (scripts/build-server.ts). The test command builds it first.
 */
const COMPILED_ENTRY = "build/server/index.js";

function startCompiled(env: Record<string, string>) {
  if (!existsSync(COMPILED_ENTRY)) throw new Error(`${COMPILED_ENTRY} is missing: run \`npm run build\` first`);
  return spawn(process.execPath, ["--enable-source-maps", COMPILED_ENTRY], { env: { ...process.env, NODE_ENV: "production", ...env } });
}

async function snapshot(dbPath: string) {
  const db = createDb(dbPath);
  try {
    const tables = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master ORDER BY name`.execute(db);
    const users = await db.selectFrom("users").selectAll().orderBy("id").execute();
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    return { tables: tables.rows, users, applied: applied.rows };
  } finally {
    await db.destroy();
  }
}

describe("start-up", () => {
  it("seeds the demo workspace once, and keeps data across restarts", async () => {
    const first = await startTestServer();
    const dbPath = first.dbPath;
    expect(await countUsers(first.db)).toBe(DEMO_MEMBERS.length);
    const client = new HttpClient(first.url);
    await client.login("admin", DEMO_PASSWORD);
    await client.post("/admin/members/new", { name: "重启后仍在", username: "survivor", password: "survives-1", role: "viewer" });
    await first.close();

    const second = await startTestServer({ dbPath });
    expect(await countUsers(second.db)).toBe(DEMO_MEMBERS.length + 1);
    expect(await findUserByUsername(second.db, "survivor")).toMatchObject({ name: "重启后仍在" });
    await second.close();
  });

  it("does not bring back demo members an admin removed or renamed", async () => {
    const first = await startTestServer();
    await first.db.deleteFrom("users").where("username", "=", "viewer").execute();
    await first.close();
    const second = await startTestServer({ dbPath: first.dbPath });
    expect(await findUserByUsername(second.db, "viewer")).toBeUndefined();
    await second.close();
  });

  it("can start without demo data", async () => {
    const server = await startTestServer({ seedDemo: false });
    expect(await countUsers(server.db)).toBe(0);
    await server.close();
  });

  it("stops when a migration throws and leaves the database exactly as it was", async () => {
    const first = await startTestServer();
    const dbPath = first.dbPath;
    await first.close();
    const before = await snapshot(dbPath);

    const failing = {
      ...migrations,
      "29991231T0000_broken": {
        async up(db: Kysely<unknown>) {
          await sql`CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT`.execute(db);
          await sql`UPDATE users SET name = 'changed'`.execute(db);
          throw new Error("boom");
        },
      },
    };
    await expect(startTestServer({ dbPath, migrations: failing })).rejects.toThrow(/29991231T0000_broken failed: boom/);
    expect(await snapshot(dbPath)).toEqual(before);
  });

  it("the real entry point refuses a bad setting with a clear message", async () => {
    const child = startCompiled({ PORT: "eighty", DATABASE_PATH: freshDbPath() });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("Invalid configuration");
    expect(stderr).toContain("PORT");
  });

  it("the real entry point starts, prints its URL, runs an export in a worker thread and stops cleanly on SIGTERM", async () => {
    const child = startCompiled({ PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: freshDbPath() });
    let stdout = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on("exit", () => reject(new Error(`exited early: ${stdout}`)));
    });
    const port = new URL(url).port;
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("登录活动策划台");

    // The portfolio export runs in a worker thread: the compiled server must find its
    // compiled worker file (build/server/portfolio-worker.js) and the job must finish.
    const finance = new HttpClient(url);
    expect((await finance.login("finance", DEMO_PASSWORD)).status).toBe(302);
    const started = await finance.post("/finance?index", { from: "2027-01-01", to: "2027-12-31" });
    expect(started.status).toBe(302);
    const job = new URL(started.headers.get("location")!, url).searchParams.get("job");
    const deadline = Date.now() + 20_000;
    let state = "running";
    while (state === "running" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ state } = (await (await finance.get(`/finance/exports/${job}`)).json()) as { state: string });
    }
    expect(state).toBe("done");
    expect((await finance.get(`/finance/exports/${job}?download=1`)).status).toBe(200);

    child.kill("SIGTERM");
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
  });
});
