import { createReadableStreamFromReadable, json, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { extensionOf, isInlineImage } from "~/domain/attachments";
import { requireAuth, requirePlan } from "~/routes-support/guards.server";
import { openAttachment } from "~/services/attachments.server";

/**
 * An invoice attachment's bytes, to whoever may read its plan. Served as the type sniffed at
 * upload with a sandboxing CSP (and nosniff, which server/security-headers.ts sets on every response), so even a file that fooled the sniffer cannot run
 * as a page; only raster images are shown inline, a PDF is always a download.
 */

const AttachmentIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function disposition(kind: "inline" | "attachment", fileName: string, extension: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="invoice.${extension}"; filename*=UTF-8''${encoded}`;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = requireAuth(request, context);
  const { plan } = await requirePlan(context.db, auth, params.planId, "plan:read");
  const id = AttachmentIdSchema.safeParse(params.attachmentId);
  const opened = id.success ? await openAttachment(context.db, context.attachmentsDir, plan.id, id.data) : null;
  if (!opened) throw json({ code: "notFound" }, { status: 404 });
  const { row, stream } = opened;
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": row.media_type,
      "Content-Length": String(row.size_bytes),
      "Content-Disposition": disposition(isInlineImage(row.media_type) ? "inline" : "attachment", row.file_name, extensionOf(row.media_type)),
      "Content-Security-Policy": "default-src 'none'; sandbox",
      // The bytes under an id never change, but access to the plan can be taken away.
      "Cache-Control": "private, no-cache",
    },
  });
}
