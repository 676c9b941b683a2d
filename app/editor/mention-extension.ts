import { Mention, type MentionOptions } from "@tiptap/extension-mention";
import type { SuggestionKeyDownProps, SuggestionOptions, SuggestionProps } from "@tiptap/suggestion";
import { searchMembers, type Mentionable } from "~/domain/member-search";
import { MENTION_NODE } from "~/domain/mention-node";

/**
 * The @mention node of rich-text sections, and (in the browser) its member picker. The
 * node itself is schema: `sectionExtensions()` registers it so the editor and the server
 * renderer agree; attrs are `id` (member id), `label` (the name when mentioned) and `key`
 * (random, names this one mention so its notification is sent once).
 */
export const MentionNode = Mention.extend({
  name: MENTION_NODE,
  addAttributes() {
    return {
      ...this.parent?.(),
      key: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
    };
  },
}).configure({
  renderText: ({ node }) => `@${String(node.attrs.label ?? "")}`,
  renderHTML: ({ options, node }) => {
    const id: unknown = node.attrs.id;
    return [
      "span",
      { ...options.HTMLAttributes, class: "mention", "data-member-id": typeof id === "string" && /^\d+$/.test(id) ? id : null },
      `@${String(node.attrs.label ?? "")}`,
    ];
  },
});

const KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function newMentionKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join("");
}

/** What the picker needs from the page; read at each keystroke, so it always sees the latest members. */
export interface MentionSource {
  members(): readonly Mentionable[];
  canShare(): boolean;
  /** Shares the plan read-only with a member; resolves true once they can read it. */
  share(member: Mentionable): Promise<boolean>;
  /** Called after a mention was inserted into the document. */
  inserted(mention: { memberId: number; key: string }): void;
  labels(): { picker: string; empty: string; noAccess: string; share: string; askOwner: string };
}

/** The browser's Mention: the node plus an accessible, caret-anchored member picker. */
export function mentionPicker(source: MentionSource) {
  const suggestion: Omit<SuggestionOptions<Mentionable, Mentionable>, "editor"> = {
    char: "@",
    // Chinese has no spaces: "请@李娜" must open the picker, an e-mail address must not.
    allowedPrefixes: null,
    allow: ({ state, range }) => range.from <= 1 || !/[A-Za-z0-9._%+-]/.test(state.doc.textBetween(range.from - 1, range.from, "\n", "\n")),
    items: ({ query }) => searchMembers(source.members(), query),
    command: ({ editor, range, props }) => {
      const key = newMentionKey();
      editor
        .chain()
        .focus()
        .insertContentAt(range, [
          { type: MENTION_NODE, attrs: { id: String(props.id), label: props.name, key } },
          { type: "text", text: " " },
        ])
        .run();
      source.inserted({ memberId: props.id, key });
    },
    render: () => new PickerPopup(source),
  };
  // Mention types its picker for items that are node attrs; ours picks members and builds the attrs in `command`.
  return MentionNode.configure({ suggestion: suggestion as unknown as MentionOptions["suggestion"] });
}

let popupCount = 0;

/** The listbox under the caret; the editor keeps focus and points at the active option with aria-activedescendant. */
class PickerPopup {
  private list: HTMLUListElement | null = null;
  private unmount: (() => void) | null = null;
  private props: SuggestionProps<Mentionable, Mentionable> | null = null;
  private active = 0;
  private sharing: number | null = null;
  private readonly id = `mention-picker-${(popupCount += 1)}`;

  constructor(private readonly source: MentionSource) {}

  onStart = (props: SuggestionProps<Mentionable, Mentionable>) => {
    this.list = document.createElement("ul");
    this.list.id = this.id;
    this.list.setAttribute("role", "listbox");
    this.list.className = "mention-options mention-popup";
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.unmount = props.mount(this.list);
    this.onUpdate(props);
  };

  onUpdate = (props: SuggestionProps<Mentionable, Mentionable>) => {
    if (props.query !== this.props?.query) this.active = 0;
    this.props = props;
    this.draw();
  };

  onKeyDown = ({ event }: SuggestionKeyDownProps): boolean => {
    const items = this.props?.items ?? [];
    if (event.isComposing) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (items.length === 0) return true;
      this.highlight((this.active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length);
      return true;
    }
    if (event.key === "Enter" || event.key === "Tab") {
      const member = items[this.active];
      if (!member) return false;
      this.choose(member);
      return true;
    }
    return false;
  };

  onExit = () => {
    this.props?.editor.view.dom.removeAttribute("aria-activedescendant");
    this.props?.editor.view.dom.removeAttribute("aria-controls");
    this.unmount?.();
    this.list?.remove();
    this.list = null;
    this.props = null;
  };

  private choose(member: Mentionable) {
    if (member.canRead) {
      this.props?.command(member);
      return;
    }
    if (!this.source.canShare() || this.sharing !== null) return;
    this.sharing = member.id;
    this.draw();
    void this.source.share(member).then((shared) => {
      this.sharing = null;
      // The picker may have closed while the request ran; then the member is shared but not inserted.
      if (shared && this.props) this.props.command({ ...member, canRead: true });
      else this.draw();
    });
  }

  private draw() {
    const list = this.list;
    const props = this.props;
    if (!list || !props) return;
    const labels = this.source.labels();
    list.setAttribute("aria-label", labels.picker);
    list.replaceChildren();
    const dom = props.editor.view.dom;
    dom.setAttribute("aria-controls", this.id);
    if (props.items.length === 0) {
      const empty = document.createElement("li");
      empty.className = "mention-options__empty";
      empty.textContent = labels.empty;
      list.append(empty);
      dom.removeAttribute("aria-activedescendant");
      return;
    }
    props.items.forEach((member, index) => {
      const option = document.createElement("li");
      option.id = `${this.id}-${index}`;
      option.setAttribute("role", "option");
      option.dataset.memberId = String(member.id);
      option.className = `mention-options__option${member.canRead ? "" : " is-outsider"}`;
      // An outsider the asker may share with is still selectable: choosing them shares, then mentions.
      if (!member.canRead && !this.source.canShare()) option.setAttribute("aria-disabled", "true");
      option.append(span("mention-options__avatar", Array.from(member.name)[0] ?? "?", true), span("mention-options__name", member.name), span("mention-options__username", member.username));
      if (!member.canRead) {
        const note = span("mention-options__no-access", labels.noAccess);
        if (this.source.canShare()) {
          const button = document.createElement("button");
          button.type = "button";
          button.tabIndex = -1;
          button.className = "mention-options__share";
          button.textContent = labels.share;
          button.disabled = this.sharing !== null;
          note.append(button);
        } else {
          note.append(span("visually-hidden", labels.askOwner));
        }
        option.append(note);
      }
      option.addEventListener("mouseenter", () => this.highlight(index));
      option.addEventListener("click", () => this.choose(member));
      list.append(option);
    });
    this.highlight(Math.min(this.active, props.items.length - 1));
  }

  /** Moves the active option without rebuilding the list (a rebuild under the pointer would swallow the click). */
  private highlight(index: number) {
    this.active = index;
    this.list?.querySelectorAll<HTMLLIElement>("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      option.classList.toggle("is-active", i === index);
    });
    this.props?.editor.view.dom.setAttribute("aria-activedescendant", `${this.id}-${index}`);
  }
}

function span(className: string, text: string, hidden = false): HTMLSpanElement {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  if (hidden) element.setAttribute("aria-hidden", "true");
  return element;
}
