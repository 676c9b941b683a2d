import * as Y from "yjs";

/** The ProseMirror node name of a rich-text @mention; its attrs are `id` (member id), `label` (name) and `key`. */
export const MENTION_NODE = "mention";

/** A mention key as the editor makes it: random, so one cannot be guessed to replay another member's mention. */
export const MENTION_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export interface FoundMention {
  memberId: number;
  /** The element holding the mention (its paragraph, heading or cell), for an excerpt. */
  block: Y.XmlElement | Y.XmlFragment;
}

/** The mention with this key in a section, wherever it sits; null when no such node exists. */
export function findMention(root: Y.XmlElement | Y.XmlFragment, key: string): FoundMention | null {
  for (const child of root.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === MENTION_NODE && String(child.getAttribute("key") ?? "") === key) {
      const memberId = Number(String(child.getAttribute("id") ?? ""));
      return Number.isSafeInteger(memberId) && memberId > 0 ? { memberId, block: root } : null;
    }
    const inner = findMention(child, key);
    if (inner) return inner;
  }
  return null;
}
