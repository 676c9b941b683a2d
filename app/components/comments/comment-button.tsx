import { useTranslation } from "react-i18next";
import { useCommentsContext } from "~/collab/use-comments";
import type { Anchor } from "~/domain/comments";
import { anchorKey } from "./thread-list";

/** A speech bubble drawn inline: the emoji has no glyph in the fonts many office PCs ship. */
function CommentIcon() {
  return (
    <svg className="comment-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * The comment button of a row (budget line, timeline task, KPI, approval diff line), with its
 * open-thread count: opens the panel on that row's threads with a composer for a new one.
 * Renders nothing outside a plan's comments (history, previews) or for a row without an id.
 */
export function CommentButton({ anchor, name, tabIndex }: { anchor: Anchor; name: string; tabIndex?: number }) {
  const { t } = useTranslation();
  const comments = useCommentsContext();
  if (!comments) return null;
  const key = anchorKey(anchor);
  const count = key === null ? 0 : (comments.openByAnchor.get(key) ?? 0);
  const target = t(`comments.anchor.${anchor.kind}`, { name });
  const label = count > 0 ? t("comments.rowButtonCount", { target, count }) : t("comments.rowButton", { target });
  const canComment = comments.data?.canComment ?? false;
  // Without the right to comment, the button still opens the row's existing threads.
  if (!canComment && count === 0) return null;
  return (
    <button
      type="button"
      className={`comment-row-button${count > 0 ? " has-comments" : ""}`}
      data-comment-anchor={key ?? undefined}
      data-comment-count={count}
      tabIndex={tabIndex}
      aria-label={label}
      title={label}
      // The panel offers the composer only to those who may comment.
      onClick={() => comments.startThread({ anchor, quote: name, target })}
    >
      <CommentIcon />
      {count > 0 ? <span className="comment-row-button__count">{count}</span> : null}
    </button>
  );
}

/** The open-thread count beside a section in the outline. */
export function OutlineCommentCount({ count }: { count: number | undefined }) {
  const { t } = useTranslation();
  if (!count) return null;
  const label = t("comments.outlineCount", { count });
  return (
    <span className="outline-comment-count" data-outline-comments={count} title={label}>
      <span aria-hidden="true">
        <CommentIcon />
        {count}
      </span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
