import { open } from "node:fs/promises";
import { createReadableStreamFromReadable, json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireAbility } from "~/routes-support/guards.server";
import { attachmentDisposition } from "~/services/excel/plan-workbook.server";
import { createI18n } from "~/i18n/i18n";

/**
 * One export job of the signed-in member: its progress as JSON, or with `?download=1` the
 * finished workbook. Someone else's job, or one already expired, is a 404 (no existence leak).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAbility(request, context, "finance:view");
  const job = context.exports.job(auth.user.id, params.jobId ?? "");
  if (!job) throw json({ code: "notFound" }, { status: 404 });
  const noStore = { "Cache-Control": "private, no-store" };
  if (new URL(request.url).searchParams.get("download") !== "1") {
    return json({ id: job.id, state: job.state, done: job.done, total: job.total, fileName: job.fileName }, { headers: noStore });
  }

  const file = context.exports.file(auth.user.id, job.id);
  if (!file) {
    const percent = job.total === 0 ? 0 : Math.floor((job.done * 100) / job.total);
    const message = createI18n(context.locale).t(job.state === "failed" ? "finance.export.failed" : "finance.export.running", { percent });
    return json({ code: "notReady", message }, { status: 409, headers: noStore });
  }
  // Opened before answering: a file that expired a moment ago is a 404, not a broken download.
  const handle = await open(file.path).catch(() => null);
  if (!handle) throw json({ code: "notFound" }, { status: 404 });
  const { size } = await handle.stat();
  return new Response(createReadableStreamFromReadable(handle.createReadStream()), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": attachmentDisposition(file.fileName.replace(/\.xlsx$/, ""), "xlsx"),
      "Content-Length": String(size),
      ...noStore,
    },
  });
}
