import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CommentView, ThreadView } from "~/domain/comments";
import { CommentBody } from "~/components/mention-input";
import { useOnline } from "~/lib/use-online";
import { CsrfInput } from "~/components/csrf";
import { ConfirmSubmitButton } from "~/components/dialogs";
import { useDateTime } from "~/components/approval-chain";
import { useRootData } from "~/root";
import { CommentComposer, useCommentError, type CommentActionData } from "./comment-composer";

export interface ThreadProps {
  thread: ThreadView;
  href: string;
  planId: string;
  me: number;
  canComment: boolean;
  active: boolean;
  orphaned: boolean;
  /** Names for the @ chips in bodies. */
  members: readonly { id: number; name: string }[];
  onSelect: () => void;
}

/** A small form posting one intent (resolve, reopen, delete) with its target. */
function IntentButton({ href, fields, label, confirm, className }: { href: string; fields: Record<string, string>; label: string; confirm?: string; className?: string }) {
  const fetcher = useFetcher<CommentActionData>();
  const error = useCommentError(fetcher.data);
  const online = useOnline();
  return (
    <fetcher.Form
      method="post"
      action={href}
      className="comment-intent"
      onSubmit={(event) => {
        if (!navigator.onLine) event.preventDefault();
      }}
    >
      <CsrfInput />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? (
        <ConfirmSubmitButton className={className ?? "button ghost small"} disabled={fetcher.state !== "idle" || !online} message={confirm} confirmLabel={label} danger>
          {label}
        </ConfirmSubmitButton>
      ) : (
        <button type="submit" className={className ?? "button ghost small"} disabled={fetcher.state !== "idle" || !online}>
          {label}
        </button>
      )}
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

function CommentItem({ comment, props }: { comment: CommentView; props: ThreadProps }) {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const [editing, setEditing] = useState(false);
  const own = comment.author.id === props.me && !comment.deleted;
  // Admins moderate: they may delete anyone's comment (the route allows it), never edit it.
  const moderator = useRootData().user?.role === "admin" && !comment.deleted;
  const mayEdit = own && props.canComment;
  return (
    <li className="comment" data-comment-id={comment.id} data-deleted={comment.deleted}>
      <p className="comment__meta">
        <span className="comment__author">{comment.author.name}</span>
        <time dateTime={new Date(comment.createdAt).toISOString()} className="muted">
          {dateTime(comment.createdAt)}
        </time>
        {comment.editedAt !== null && !comment.deleted ? <span className="muted">{t("comments.edited")}</span> : null}
      </p>
      {comment.deleted ? (
        <p className="comment__body comment__body--deleted muted">{t("comments.deleted")}</p>
      ) : editing ? (
        <CommentComposer
          href={props.href}
          planId={props.planId}
          fields={{ intent: "edit", commentId: comment.id }}
          label={t("comments.editLabel")}
          placeholder={t("comments.placeholder")}
          submitLabel={t("comments.save")}
          defaultValue={comment.body}
          autoFocus
          onDone={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="comment__body">
          <CommentBody body={comment.body} members={props.members} />
        </div>
      )}
      {(mayEdit || moderator) && !editing ? (
        <div className="comment__actions">
          {mayEdit ? (
            <button type="button" className="button ghost small" onClick={() => setEditing(true)}>
              {t("comments.edit")}
            </button>
          ) : null}
          <IntentButton href={props.href} fields={{ intent: "delete", commentId: comment.id }} label={t("comments.delete")} confirm={t("comments.deleteConfirm")} />
        </div>
      ) : null}
    </li>
  );
}

/** One discussion: what it is about, its comments, a reply box, resolve / reopen. */
export function CommentThread(props: ThreadProps) {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const { thread } = props;
  const label = t("comments.threadLabel", { name: thread.createdBy.name, quote: thread.quote });
  return (
    <article
      className={`comment-thread${props.active ? " comment-thread--active" : ""}${props.orphaned ? " comment-thread--orphaned" : ""}`}
      data-thread-id={thread.id}
      data-status={thread.status}
      data-orphaned={props.orphaned}
      aria-label={label}
      aria-current={props.active ? "true" : undefined}
    >
      {thread.quote ? (
        <button type="button" className="comment-thread__quote" onClick={props.onSelect} title={t("comments.showAnchor")} disabled={props.orphaned}>
          <span className="visually-hidden">{t("comments.showAnchor")}：</span>
          {thread.quote}
        </button>
      ) : null}
      <ol className="comment-list">
        {thread.comments.map((comment) => (
          <CommentItem key={comment.id} comment={comment} props={props} />
        ))}
      </ol>
      {thread.status === "resolved" && thread.resolvedBy && thread.resolvedAt !== null ? (
        <p className="muted comment-thread__resolved">{t("comments.resolvedBy", { name: thread.resolvedBy.name, time: dateTime(thread.resolvedAt) })}</p>
      ) : null}
      {props.canComment ? (
        <div className="comment-thread__footer">
          {thread.status === "open" ? (
            <CommentComposer
              href={props.href}
              planId={props.planId}
              fields={{ intent: "reply", threadId: thread.id }}
              label={t("comments.replyLabel")}
              placeholder={t("comments.replyPlaceholder")}
              submitLabel={t("comments.reply")}
            />
          ) : null}
          <IntentButton
            href={props.href}
            fields={{ intent: thread.status === "open" ? "resolve" : "reopen", threadId: thread.id }}
            label={thread.status === "open" ? t("comments.resolve") : t("comments.reopen")}
            className="button ghost small comment-thread__status"
          />
        </div>
      ) : null}
    </article>
  );
}
