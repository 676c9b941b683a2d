import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCommentsContext, type CommentsController } from "~/collab/use-comments";
import { CsrfInput } from "~/components/csrf";
import { useOnline } from "~/lib/use-online";
import { useMentionable } from "~/components/mention-input";
import { CommentComposer, type CommentActionData } from "./comment-composer";
import { CommentThread } from "./comment-thread";
import { panelLists } from "./thread-list";

/** 评论（n）in the plan header: opens and closes the side panel. */
export function CommentsToggle() {
  const { t } = useTranslation();
  const comments = useCommentsContext();
  if (!comments) return null;
  const count = comments.data?.threads.filter((thread) => thread.status === "open").length ?? 0;
  return (
    <button
      type="button"
      className="button ghost comments-toggle"
      aria-expanded={comments.open}
      aria-controls="comments-panel"
      title={t("comments.toggleHint")}
      data-comments-count={count}
      onClick={() => comments.setOpen(!comments.open)}
    >
      {t("comments.toggle", { count })}
    </button>
  );
}

function ViewersMayComment({ comments }: { comments: CommentsController }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<CommentActionData>();
  const online = useOnline();
  const stored = comments.data?.viewersMayComment ?? true;
  // The box shows the choice at once and holds it until the list reloads with it stored (or the post failed).
  const [choice, setChoice] = useState<boolean | null>(null);
  const settled = fetcher.state === "idle" && (stored === choice || fetcher.data?.ok === false);
  useEffect(() => {
    if (settled) setChoice(null);
  }, [settled]);
  const checked = choice ?? stored;
  return (
    <fetcher.Form method="post" action={comments.href} className="comments-panel__setting">
      <CsrfInput />
      <input type="hidden" name="intent" value="setViewersMayComment" />
      <input type="hidden" name="value" value={checked ? "0" : "1"} />
      <label>
        <input
          type="checkbox"
          checked={checked}
          disabled={fetcher.state !== "idle" || !online}
          onChange={(event) => {
            setChoice(event.currentTarget.checked);
            if (event.currentTarget.form) fetcher.submit(event.currentTarget.form);
          }}
        />
        {t("comments.viewersMayComment")}
      </label>
    </fetcher.Form>
  );
}

/** Left/Right/Home/End move between the two tabs (ARIA tabs pattern). */
function onTabKey(event: KeyboardEvent<HTMLDivElement>, comments: CommentsController) {
  if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
  event.preventDefault();
  const next = event.key === "Home" ? "open" : event.key === "End" ? "resolved" : comments.tab === "open" ? "resolved" : "open";
  comments.setTab(next);
  event.currentTarget.querySelector<HTMLButtonElement>(`[data-tab="${next}"]`)?.focus();
}

/**
 * The comments side panel (a full-width sheet on narrow screens): 未解决 / 已解决 tabs, threads
 * whose anchor was deleted under 原文已删除, the composer of a new thread, and for whoever
 * manages the plan whether read-only members may comment.
 */
