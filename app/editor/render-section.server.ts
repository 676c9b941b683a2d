import { getSchema, type JSONContent } from "@tiptap/core";
import { generateHTML } from "@tiptap/html/server";
import type { Schema } from "@tiptap/pm/model";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { MENTION_NODE } from "~/domain/mention-node";
import { isSafeHref, sectionExtensions } from "./extensions";

/** Member names are at most 40 characters; a longer label was not written by the picker. */
const MENTION_LABEL_MAX = 40;

/**
 * Server-side first paint of one section (章节). `@tiptap/html/server` serialises with
 * its own short-lived happy-dom window, so Node needs no global DOM; the renderer
 * creates text nodes and sets attributes, so text and attribute values are escaped.
 *
 * Any client can write any shape into the Y.Doc, so the JSON is treated as untrusted:
 * unknown node and mark types are dropped (as the editor itself drops them), links keep
 * their href only when it is http/https/mailto, and their target/rel are forced.
 */
export function renderSectionHtml(fragment: Y.XmlFragment): string {
  const doc = sanitizeNode(yXmlFragmentToProsemirrorJSON(fragment) as JSONContent, schema());
  if (doc?.type !== "doc") return "";
  return generateHTML(doc, sectionExtensions());
}

let cachedSchema: Schema | undefined;
function schema(): Schema {
  cachedSchema ??= getSchema(sectionExtensions());
  return cachedSchema;
}

const LINK_REL = "noopener noreferrer nofollow";

function sanitizeNode(node: JSONContent, schema: Schema): JSONContent | null {
  if (typeof node.type !== "string" || !Object.hasOwn(schema.nodes, node.type)) return null;

  if (node.type === "text") {
    if (typeof node.text !== "string" || node.text === "") return null;
    const marks = (node.marks ?? []).flatMap((mark) => sanitizeMark(mark, schema));
    return marks.length > 0 ? { type: "text", text: node.text, marks } : { type: "text", text: node.text };
  }

  const result: JSONContent = { type: node.type };
  if (node.type === MENTION_NODE) result.attrs = mentionAttrs(node.attrs);
  else if (node.attrs) result.attrs = node.attrs;
  if (Array.isArray(node.content)) {
    result.content = node.content.flatMap((child) => sanitizeNode(child, schema) ?? []);
  }
  return result;
}

/** A mention renders as `<span class="mention" data-member-id>@名字</span>`: a numeric id and a short text label, nothing else. */
function mentionAttrs(attrs: JSONContent["attrs"]): Record<string, string | null> {
  const id: unknown = attrs?.id;
  const label: unknown = attrs?.label;
  return {
    id: typeof id === "string" && /^\d{1,12}$/.test(id) ? id : null,
    label: typeof label === "string" ? Array.from(label).slice(0, MENTION_LABEL_MAX).join("") : "",
  };
}

type JSONMark = NonNullable<JSONContent["marks"]>[number];

function sanitizeMark(mark: JSONMark, schema: Schema): JSONMark[] {
  if (typeof mark.type !== "string" || !Object.hasOwn(schema.marks, mark.type)) return [];
  if (mark.type !== "link") return [mark];
  const href: unknown = mark.attrs?.href;
  const title: unknown = mark.attrs?.title;
  return [
    {
      type: "link",
      attrs: {
        // null makes the renderer omit the attribute: an unsafe link renders as an inert <a>.
        href: typeof href === "string" && isSafeHref(href) ? href : null,
        title: typeof title === "string" ? title : null,
        target: "_blank",
        rel: LINK_REL,
        class: null,
      },
    },
  ];
}
