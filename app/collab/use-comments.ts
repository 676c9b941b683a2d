import { useSearchParams } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type * as Y from "yjs";
import type { Anchor, ThreadView } from "~/domain/comments";
import { ROOT, blockArray, indexOfId, sectionFragment, sectionIndex } from "~/domain/plan-document";
import { textAnchorAlive } from "~/editor/comment-anchors";
import { useJson } from "~/lib/use-json";
import { anchorKey, openCountsByAnchor, openCountsBySection, type BlockSections } from "~/components/comments/thread-list";

/** What the comments resource route's loader returns. */
export interface CommentsData {
  threads: ThreadView[];
  canComment: boolean;
  viewersMayComment: boolean;
  canManage: boolean;
  me: number;
}

const isCommentsData = (raw: unknown): raw is CommentsData => typeof raw === "object" && raw !== null && Array.isArray((raw as CommentsData).threads);

/** A thread being written: where it will be anchored and how the composer names that place. */
export interface CommentDraft {
  anchor: Anchor;
  quote: string;
  target: string;
}

export interface CommentsController {
  planId: string;
  /** Where the route lives: its loader lists threads, its action changes them. */
  href: string;
  data: CommentsData | null;
  failed: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
  tab: "open" | "resolved";
  setTab: (tab: "open" | "resolved") => void;
  activeThreadId: string | null;
  /** Opens the panel on a thread and shows its anchor. */
  openThread: (threadId: string) => void;
  /** The panel shows only the threads on this anchor (a row, a diff line). */
  filter: { key: string; target: string } | null;
  clearFilter: () => void;
  draft: CommentDraft | null;
  /** Opens the panel with a composer for a new thread on this anchor. */
  startThread: (draft: CommentDraft) => void;
  cancelDraft: () => void;
  isOrphaned: (thread: ThreadView) => boolean;
  /** Open threads per block anchor key, for the rows' buttons. */
  openByAnchor: Map<string, number>;
}

export const CommentsContext = createContext<CommentsController | null>(null);

/** The comments of the plan on screen, or null where there are none (history, templates). */
export function useCommentsContext(): CommentsController | null {
  return useContext(CommentsContext);
}

const BLOCK_ROOT = { budgetLine: ROOT.budget, timelineItem: ROOT.timeline, kpi: ROOT.kpis } as const;

/** Whether a thread's anchor is gone from the live document; without one, the server's judgement. */
function orphanedIn(doc: Y.Doc | null, thread: ThreadView): boolean {
  const anchor = thread.anchor;
  if (!doc || anchor.kind === "diffLine") return thread.orphaned;
  if (anchor.kind === "text") {
    return sectionIndex(doc, anchor.sectionId) < 0 || !textAnchorAlive(doc, sectionFragment(doc, anchor.sectionId), anchor.start, anchor.end);
  }
  const id = anchor.kind === "budgetLine" ? anchor.lineId : anchor.kind === "timelineItem" ? anchor.itemId : anchor.kpiId;
  return indexOfId(blockArray(doc, BLOCK_ROOT[anchor.kind]), id) < 0;
}

/**
 * The ids of the threads whose anchor is gone from the live document, checked at most once a
 * frame after each change to it; a new set only when the answer changed, so typing does not
 * re-render what reads the comments. Null without a live document: the server's judgement holds.
 */
function useOrphanedIds(doc: Y.Doc | null, threads: readonly ThreadView[] | undefined): ReadonlySet<string> | null {
  const [ids, setIds] = useState<ReadonlySet<string> | null>(null);
  useEffect(() => {
    if (!doc) {
      setIds(null);
      return;
    }
    let frame = 0;
    const check = () => {
      frame = 0;
      const next = new Set((threads ?? []).filter((thread) => orphanedIn(doc, thread)).map((thread) => thread.id));
      setIds((previous) => (previous !== null && previous.size === next.size && [...next].every((id) => previous.has(id)) ? previous : next));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(check);
    };
    doc.on("update", schedule);
    check();
    return () => {
      doc.off("update", schedule);
      cancelAnimationFrame(frame);
    };
  }, [doc, threads]);
  return ids;
}

/**
 * The comments of one plan: the thread list from the comments route, refreshed whenever
 * its event stream says something changed, plus what the panel shows. `?thread=<id>` in
 * the address opens the panel on that thread.
 */
