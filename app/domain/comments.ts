import * as Y from "yjs";
import { z } from "zod";
import { RowIdSchema, SectionIdSchema } from "./plan-document/roots";

export const ANCHOR_KINDS = ["text", "budgetLine", "timelineItem", "kpi", "diffLine"] as const;
export type AnchorKind = (typeof ANCHOR_KINDS)[number];

export const THREAD_STATUSES = ["open", "resolved"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export const COMMENT_BODY_MAX = 2000;
export const QUOTE_MAX = 200;

/** At most this many comments per member in any minute, across plans: a runaway script cannot bury a plan. */
export const COMMENT_FLOOD = { max: 30, windowMs: 60_000 } as const;

/** An encoded Y relative position is a few dozen bytes; the cap only stops junk from being stored. */
const PositionSchema = z.string().min(4).max(256).regex(/^[A-Za-z0-9+/]+={0,2}$/);

export const AnchorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), sectionId: SectionIdSchema, start: PositionSchema, end: PositionSchema }).strict(),
  z.object({ kind: z.literal("budgetLine"), lineId: RowIdSchema }).strict(),
  z.object({ kind: z.literal("timelineItem"), itemId: RowIdSchema }).strict(),
  z.object({ kind: z.literal("kpi"), kpiId: RowIdSchema }).strict(),
  z.object({ kind: z.literal("diffLine"), revisionId: z.number().int().positive(), lineId: RowIdSchema }).strict(),
]);
export type Anchor = z.infer<typeof AnchorSchema>;
export type TextAnchor = Extract<Anchor, { kind: "text" }>;

export const COMMENT_ERROR_CODES = ["bodyRequired", "bodyTooLong", "badAnchor", "notFound", "notAuthor", "cannotComment", "resolved", "tooMany"] as const;
export type CommentErrorCode = (typeof COMMENT_ERROR_CODES)[number];

/** The anchor a form posted (JSON text), or null when it is not one. */
export function parseAnchor(json: string): Anchor | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = AnchorSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Lengths count characters as SQLite's length() does (code points), so 2000 汉字 or emoji fit alike. */
function charCount(text: string): number {
  return Array.from(text).length;
}

export type BodyParse = { ok: true; body: string } | { ok: false; code: "bodyRequired" | "bodyTooLong" };

export function parseCommentBody(raw: unknown): BodyParse {
  const body = typeof raw === "string" ? raw.trim() : "";
  if (body === "") return { ok: false, code: "bodyRequired" };
  if (charCount(body) > COMMENT_BODY_MAX) return { ok: false, code: "bodyTooLong" };
  return { ok: true, body };
}

/** The quoted text shown with a thread: trimmed, whitespace runs folded, cut to QUOTE_MAX characters. */
export function trimQuote(raw: unknown): string {
  const text = typeof raw === "string" ? raw.replace(/\s+/g, " ").trim() : "";
  return Array.from(text).slice(0, QUOTE_MAX).join("");
}

const MENTION = /<@([1-9]\d{0,9})>/g;

/** Member ids mentioned with `<@id>` tokens, each once, in order of first mention. */
export function mentionedIds(body: string): number[] {
  const ids = new Set<number>();
  for (const match of body.matchAll(MENTION)) ids.add(Number(match[1]));
  return [...ids];
}

/** A short plain-text excerpt for notifications: mentions as "@名字", cut to `max` characters. */
export function commentExcerpt(body: string, nameOf: (id: number) => string | undefined, max = 80): string {
  const text = body.replace(MENTION, (token, id: string) => {
    const name = nameOf(Number(id));
    return name === undefined ? token : `@${name}`;
  });
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

export function encodePosition(position: Y.RelativePosition): string {
  const bytes = Y.encodeRelativePosition(position);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The relative position a base64 text holds, or null when it does not decode as one. */
export function decodePosition(text: string): Y.RelativePosition | null {
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const position = Y.decodeRelativePosition(bytes);
    // A valid encoding names either an item or a type; random bytes rarely decode to either.
    return position.item !== null || position.type !== null || position.tname !== null ? position : null;
  } catch {
    return null;
  }
}

function isInside(type: Y.AbstractType<unknown>, root: Y.XmlFragment): boolean {
  for (let t: Y.AbstractType<unknown> | null = type; t !== null; t = t._item?.parent instanceof Y.AbstractType ? t._item.parent : null) {
    if (t === root) return true;
  }
  return false;
}

/**
 * Whether a text anchor may be stored against this document: both ends decode and resolve
 * inside the section's own fragment. An end naming an item the server does not know is
 * refused: the editor sends its edits long before anyone selects the text and writes a
 * comment, so such a position is forged or from another plan.
 */
export function textAnchorFits(doc: Y.Doc, fragment: Y.XmlFragment, anchor: TextAnchor): boolean {
  for (const text of [anchor.start, anchor.end]) {
    const position = decodePosition(text);
    if (!position) return false;
    let absolute: Y.AbsolutePosition | null;
    try {
      absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
    } catch {
      return false;
    }
    if (!absolute || !isInside(absolute.type, fragment)) return false;
  }
  return true;
}

export interface MemberRef {
  id: number;
  name: string;
}

export interface CommentView {
  id: string;
  author: MemberRef;
  /** "" once deleted. */
  body: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
}

export interface ThreadView {
  id: string;
  anchor: Anchor;
  quote: string;
  status: ThreadStatus;
  createdBy: MemberRef;
  createdAt: number;
  resolvedBy: MemberRef | null;
  resolvedAt: number | null;
  comments: CommentView[];
  /** Server-decided for block and diff-line anchors; text anchors are judged by the editor. */
  orphaned: boolean;
}
