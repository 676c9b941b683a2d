import type { Migration } from "kysely";
import * as accounts from "./20261123T0900_accounts";

/** Static index: migrations are bundled with the code, never discovered on disk at run time. */
export const migrations: Record<string, Migration> = {
  "20261123T0900_accounts": accounts,
};