export function useComments(planId: string, doc: Y.Doc | null, enabled = true): CommentsController {
  const href = `/plans/${planId}/comments`;
  const [searchParams] = useSearchParams();
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<"open" | "resolved">("open");
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  const [filter, setFilter] = useState<{ key: string; target: string } | null>(null);
  const [draft, setDraft] = useState<CommentDraft | null>(null);
  const { data, failed, reload } = useJson(enabled ? href : null, isCommentsData);
  const loadRef = useRef(reload);
  loadRef.current = reload;
  // The stream opens once the list loaded: whoever may not read the plan asks for neither.
  const listed = data !== null;
  useEffect(() => {
    if (!enabled || !listed) return;
    const source = new EventSource(`${href}/stream`);
    source.addEventListener("changed", () => loadRef.current());
    // Each (re)connection reloads: a change between the last load and the stream opening is not missed.
    source.addEventListener("open", () => loadRef.current());
    return () => source.close();
  }, [href, enabled, listed]);

  const threads = data?.threads;
  const openThread = useCallback(
    (threadId: string) => {
      const thread = threads?.find((t) => t.id === threadId);
      setOpen(true);
      setActiveThreadId(threadId);
      if (thread) setTab(thread.status);
      if (thread && filter && anchorKey(thread.anchor) !== filter.key) setFilter(null);
    },
    [threads, filter],
  );

  // ?thread=<id>: once the list has it, open the panel on it.
  const linked = searchParams.get("thread");
  const linkedDone = useRef<string | null>(null);
  useEffect(() => {
    if (!linked || linkedDone.current === linked || !threads?.some((t) => t.id === linked)) return;
    linkedDone.current = linked;
    openThread(linked);
  }, [linked, threads, openThread]);

  // ?section=<id> (a mention in the text): bring the section into view, again once the live editors replaced the static page.
  const linkedSection = searchParams.get("section");
  useEffect(() => {
    if (linkedSection) document.getElementById(`section-${linkedSection}`)?.scrollIntoView({ block: "start" });
  }, [linkedSection, doc]);

  // A row's thread opened: bring the row into view and mark it (text threads are marked by the editor).
  const activeAnchor = threads?.find((t) => t.id === activeThreadId)?.anchor;
  const activeKey = activeAnchor ? anchorKey(activeAnchor) : null;
  useEffect(() => {
    if (!activeKey) return;
    const button = document.querySelector(`[data-comment-anchor="${CSS.escape(activeKey)}"]`);
    const row = button?.closest("tr, li, [role='row']") ?? button;
    if (!row) return;
    row.setAttribute("data-comment-active", "");
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    return () => row.removeAttribute("data-comment-active");
  }, [activeKey, doc]);

  const startThread = useCallback((next: CommentDraft) => {
    const key = anchorKey(next.anchor);
    setOpen(true);
    setTab("open");
    setActiveThreadId(null);
    setDraft(next);
    setFilter(key === null ? null : { key, target: next.target });
  }, []);

  const orphanedIds = useOrphanedIds(doc, threads);
  const isOrphaned = useCallback((thread: ThreadView) => (orphanedIds === null ? thread.orphaned : orphanedIds.has(thread.id)), [orphanedIds]);

  const openByAnchor = useMemo(() => openCountsByAnchor(threads ?? [], isOrphaned), [threads, isOrphaned]);

  const closePanel = useCallback((next: boolean) => {
    setOpen(next);
    if (!next) setActiveThreadId(null);
  }, []);
  const clearFilter = useCallback(() => setFilter(null), []);
  const cancelDraft = useCallback(() => setDraft(null), []);
  // One object per change that matters: the rows' buttons re-render with it, not with every keystroke.
  return useMemo(
    () => ({
      planId,
      href,
      data,
      failed,
      open,
      setOpen: closePanel,
      tab,
      setTab,
      activeThreadId,
      openThread,
      filter,
      clearFilter,
      draft,
      startThread,
      cancelDraft,
      isOrphaned,
      openByAnchor,
    }),
    [planId, href, data, failed, open, closePanel, tab, activeThreadId, openThread, filter, clearFilter, draft, startThread, cancelDraft, isOrphaned, openByAnchor],
  );
}

/** Open threads per section of the outline; the budget, timeline and KPI threads count on their block's section. */
export function useSectionCommentCounts(sections: readonly { id: string; kind: string }[]): Map<string, number> {
  const comments = useCommentsContext();
  const threads = comments?.data?.threads;
  const isOrphaned = comments?.isOrphaned;
  return useMemo(() => {
    if (!threads || !isOrphaned) return new Map<string, number>();
    const blocks: BlockSections = {};
    for (const section of sections) {
      if (section.kind === "budget" || section.kind === "timeline" || section.kind === "kpis") blocks[section.kind] = section.id;
    }
    return openCountsBySection(threads, blocks, isOrphaned);
  }, [threads, isOrphaned, sections]);
}
