import { Collaboration } from "@tiptap/extension-collaboration";
import { CollaborationCaret } from "@tiptap/extension-collaboration-caret";
import { Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from "react";
import { usePrompt } from "~/components/dialogs";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { sectionFragment } from "~/domain/plan-document";
import type { EditorLabels } from "~/i18n/resources.editor";
import { UNDO_KEYS, useUndoTitle } from "~/components/undo-buttons";
import { SectionComments, useCommentAnchorsExtension } from "~/components/comments/section-comments.client";
import { isSafeHref, sectionExtensions } from "./extensions";
import { mentionPicker } from "./mention-extension";
import { useMentionSource } from "./use-mentions.client";

export type { EditorLabels };

export interface SectionEditorProps {
  /** The plan's Y.Doc. */
  doc: Y.Doc;
  /** A y-websocket WebsocketProvider (only its awareness is used). */
  provider: { awareness: Awareness };
  /** Edits the section's own root (`sectionFragment(doc, sectionId)`). */
  sectionId: string;
  /** Viewers: false → no toolbar, no caret, contenteditable=false. */
  editable: boolean;
  user: { name: string; color: string };
  placeholder: string;
  labels: EditorLabels;
}

/**
 * Collaborative editor of one plan section (章节). Client only: the route renders it
 * inside a client-only wrapper, and `immediatelyRender: false` keeps TipTap from
 * touching the DOM during React's first render.
 */
export default function SectionEditor({
  doc,
  provider,
  sectionId,
  editable,
  user,
  placeholder,
  labels,
}: SectionEditorProps): JSX.Element {
  const fragment = useMemo(() => sectionFragment(doc, sectionId), [doc, sectionId]);
  const commentAnchors = useCommentAnchorsExtension(sectionId);
  const mentions = useMentionSource(sectionId);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...sectionExtensions(editable && mentions.source ? mentionPicker(mentions.source) : undefined),
        Collaboration.configure({ fragment }),
        ...(editable ? [CollaborationCaret.configure({ provider, user: { name: user.name, color: user.color } })] : []),
        Placeholder.configure({ placeholder }),
        commentAnchors,
      ],
      editorProps: {
        attributes: {
          // TipTap adds role="textbox" itself but loses it once these attributes are set.
          role: "textbox",
          class: "prose-content",
          "aria-label": labels.content,
          "aria-multiline": "true",
          "aria-readonly": editable ? "false" : "true",
        },
      },
    },
    // The user's name and colour are pushed with updateUser below instead of rebuilding the editor.
    [fragment, provider, editable, placeholder, labels.content, mentions.source],
  );

  const { name, color } = user;
  useEffect(() => {
    if (editor && !editor.isDestroyed && editable) editor.commands.updateUser({ name, color });
  }, [editor, editable, name, color]);

  return (
    <div className="section-editor" data-section-id={sectionId}>
      {editable && editor ? <Toolbar editor={editor} labels={labels} /> : null}
      <EditorContent editor={editor} />
      {mentions.notice ? (
        <p className="section-editor__message" role="status">
          {mentions.notice}
        </p>
      ) : null}
      {editor ? <SectionComments editor={editor} sectionId={sectionId} /> : null}
    </div>
  );
}

interface ToolbarState {
  paragraph: boolean;
  h1: boolean;
  h2: boolean;
  h3: boolean;
  bold: boolean;
  italic: boolean;
  strike: boolean;
  bulletList: boolean;
  orderedList: boolean;
  taskList: boolean;
  blockquote: boolean;
  link: boolean;
  inTable: boolean;
  canUndo: boolean;
  canRedo: boolean;
}

function selectToolbarState({ editor }: { editor: Editor }): ToolbarState {
  return {
    paragraph: editor.isActive("paragraph"),
    h1: editor.isActive("heading", { level: 1 }),
    h2: editor.isActive("heading", { level: 2 }),
    h3: editor.isActive("heading", { level: 3 }),
    bold: editor.isActive("bold"),
    italic: editor.isActive("italic"),
    strike: editor.isActive("strike"),
    bulletList: editor.isActive("bulletList"),
    orderedList: editor.isActive("orderedList"),
    taskList: editor.isActive("taskList"),
    blockquote: editor.isActive("blockquote"),
    link: editor.isActive("link"),
    inTable: editor.isActive("table"),
    canUndo: editor.can().undo(),
    canRedo: editor.can().redo(),
  };
}

