import type { EditorState } from "@tiptap/pm/state";
import type { Editor } from "@tiptap/react";
import { BubbleMenu } from "@tiptap/react/menus";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useCommentsContext, type CommentsController } from "~/collab/use-comments";
import { CommentAnchors, rangeToAnchor, setCommentAnchors, type AnchoredThread } from "~/editor/comment-anchors";

/** Opens the composer for a new thread on the selected text of a section. */
function commentOnSelection(comments: CommentsController | null, state: EditorState, sectionId: string, target: string): void {
  if (!comments) return;
  const { from, to, empty } = state.selection;
  if (empty) return;
  const range = rangeToAnchor(state, from, to);
  if (!range) return;
  const quote = state.doc.textBetween(from, to, " ", " ");
  comments.startThread({ anchor: { kind: "text", sectionId, ...range }, quote, target });
}

/**
 * The comment highlights of one section as a TipTap extension. The same instance for the
 * editor's whole life: its callbacks read the latest comments through a ref.
 */
export function useCommentAnchorsExtension(sectionId: string) {
  const { t } = useTranslation();
  const comments = useCommentsContext();
  const latest = useRef({ comments, target: t("comments.anchor.text") });
  latest.current = { comments, target: t("comments.anchor.text") };
  return useMemo(
    () =>
      CommentAnchors.configure({
        onOpenThread: (threadId) => latest.current.comments?.openThread(threadId),
        onCommentSelection: (state) => {
          if (latest.current.comments?.data?.canComment) commentOnSelection(latest.current.comments, state, sectionId, latest.current.target);
        },
      }),
    [sectionId],
  );
}

function selectionInside(element: Element): boolean {
  const selection = document.getSelection();
  return selection !== null && !selection.isCollapsed && selection.anchorNode !== null && element.contains(selection.anchorNode);
}

/**
 * Keeps the section's highlights in step with the thread list and the open thread, and
 * shows 评论 over selected text to whoever may comment, read-only viewers included (their
 * editor does not take focus, so the page selection inside it counts).
 */
export function SectionComments({ editor, sectionId }: { editor: Editor; sectionId: string }) {
  const { t } = useTranslation();
  const comments = useCommentsContext();
  const threads = comments?.data?.threads;
  const anchored = useMemo<AnchoredThread[]>(
    () =>
      (threads ?? []).flatMap((thread) =>
        thread.anchor.kind === "text" && thread.anchor.sectionId === sectionId
          ? [{ id: thread.id, start: thread.anchor.start, end: thread.anchor.end, status: thread.status }]
          : [],
      ),
    [threads, sectionId],
  );
  const activeId = comments?.activeThreadId ?? null;
  useEffect(() => {
    if (!editor.isDestroyed) setCommentAnchors(editor.view, anchored, activeId);
  }, [editor, anchored, activeId]);

  const canComment = comments?.data?.canComment ?? false;
  const allowed = useRef(canComment);
  allowed.current = canComment;
  if (!comments) return null;
  return (
    <BubbleMenu
      editor={editor}
      pluginKey={`commentBubble-${sectionId}`}
      className="comment-bubble"
      shouldShow={({ view, state, from, to, element }) => {
        if (!allowed.current || state.selection.empty || state.doc.textBetween(from, to).trim() === "") return false;
        return view.hasFocus() || element.contains(document.activeElement) || (!view.editable && selectionInside(view.dom));
      }}
    >
      <button
        type="button"
        className="button small comment-bubble__button"
        aria-keyshortcuts="Control+Alt+M"
        title={t("comments.commentSelectionHint")}
        aria-label={t("comments.commentSelection")}
        // Keeps the editor's selection: the click must not move focus out first.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => commentOnSelection(comments, editor.state, sectionId, t("comments.anchor.text"))}
      >
        {t("comments.comment")}
      </button>
    </BubbleMenu>
  );
}
