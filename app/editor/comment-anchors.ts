import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey, type ProsemirrorBinding } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { decodePosition, encodePosition } from "~/domain/comments";

/**
 * Comment highlights on a section's text. A thread's range is a pair of Yjs relative
 * positions (never written into the document, so read-only viewers can comment too):
 * they follow concurrent edits from every client, and turn into ProseMirror positions
 * through the ySync plugin's binding mapping each time the Yjs side changes.
 */

export interface AnchoredThread {
  id: string;
  start: string;
  end: string;
  status: "open" | "resolved";
}

interface DecodedThread {
  id: string;
  start: Y.RelativePosition;
  end: Y.RelativePosition;
  open: boolean;
}

interface AnchorsState {
  threads: DecodedThread[];
  activeId: string | null;
  decorations: DecorationSet;
}

interface AnchorsMeta {
  threads?: readonly AnchoredThread[];
  activeId?: string | null;
}

export const commentAnchorsKey = new PluginKey<AnchorsState>("commentAnchors");

interface YSyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: ProsemirrorBinding | null;
  isChangeOrigin: boolean;
}

function ySync(state: EditorState): YSyncState | null {
  return (ySyncPluginKey.getState(state) as YSyncState | undefined) ?? null;
}

/** Where a relative position lies now, or null when it or any type around it up to the fragment was deleted. */
function liveAbsolute(doc: Y.Doc, fragment: Y.XmlFragment, position: Y.RelativePosition): Y.AbsolutePosition | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute) return null;
  for (let type: Y.AbstractType<unknown> = absolute.type; type !== fragment; ) {
    const item = type._item;
    if (!item || item.deleted || !(item.parent instanceof Y.AbstractType)) return null;
    type = item.parent;
  }
  return absolute;
}

/**
 * Whether a text anchor still marks some text: both ends resolve inside the fragment and,
 * when they share a paragraph, enclose at least one character. An end the document has not
 * received yet counts as not (yet) there.
 */
export function textAnchorAlive(doc: Y.Doc, fragment: Y.XmlFragment, startText: string, endText: string): boolean {
  const start = decodePosition(startText);
  const end = decodePosition(endText);
  if (!start || !end) return false;
  const from = liveAbsolute(doc, fragment, start);
  const to = liveAbsolute(doc, fragment, end);
  if (!from || !to) return false;
  return from.type !== to.type || from.index < to.index;
}

/**
 * The anchor of a ProseMirror range: the start sticks to the first character of the range
 * (text typed just before it stays outside), the end to the last one (text typed just
 * after it stays outside); text typed in between is inside.
 */
export function rangeToAnchor(state: EditorState, from: number, to: number): { start: string; end: string } | null {
  const sync = ySync(state);
  const binding = sync?.binding;
  if (!sync || !binding || from >= to) return null;
  const mapping = binding.mapping;
  const $from = state.doc.resolve(from);
  let start: Y.RelativePosition;
  if ($from.nodeAfter?.isText && $from.parentOffset < $from.parent.content.size) {
    // y-tiptap associates to the left; the position after the first character, associated
    // left, names that character: make it stick to its right side instead.
    const after = absolutePositionToRelativePosition(from + 1, sync.type, mapping) as Y.RelativePosition;
    start = after.item ? new Y.RelativePosition(after.type, after.tname, after.item, 0) : (absolutePositionToRelativePosition(from, sync.type, mapping) as Y.RelativePosition);
  } else {
    start = absolutePositionToRelativePosition(from, sync.type, mapping) as Y.RelativePosition;
  }
  const end = absolutePositionToRelativePosition(to, sync.type, mapping) as Y.RelativePosition;
  return { start: encodePosition(start), end: encodePosition(end) };
}

/** The ProseMirror range a thread covers now, or null when its text is gone (or not here yet). */
function resolveRange(state: EditorState, sync: YSyncState, binding: ProsemirrorBinding, thread: DecodedThread): { from: number; to: number } | null {
  if (!liveAbsolute(sync.doc, sync.type, thread.start) || !liveAbsolute(sync.doc, sync.type, thread.end)) return null;
  const from = relativePositionToAbsolutePosition(sync.doc, sync.type, thread.start, binding.mapping);
  const to = relativePositionToAbsolutePosition(sync.doc, sync.type, thread.end, binding.mapping);
  if (from === null || to === null) return null;
  const size = state.doc.content.size;
  const clampedTo = Math.min(to, size);
  return from < clampedTo ? { from, to: clampedTo } : null;
}

