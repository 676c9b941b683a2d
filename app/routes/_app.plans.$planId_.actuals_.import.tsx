import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { importActuals, type ImportOutcome } from "~/services/actuals-import.server";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { MAX_IMPORT_FILE_BYTES } from "~/domain/actuals-import";

/** Imports actual spend from an uploaded workbook; the import form on the 实际支出 page posts here. */

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/plans/${params.planId ?? ""}/actuals`);
}

export type ImportResponse = ImportOutcome | { ok: false; file: "noFile" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(request, context);
  // Actuals are not budget: a locked, approved plan takes imports like any other.
  const { plan } = await requirePlan(context.db, auth, params.planId, "actuals:record");
  const file = (await request.formData()).get("file");
  if (file === null || typeof file === "string" || file.size === 0) return json<ImportResponse>({ ok: false, file: "noFile" }, { status: 400 });
  // The HTTP layer caps this route's body already; this keeps the rule if that ever changes.
  if (file.size > MAX_IMPORT_FILE_BYTES) return json<ImportResponse>({ ok: false, status: 413, file: "fileTooLarge" }, { status: 413 });
  const outcome = await importActuals(context.db, { planId: plan.id, actorId: auth.user.id, bytes: Buffer.from(await file.arrayBuffer()) });
  return json<ImportResponse>(outcome, { status: outcome.ok ? 200 : outcome.status });
}
