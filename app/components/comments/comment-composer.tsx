import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { MentionInput } from "~/components/mention-input";
import { CsrfInput } from "~/components/csrf";
import { useOnline } from "~/lib/use-online";

export type CommentActionData = { ok: true; threadId?: string; commentId?: string } | { ok: false; code: string };

/** The message for a refused comment action, in the member's language. */
export function useCommentError(data: CommentActionData | undefined): string | null {
  const { t } = useTranslation();
  if (!data || data.ok) return null;
  return t(`comments.errors.${data.code}`, { defaultValue: t("comments.errors.generic") });
}

/**
 * A comment form posting to the comments route: a new thread, a reply or an edit. The body
 * field is the @ mention input; Ctrl+Enter posts.
 */
export function CommentComposer({
  href,
  planId,
  fields,
  label,
  placeholder,
  submitLabel,
  defaultValue,
  autoFocus,
  onDone,
  onCancel,
}: {
  href: string;
  planId: string;
  /** Hidden fields: the intent and what it acts on. */
  fields: Record<string, string>;
  label: string;
  placeholder: string;
  submitLabel: string;
  defaultValue?: string;
  autoFocus?: boolean;
  onDone?: (result: { threadId?: string; commentId?: string }) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<CommentActionData>();
  const form = useRef<HTMLFormElement>(null);
  // Remounting the input empties it after a post went through.
  const [generation, setGeneration] = useState(0);
  const error = useCommentError(fetcher.data);
  const handled = useRef<CommentActionData | undefined>(undefined);
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data || handled.current === data) return;
    handled.current = data;
    if (data.ok) {
      setGeneration((g) => g + 1);
      onDoneRef.current?.({ threadId: data.threadId, commentId: data.commentId });
    }
  }, [fetcher.state, fetcher.data]);
  const busy = fetcher.state !== "idle";
  const online = useOnline();
  return (
    <fetcher.Form
      method="post"
      action={href}
      className="comment-composer"
      ref={form}
      aria-busy={busy}
      onSubmit={(event) => {
        if (!navigator.onLine) event.preventDefault();
      }}
    >
      <CsrfInput />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <MentionInput
        key={generation}
        name="body"
        planId={planId}
        label={label}
        placeholder={placeholder}
        defaultValue={defaultValue}
        autoFocus={autoFocus}
        onSubmitShortcut={() => form.current?.requestSubmit()}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {online ? null : (
        <p className="form-error" role="status" data-comments-offline>
          {t("comments.offline")}
        </p>
      )}
      <div className="comment-composer__actions">
        {onCancel ? (
          <button type="button" className="button ghost small" onClick={onCancel}>
            {t("comments.cancel")}
          </button>
        ) : null}
        <button type="submit" className="button small" disabled={busy || !online}>
          {submitLabel}
        </button>
      </div>
    </fetcher.Form>
  );
}