function buildDecorations(state: EditorState, threads: readonly DecodedThread[], activeId: string | null): DecorationSet {
  const sync = ySync(state);
  const binding = sync?.binding;
  if (!sync || !binding || binding.mapping.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  for (const thread of threads) {
    const active = thread.id === activeId;
    // A resolved thread is highlighted only while someone opens it.
    if (!thread.open && !active) continue;
    const range = resolveRange(state, sync, binding, thread);
    if (!range) continue;
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: active ? "comment-anchor comment-anchor--active" : "comment-anchor",
        "data-comment-thread": thread.id,
      }),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

function decode(threads: readonly AnchoredThread[]): DecodedThread[] {
  const decoded: DecodedThread[] = [];
  for (const thread of threads) {
    const start = decodePosition(thread.start);
    const end = decodePosition(thread.end);
    if (start && end) decoded.push({ id: thread.id, start, end, open: thread.status === "open" });
  }
  return decoded;
}

/** Hands the plugin this section's threads and the thread the panel has open. */
export function setCommentAnchors(view: EditorView, threads: readonly AnchoredThread[], activeId: string | null): void {
  const meta: AnchorsMeta = { threads, activeId };
  view.dispatch(view.state.tr.setMeta(commentAnchorsKey, meta));
}

function threadAt(target: EventTarget | null): string | null {
  return target instanceof Element ? (target.closest("[data-comment-thread]")?.getAttribute("data-comment-thread") ?? null) : null;
}

export interface CommentAnchorsOptions {
  /** A highlight was clicked. */
  onOpenThread: (threadId: string) => void;
  /** Ctrl+Alt+M with text selected. */
  onCommentSelection: (state: EditorState) => void;
}

export const CommentAnchors = Extension.create<CommentAnchorsOptions>({
  name: "commentAnchors",

  addOptions() {
    return { onOpenThread: () => undefined, onCommentSelection: () => undefined };
  },

  addKeyboardShortcuts() {
    return {
      "Mod-Alt-m": () => {
        if (this.editor.state.selection.empty) return false;
        this.options.onCommentSelection(this.editor.state);
        return true;
      },
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<AnchorsState>({
        key: commentAnchorsKey,
        state: {
          init: () => ({ threads: [], activeId: null, decorations: DecorationSet.empty }),
          apply(tr, previous, _oldState, newState) {
            const meta = tr.getMeta(commentAnchorsKey) as AnchorsMeta | undefined;
            const remote = ySync(newState)?.isChangeOrigin === true;
            if (meta || (tr.docChanged && remote)) {
              const threads = meta?.threads ? decode(meta.threads) : previous.threads;
              const activeId = meta && meta.activeId !== undefined ? meta.activeId : previous.activeId;
              return { threads, activeId, decorations: buildDecorations(newState, threads, activeId) };
            }
            // A local edit has not reached the Yjs side yet: carry the highlights along with it.
            if (tr.docChanged) return { ...previous, decorations: previous.decorations.map(tr.mapping, tr.doc) };
            return previous;
          },
        },
        props: {
          decorations: (state) => commentAnchorsKey.getState(state)?.decorations,
          handleClick: (_view, _pos, event) => {
            const id = threadAt(event.target);
            if (id) options.onOpenThread(id);
            return false;
          },
        },
        view: () => {
          let scrolledTo: string | null = null;
          return {
            update: (view) => {
              const state = commentAnchorsKey.getState(view.state);
              const activeId = state?.activeId ?? null;
              if (activeId === null) {
                scrolledTo = null;
                return;
              }
              if (scrolledTo === activeId) return;
              // Scroll once per opened thread, as soon as its highlight exists.
              const element = view.dom.querySelector(`[data-comment-thread="${CSS.escape(activeId)}"]`);
              if (element) {
                scrolledTo = activeId;
                element.scrollIntoView({ block: "center", behavior: "smooth" });
              }
            },
          };
        },
      }),
    ];
  },
});
