import { Migrator, type Migration } from "kysely";
import type { Db } from "./client";
import { migrations as defaultMigrations } from "./migrations/index";

export class MigrationError extends Error {
  override name = "MigrationError";
}

/**
 * Runs every pending migration. Kysely runs them in one transaction on SQLite, so a
 * migration that throws leaves the database exactly as it was.
 */
export async function migrateToLatest(
  db: Db,
  migrations: Record<string, Migration> = defaultMigrations,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new MigrationError(`migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
