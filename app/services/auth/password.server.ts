import { hash, verify } from "@node-rs/argon2";

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes): ~30 ms here.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// How many password checks this process ran: the cost the login throttle exists to bound.
// Kept on globalThis, not in a module variable, because one process can hold two copies of
// this module (the server runs the bundled build/index.js, scripts and tests import the
// source) and the count must be the process's, whichever copy did the work.
const VERIFICATIONS = Symbol.for("campaigndesk.passwordVerifications");
const counters = globalThis as { [VERIFICATIONS]?: number };

/** Password verifications run by this process since it started. */
export function passwordVerifications(): number {
  return counters[VERIFICATIONS] ?? 0;
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  counters[VERIFICATIONS] = passwordVerifications() + 1;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("campaigndesk-no-such-user");
  return dummyHash;
}
