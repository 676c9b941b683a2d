import { z } from "zod";

/** Usernames compare case-insensitively and after Unicode normalization (全角 → 半角). */
export function normalizeUsername(raw: string): string {
  return raw.normalize("NFKC").trim().toLowerCase();
}

export const UsernameSchema = z
  .string()
  .transform(normalizeUsername)
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, { error: "usernameFormat" }));