/** Adds https:// to a bare host such as `www.example.com`; anything with a scheme is left alone. */
function withDefaultScheme(input: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(input) || !/^[^\s/?#]+\.[^\s/?#]+/.test(input) ? input : `https://${input}`;
}

function Toolbar({ editor, labels }: { editor: Editor; labels: EditorLabels }): JSX.Element {
  // TipTap 3 does not re-render on every transaction; subscribe to exactly what the buttons show.
  const state = useEditorState({ editor, selector: selectToolbarState });
  const [message, setMessage] = useState<string | null>(null);
  const undoTitle = useUndoTitle();

  const run = (command: () => boolean) => () => {
    setMessage(null);
    command();
  };

  const [askLink, linkDialog] = usePrompt();

  const editLink = async () => {
    const current: unknown = editor.getAttributes("link").href;
    const answer = await askLink({ title: labels.link, label: labels.linkPrompt, initialValue: typeof current === "string" ? current : "", confirmLabel: labels.linkConfirm, inputType: "url", maxLength: 2000 });
    if (answer === null) return;
    const input = answer;
    if (input === "") {
      setMessage(null);
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      return;
    }
    const href = withDefaultScheme(input);
    if (!isSafeHref(href)) {
      setMessage(labels.linkRefused);
      return;
    }
    setMessage(null);
    const chain = editor.chain().focus().extendMarkRange("link");
    if (editor.state.selection.empty && !editor.isActive("link")) {
      // Nothing selected: insert the address itself as the link text.
      chain.insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      chain.setLink({ href }).run();
    }
  };

  const button = (
    key: string,
    label: string,
    glyph: ReactNode,
    onClick: () => void,
    options: { pressed?: boolean; disabled?: boolean; title?: string; shortcuts?: string } = {},
  ) => (
    <button
      key={key}
      type="button"
      className="section-editor__button"
      title={options.title ?? label}
      aria-keyshortcuts={options.shortcuts}
      aria-label={label}
      aria-pressed={options.pressed}
      disabled={options.disabled}
      onClick={onClick}
    >
      <span aria-hidden="true">{glyph}</span>
    </button>
  );

  return (
    <>
      {linkDialog}
      <div className="section-editor__toolbar" role="toolbar" aria-label={labels.toolbar} onKeyDown={moveFocusWithArrows}>
        <span className="section-editor__group">
          {button("paragraph", labels.paragraph, "¶", run(() => editor.chain().focus().setParagraph().run()), { pressed: state.paragraph })}
          {button("h1", labels.heading1, "H1", run(() => editor.chain().focus().toggleHeading({ level: 1 }).run()), { pressed: state.h1 })}
          {button("h2", labels.heading2, "H2", run(() => editor.chain().focus().toggleHeading({ level: 2 }).run()), { pressed: state.h2 })}
          {button("h3", labels.heading3, "H3", run(() => editor.chain().focus().toggleHeading({ level: 3 }).run()), { pressed: state.h3 })}
        </span>
        <span className="section-editor__group">
          {button("bold", labels.bold, <b>B</b>, run(() => editor.chain().focus().toggleBold().run()), { pressed: state.bold })}
          {button("italic", labels.italic, <i>I</i>, run(() => editor.chain().focus().toggleItalic().run()), { pressed: state.italic })}
          {button("strike", labels.strike, <s>S</s>, run(() => editor.chain().focus().toggleStrike().run()), { pressed: state.strike })}
          {button("link", labels.link, "链接", () => void editLink(), { pressed: state.link })}
        </span>
        <span className="section-editor__group">
          {button("bulletList", labels.bulletList, "•", run(() => editor.chain().focus().toggleBulletList().run()), { pressed: state.bulletList })}
          {button("orderedList", labels.orderedList, "1.", run(() => editor.chain().focus().toggleOrderedList().run()), { pressed: state.orderedList })}
          {button("taskList", labels.taskList, "☑", run(() => editor.chain().focus().toggleTaskList().run()), { pressed: state.taskList })}
          {button("blockquote", labels.blockquote, "❝", run(() => editor.chain().focus().toggleBlockquote().run()), { pressed: state.blockquote })}
        </span>
        <span className="section-editor__group">
          {button("insertTable", labels.insertTable, "表格", run(() => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()), {
            disabled: state.inTable,
          })}
          {button("addRow", labels.addRow, "+行", run(() => editor.chain().focus().addRowAfter().run()), { disabled: !state.inTable })}
          {button("addColumn", labels.addColumn, "+列", run(() => editor.chain().focus().addColumnAfter().run()), { disabled: !state.inTable })}
          {button("deleteTable", labels.deleteTable, "删表", run(() => editor.chain().focus().deleteTable().run()), { disabled: !state.inTable })}
        </span>
        <span className="section-editor__group">
          {button("undo", labels.undo, "↶", run(() => editor.chain().focus().undo().run()), {
            disabled: !state.canUndo,
            title: undoTitle("undo", labels.undo),
            shortcuts: UNDO_KEYS.undo,
          })}
          {button("redo", labels.redo, "↷", run(() => editor.chain().focus().redo().run()), {
            disabled: !state.canRedo,
            title: undoTitle("redo", labels.redo),
            shortcuts: UNDO_KEYS.redo,
          })}
        </span>
      </div>
      {message ? (
        <p className="section-editor__message" role="alert">
          {message}
        </p>
      ) : null}
    </>
  );
}

/** ARIA toolbar pattern: Left/Right/Home/End move between the enabled buttons. */
function moveFocusWithArrows(event: KeyboardEvent<HTMLDivElement>) {
  const keys = ["ArrowLeft", "ArrowRight", "Home", "End"];
  if (!keys.includes(event.key)) return;
  const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>("button:not(:disabled)"));
  const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (buttons.length === 0) return;
  event.preventDefault();
  const next =
    event.key === "Home"
      ? 0
      : event.key === "End"
        ? buttons.length - 1
        : (index + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length;
  buttons[next]?.focus();
}
