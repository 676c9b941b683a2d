import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A path for a brand-new SQLite file in its own temporary folder. */
export function freshDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), "campaigndesk-test-")), "test.db");
}
