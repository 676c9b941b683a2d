/**
 * Invoice photos and scans on an actual spend entry (发票附件). What a file is, is decided
 * here from its first bytes — never from the name or Content-Type the client sent, which
 * anyone can forge — and only raster images and PDF are kept: no HTML, no SVG, nothing a
 * browser would run.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_ENTRY = 10;
/** Enough of the head of a file to recognise every accepted type. */
export const SNIFF_BYTES = 32;

export const ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "application/pdf"] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Browsers draw these (JPEG, PNG, WebP) inline; HEIC/HEIF and PDF are only ever downloaded. */
export function isInlineImage(type: AttachmentType): boolean {
  return type === "image/jpeg" || type === "image/png" || type === "image/webp";
}

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

// ISO-BMFF brands of still HEIF images (ftyp box): HEVC-coded ones are HEIC.
const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx"]);
const HEIF_BRANDS = new Set(["mif1", "msf1"]);

/** The type of a file from its magic bytes, or null when it is none of the accepted ones. */
export function sniffAttachmentType(head: Uint8Array): AttachmentType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => head[i] === byte)) return "image/png";
  if (head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return "image/webp";
  if (head.length >= 5 && ascii(head, 0, 5) === "%PDF-") return "application/pdf";
  if (head.length >= 12 && ascii(head, 4, 8) === "ftyp") {
    const brand = ascii(head, 8, 12);
    if (HEIC_BRANDS.has(brand)) return "image/heic";
    if (HEIF_BRANDS.has(brand)) return "image/heif";
  }
  return null;
}

/** The extension a download is named with, from the sniffed type (never the client's). */
export function extensionOf(type: AttachmentType): string {
  switch (type) {
    case "image/jpeg":
      return "jpg";
    case "image/png":
      return "png";
    case "image/webp":
      return "webp";
    case "image/heic":
      return "heic";
    case "image/heif":
      return "heif";
    case "application/pdf":
      return "pdf";
  }
}

/**
 * A client's file name made safe to show and to offer as a download name: the last path
 * segment, control and quoting characters removed, at most 100 characters, and ending in
 * the sniffed type's extension. It is never used as a path on disk.
 */
export function displayName(clientName: string, type: AttachmentType): string {
  const base = clientName.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>:|?*;]/g, "").replace(/^\.+/, "").trim();
  const stem = cleaned.replace(/\.[A-Za-z0-9]{1,5}$/, "").slice(0, 90) || "发票";
  return `${stem}.${extensionOf(type)}`;
}

/** Random storage keys: 32 lower-case hex characters, checked again before any path is built. */
export const STORAGE_KEY_PATTERN = /^[0-9a-f]{32}$/;
