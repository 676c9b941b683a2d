import type { Anchor, ThreadView } from "~/domain/comments";

/**
 * What the panel, the outline and the row buttons derive from the thread list. Pure: the
 * orphan judgement comes in as a function, since text anchors are judged against the live
 * document and block anchors by the server.
 */

/** The key of the thing a block anchor points at (a row, a diff line); text anchors have none. */
export function anchorKey(anchor: Anchor): string | null {
  switch (anchor.kind) {
    case "budgetLine":
      return `budgetLine:${anchor.lineId}`;
    case "timelineItem":
      return `timelineItem:${anchor.itemId}`;
    case "kpi":
      return `kpi:${anchor.kpiId}`;
    case "diffLine":
      return `diffLine:${anchor.revisionId}:${anchor.lineId}`;
    case "text":
      return null;
  }
}

/** Open, not orphaned threads per anchor key: the count a row's comment button shows. */
export function openCountsByAnchor(threads: readonly ThreadView[], orphaned: (thread: ThreadView) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of threads) {
    const key = anchorKey(thread.anchor);
    if (key === null || thread.status !== "open" || orphaned(thread)) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Which section each block kind lives in: a plan has at most one section of each block kind. */
export type BlockSections = Partial<Record<"budget" | "timeline" | "kpis", string>>;

const BLOCK_OF = { budgetLine: "budget", timelineItem: "timeline", kpi: "kpis" } as const;

/** Open, not orphaned threads per section id, for the outline. Diff-line threads belong to no section. */
export function openCountsBySection(threads: readonly ThreadView[], blocks: BlockSections, orphaned: (thread: ThreadView) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of threads) {
    if (thread.status !== "open" || orphaned(thread)) continue;
    const anchor = thread.anchor;
    const section = anchor.kind === "text" ? anchor.sectionId : anchor.kind === "diffLine" ? undefined : blocks[BLOCK_OF[anchor.kind]];
    if (section !== undefined) counts.set(section, (counts.get(section) ?? 0) + 1);
  }
  return counts;
}

export interface PanelLists {
  openCount: number;
  resolvedCount: number;
  /** The chosen tab's threads whose anchor is still there, oldest first. */
  attached: ThreadView[];
  /** The chosen tab's threads whose anchor was deleted: shown under 原文已删除. */
  orphaned: ThreadView[];
}

/** The panel's lists for a tab, optionally only the threads on one anchor. */
export function panelLists(
  threads: readonly ThreadView[],
  tab: "open" | "resolved",
  filterKey: string | null,
  orphaned: (thread: ThreadView) => boolean,
): PanelLists {
  const scoped = filterKey === null ? threads : threads.filter((thread) => anchorKey(thread.anchor) === filterKey);
  const inTab = scoped.filter((thread) => thread.status === tab).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return {
    openCount: scoped.filter((thread) => thread.status === "open").length,
    resolvedCount: scoped.filter((thread) => thread.status === "resolved").length,
    attached: inTab.filter((thread) => !orphaned(thread)),
    orphaned: inTab.filter((thread) => orphaned(thread)),
  };
}
