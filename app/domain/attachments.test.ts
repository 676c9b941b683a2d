import { describe, expect, it } from "vitest";
import { displayName, isInlineImage, sniffAttachmentType } from "./attachments";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part)));

describe("sniffAttachmentType", () => {
  it("recognises JPEG, PNG, WebP, PDF, HEIC and HEIF by their first bytes", () => {
    expect(sniffAttachmentType(bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF"))).toBe("image/jpeg");
    expect(sniffAttachmentType(bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a]))).toBe("image/png");
    expect(sniffAttachmentType(bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))).toBe("image/webp");
    expect(sniffAttachmentType(bytes("%PDF-1.7\n"))).toBe("application/pdf");
    expect(sniffAttachmentType(bytes([0, 0, 0, 24], "ftypheic", [0, 0, 0, 0]))).toBe("image/heic");
    expect(sniffAttachmentType(bytes([0, 0, 0, 24], "ftypmif1", [0, 0, 0, 0]))).toBe("image/heif");
  });

  it("refuses HTML, SVG, scripts, video and empty files whatever they are called", () => {
    expect(sniffAttachmentType(bytes("<!doctype html><script>alert(1)</script>"))).toBeNull();
    expect(sniffAttachmentType(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffAttachmentType(bytes("<?xml version=\"1.0\"?><svg/>"))).toBeNull();
    expect(sniffAttachmentType(bytes([0, 0, 0, 24], "ftypmp42", [0, 0, 0, 0]))).toBeNull();
    expect(sniffAttachmentType(new Uint8Array())).toBeNull();
  });

  it("only JPEG, PNG and WebP are ever shown inline", () => {
    expect(isInlineImage("image/jpeg")).toBe(true);
    expect(isInlineImage("image/heic")).toBe(false);
    expect(isInlineImage("application/pdf")).toBe(false);
  });
});

describe("displayName", () => {
  it("keeps the last path segment only and ends in the sniffed type's extension", () => {
    expect(displayName("../../etc/passwd", "image/jpeg")).toBe("passwd.jpg");
    expect(displayName("C:\\Users\\zm\\发票 0612.html", "image/png")).toBe("发票 0612.png");
    expect(displayName("..", "application/pdf")).toBe("发票.pdf");
    expect(displayName('a"b<c>\u0000.jpg', "image/jpeg")).toBe("abc.jpg");
  });
});
