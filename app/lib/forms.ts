import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** Parses a submitted form; failures come back as one translation key per field. */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
): { ok: true; data: z.infer<S> } | { ok: false; fieldErrors: FieldErrors } {
  const raw: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !(key in raw)) raw[key] = value;
  }
  return parseFields(raw, schema);
}

/** Parses fields already read (a query string, a form), with the same per-field error keys. */
export function parseFields<S extends z.ZodType>(
  raw: Readonly<Record<string, string>>,
  schema: S,
): { ok: true; data: z.infer<S> } | { ok: false; fieldErrors: FieldErrors } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join(".") || "form";
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}
