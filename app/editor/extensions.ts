import type { AnyExtension, Extensions } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import { StarterKit } from "@tiptap/starter-kit";
import { MentionNode } from "./mention-extension";

/**
 * The one list of schema-defining TipTap extensions for a plan's narrative sections
 * (章节). The browser editor adds Collaboration, CollaborationCaret and Placeholder on
 * top; the server renders stored sections with exactly this list, so both sides agree
 * on the schema. Nothing here touches the DOM at import time.
 */

const SAFE_SCHEMES = new Set(["http", "https", "mailto"]);

/**
 * Browsers drop ASCII tab/newline anywhere in a URL and trim leading/trailing C0
 * controls and spaces before reading the scheme, so `java\tscript:` and ` javascript:`
 * both run script. We strip every control, space and Unicode whitespace character
 * (stricter than the browser: a stray character can only turn a would-be relative URL
 * into a refused one) and then require an explicit http, https or mailto scheme.
 */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const IGNORED_URL_CHARS = /[\u0000-\u0020\u007F-\u00A0\u1680\u180E\u2000-\u200F\u2028\u2029\u202F\u205F\u3000\uFEFF]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** True only for http:, https: and mailto: URLs; relative and every other scheme are refused. */
export function isSafeHref(href: string): boolean {
  const match = SCHEME.exec(href.replace(IGNORED_URL_CHARS, ""));
  return match?.[1] !== undefined && SAFE_SCHEMES.has(match[1].toLowerCase());
}

const EXPLICIT_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * TipTap's default autolink rule, plus: text typed with an explicit scheme that we do
 * not allow (`ftp://`, `file://`) stays plain text instead of becoming a dead link.
 */
function shouldAutoLink(url: string): boolean {
  if (EXPLICIT_SCHEME.test(url)) return isSafeHref(url);
  const host = (url.includes("@") ? url.slice(url.lastIndexOf("@") + 1) : url).split(/[/?#:]/)[0] ?? "";
  return !IPV4.test(host) && host.includes(".");
}

/** `mention`: the browser editor passes the Mention with its member picker; the schema is the same. */
export function sectionExtensions(mention: AnyExtension = MentionNode): Extensions {
  return [
    StarterKit.configure({
      // Collaboration brings its own (Yjs) undo/redo; the two are incompatible.
      undoRedo: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        // linkify already knows http, https and mailto; no custom protocols are registered.
        protocols: [],
        // Used by setLink/toggleLink, by HTML parsing (paste) and when rendering: an
        // unsafe href is refused on the way in and emptied on the way out. At render time
        // TipTap passes the raw attribute, which is null for a link without href (the
        // server renderer nulls unsafe ones): nothing to strip, so it is "allowed".
        isAllowedUri: (url: string | null | undefined) => url == null || isSafeHref(url),
        shouldAutoLink,
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
    mention,
  ];
}