export function CommentsPanel() {
  const { t } = useTranslation();
  const comments = useCommentsContext();
  const members = useMentionable(comments?.planId ?? null).directory;
  const panel = useRef<HTMLElement>(null);
  const activeId = comments?.activeThreadId ?? null;
  useEffect(() => {
    if (!activeId) return;
    panel.current?.querySelector(`[data-thread-id="${CSS.escape(activeId)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [activeId, comments?.data]);

  if (!comments || !comments.open) return null;
  const { data } = comments;
  const lists = data ? panelLists(data.threads, comments.tab, comments.filter?.key ?? null, comments.isOrphaned) : null;
  const names = [
    ...(members?.members ?? []),
    ...(data?.threads.flatMap((thread) => thread.comments.map((comment) => comment.author)) ?? []),
  ];
  const threadProps = (thread: NonNullable<typeof data>["threads"][number], orphaned: boolean) => ({
    thread,
    href: comments.href,
    planId: comments.planId,
    me: data?.me ?? 0,
    canComment: data?.canComment ?? false,
    active: thread.id === comments.activeThreadId,
    orphaned,
    members: names,
    onSelect: () => comments.openThread(thread.id),
  });
  const draft = comments.draft;
  // Focus goes back to the toggle that opened the panel, not to the top of the page.
  const close = () => {
    comments.setOpen(false);
    document.querySelector<HTMLButtonElement>(".comments-toggle")?.focus();
  };
  return (
    <aside
      id="comments-panel"
      ref={panel}
      className="comments-panel"
      aria-labelledby="comments-panel-title"
      onKeyDown={(event) => {
        if (event.key === "Escape" && !event.defaultPrevented) close();
      }}
    >
      <header className="comments-panel__header">
        <h2 id="comments-panel-title">{t("comments.panelTitle")}</h2>
        {data?.canManage ? <ViewersMayComment comments={comments} /> : null}
        <button type="button" className="button ghost small" aria-label={t("comments.close")} title={t("comments.close")} onClick={close}>
          ✕
        </button>
      </header>
      {comments.filter ? (
        <p className="comments-panel__filter">
          <span>{t("comments.filterLabel", { target: comments.filter.target })}</span>
          <button type="button" className="button ghost small" onClick={comments.clearFilter}>
            {t("comments.clearFilter")}
          </button>
        </p>
      ) : null}
      {draft && data?.canComment ? (
        <section className="comments-panel__new" aria-label={t("comments.newThread")}>
          <h3>{t("comments.newThreadOn", { target: draft.target })}</h3>
          {draft.anchor.kind === "text" && draft.quote ? <blockquote className="comment-thread__quote">{draft.quote}</blockquote> : null}
          <CommentComposer
            key={JSON.stringify(draft.anchor)}
            href={comments.href}
            planId={comments.planId}
            fields={{ intent: "create", anchor: JSON.stringify(draft.anchor), quote: draft.quote }}
            label={t("comments.bodyLabel")}
            placeholder={t("comments.placeholder")}
            submitLabel={t("comments.submit")}
            autoFocus
            onDone={({ threadId }) => {
              comments.cancelDraft();
              if (threadId) comments.openThread(threadId);
            }}
            onCancel={comments.cancelDraft}
          />
        </section>
      ) : null}
      {data && !data.canComment ? <p className="muted comments-panel__note">{t("comments.readOnlyNoComment")}</p> : null}
      {lists ? (
        <>
          <div className="comments-tabs" role="tablist" aria-label={t("comments.tabsLabel")} onKeyDown={(event) => onTabKey(event, comments)}>
            {(["open", "resolved"] as const).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                id={`comments-tab-${tab}`}
                data-tab={tab}
                aria-selected={comments.tab === tab}
                aria-controls="comments-tabpanel"
                tabIndex={comments.tab === tab ? 0 : -1}
                onClick={() => comments.setTab(tab)}
              >
                {tab === "open" ? t("comments.tabOpen", { count: lists.openCount }) : t("comments.tabResolved", { count: lists.resolvedCount })}
              </button>
            ))}
          </div>
          <div id="comments-tabpanel" role="tabpanel" aria-labelledby={`comments-tab-${comments.tab}`} className="comments-tabpanel">
            {lists.attached.length === 0 && lists.orphaned.length === 0 ? (
              <p className="muted">{comments.tab === "open" ? t("comments.emptyOpen") : t("comments.emptyResolved")}</p>
            ) : null}
            {lists.attached.map((thread) => (
              <CommentThread key={thread.id} {...threadProps(thread, false)} />
            ))}
            {lists.orphaned.length > 0 ? (
              <section className="comments-orphaned" aria-labelledby="comments-orphaned-title">
                <h3 id="comments-orphaned-title">{t("comments.orphaned")}</h3>
                <p className="muted">{t("comments.orphanedHint")}</p>
                {lists.orphaned.map((thread) => (
                  <CommentThread key={thread.id} {...threadProps(thread, true)} />
                ))}
              </section>
            ) : null}
          </div>
        </>
      ) : (
        <p className="muted" role="status">
          {comments.failed ? t("comments.loadFailed") : t("comments.loading")}
        </p>
      )}
    </aside>
  );
}
