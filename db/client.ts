import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely } from "kysely";
import type { Database } from "./schema";
import { Sqlite3Dialect } from "./sqlite3-dialect";

export type Db = Kysely<Database>;

export function createDb(filename: string): Db {
  if (filename !== ":memory:") mkdirSync(dirname(filename), { recursive: true });
  return new Kysely<Database>({ dialect: new Sqlite3Dialect({ filename }) });
}
