import { useRevalidator } from "@remix-run/react";
import { memo, useEffect, useMemo } from "react";
import type * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { useConfirm, usePrompt } from "~/components/dialogs";
import SectionEditor, { type EditorLabels } from "~/editor/section-editor.client";
import { addSection, moveSection, removeSection, renameSection, type Section } from "~/domain/plan-document";
import { StaticSection } from "~/components/static-section";
import type { Person } from "~/blocks/block-props";
import BudgetBlock from "~/blocks/budget-block.client";
import KpisBlock from "~/blocks/kpis-block.client";
import RolesBlock from "~/blocks/roles-block.client";
import TimelineBlock from "~/blocks/timeline-block.client";
import { usePeers, usePlanSession, useSections } from "./use-plan-session";
import { CellAwarenessContext } from "./cell-awareness";
import { BlockUndoContext, useBlockUndo } from "./use-block-undo";
import type { ConnectionStatus } from "./plan-session";
import { RefusalNotice } from "./refusal-notice-view";
import { CloseCode } from "~/domain/collab-codes";
import { useRootData } from "~/root";
import { useOfflinePage } from "./offline-shell";
import { useSectionCommentCounts } from "./use-comments";
import { OutlineCommentCount } from "~/components/comments/comment-button";
import { useMediaQuery } from "~/components/use-media-query";

/** Where the outline stops being a side column (the .plan-body grid folds at the same width). */
const OUTLINE_FOLD_QUERY = "(max-width: 800px)";

export interface PlanWorkspaceProps {
  planId: string;
  sections: Section[];
  html: Record<string, string>;
  canEdit: boolean;
  /** The budget is in review or approved: its block is read-only for everyone, the rest stays editable. */
  budgetLock: "inReview" | "approved" | null;
  user: { name: string; color: string };
  /** The plan's owner and members, for owner/person cells. */
  people: Person[];
  /** Told the live document once it is ready (and each new one after a resync), for what the page derives from it. */
  onDoc?: (doc: Y.Doc | null) => void;
}

/** Close codes with a banner of their own; any other says the connection was lost. */
const EXPLAINED_CLOSES: ReadonlySet<number> = new Set([
  CloseCode.unauthenticated,
  CloseCode.forbidden,
  CloseCode.tooLarge,
  CloseCode.tooManyConnections,
  CloseCode.badMessage,
]);

const BLOCKS = { timeline: TimelineBlock, roles: RolesBlock, budget: BudgetBlock, kpis: KpisBlock } as const;

/** Today in the member's own time zone: the day the Gantt marks and new rows start on. */
function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** The live plan: sections bound to the shared document, presence and connection state. */
export default function PlanWorkspace(props: PlanWorkspaceProps) {
  const { t, i18n } = useTranslation();
  const memberId = useRootData().user?.id ?? null;
  const session = usePlanSession(props.planId, memberId ?? undefined);
  const offlineReady = useOfflinePage(memberId);
  const pending = session?.pendingChanges ?? 0;
  const live = session?.ready ? session : null;
  const sections = useSections(live?.doc, props.sections);
  const peers = usePeers(session?.provider.awareness);
  const commentCounts = useSectionCommentCounts(sections);
  const labels = (i18n.getResourceBundle(i18n.language, "translation") as { editor: EditorLabels }).editor;
  const status: ConnectionStatus = session?.status ?? "connecting";
  const editable = props.canEdit && status !== "closed";
  const doc = live?.doc;
  const blockUndo = useBlockUndo(doc);
  const narrow = useMediaQuery(OUTLINE_FOLD_QUERY);
  // Viewers and closed connections have no undo; a locked budget keeps its steps but refuses them.
  const undoScope = useMemo(() => ({ undo: editable ? blockUndo : null, budgetLocked: props.budgetLock !== null }), [editable, blockUndo, props.budgetLock]);
  const { revalidate } = useRevalidator();
  const accessChanges = session?.accessChanges ?? 0;
  // Archived, removed or downgraded: reload the page's data so its controls match the new access.
  useEffect(() => {
    if (accessChanges > 0) revalidate();
  }, [accessChanges, revalidate]);
  const { onDoc } = props;
  useEffect(() => {
    onDoc?.(doc ?? null);
    return () => onDoc?.(null);
  }, [doc, onDoc]);

  const [askHeading, headingDialog] = usePrompt();
  const [confirm, confirmDialog] = useConfirm();
  const headingRequest = (title: string, initialValue: string) => ({ title, label: t("plan.renamePrompt"), initialValue, confirmLabel: title, required: true, maxLength: 200 });
  const onAdd = async () => {
    if (!doc) return;
    const heading = await askHeading(headingRequest(t("plan.addSection"), t("plan.newSectionHeading")));
    if (heading) addSection(doc, heading.slice(0, 200));
  };

  return (
    <div className="plan-workspace">
      {headingDialog}
      {confirmDialog}
      <div className="plan-statusbar">
        {/* data-synced: a stable marker for tests and bench/pages.ts that the document has caught up with the server's. */}
        {/* data-offline-ready: this page and its document reload without a network. */}
        <span className={`connection connection-${status}`} role="status" data-status={status} data-synced={session?.synced ?? false} data-pending={pending} data-offline-ready={offlineReady}>
          {pending > 0 ? t("offline.pending", { status: t(`plan.connection.${status}`), count: pending }) : t(`plan.connection.${status}`)}
        </span>
        <div className="presence" role="group" aria-label={t("plan.presence")}>
          {peers.map((peer) => (
            <span key={peer.clientId} className="avatar small" style={{ background: peer.color }} title={peer.name}>
              {peer.name.slice(-2)}
            </span>
          ))}
        </div>
      </div>
      {session?.closedCode ? (
        <p className="form-error" role="alert">
          {t(`plan.closed.${EXPLAINED_CLOSES.has(session.closedCode) ? session.closedCode : "other"}`)}
        </p>
      ) : null}
      {session?.resyncedReason ? (
        <p className="notice warning" role="status">
          {t("plan.resynced", { reason: session.resyncedReason })}
        </p>
      ) : null}
      <RefusalNotice refusal={session?.refusal ?? null} />
      <div className="plan-body">
        <nav className="outline" aria-label={t("plan.sections")}>
          {/* Narrow screens: the outline folds into 目录 above the sections, closed, and closes again after a jump. */}
          <details key={narrow ? "narrow" : "wide"} className="outline-fold" open={!narrow}>
          <summary>
            <h2>{narrow ? t("layout.outline") : t("plan.sections")}</h2>
          </summary>
          <ol
            onClick={(event) => {
              if (narrow && (event.target as Element).closest("a")) event.currentTarget.closest("details")?.removeAttribute("open");
            }}
          >
            {sections.map((section, index) => (
              <li key={section.id}>
                <a href={`#section-${section.id}`}>{section.heading}</a>
                <OutlineCommentCount count={commentCounts.get(section.id)} />
                {editable && doc ? (
                  <span className="outline-actions">
                    <button type="button" title={t("plan.rename")} aria-label={`${t("plan.rename")} ${section.heading}`} onClick={() => {
                      void askHeading(headingRequest(t("plan.rename"), section.heading)).then((heading) => {
                        if (heading) renameSection(doc, section.id, heading.slice(0, 200));
                      });
                    }}>✎</button>
                    <button type="button" title={t("plan.moveUp")} aria-label={`${t("plan.moveUp")} ${section.heading}`} disabled={index === 0} onClick={() => moveSection(doc, section.id, index - 1)}>↑</button>
                    <button type="button" title={t("plan.moveDown")} aria-label={`${t("plan.moveDown")} ${section.heading}`} disabled={index === sections.length - 1} onClick={() => moveSection(doc, section.id, index + 1)}>↓</button>
                    <button type="button" title={t("plan.remove")} aria-label={`${t("plan.remove")} ${section.heading}`} onClick={() => {
                      void confirm({ title: t("plan.remove"), message: t("plan.removeConfirm", { heading: section.heading }), confirmLabel: t("plan.remove"), danger: true }).then((ok) => {
                        if (ok) removeSection(doc, section.id);
                      });
                    }}>✕</button>
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
          {editable && doc ? (
            <button type="button" className="button small" onClick={() => void onAdd()}>
              + {t("plan.addSection")}
            </button>
          ) : null}
          </details>
        </nav>
        <div className="sections">
          {sections.map((section) => (
            <section key={section.id} id={`section-${section.id}`} className="plan-section" data-section-id={section.id}>
              <h2>{section.heading}</h2>
              {doc && section.kind !== "richText" ? (
                <BlockUndoContext.Provider value={undoScope}>
                  <CellAwarenessContext.Provider value={session?.provider.awareness ?? null}>
                    <StructuredBlock kind={section.kind} doc={doc} editable={editable} budgetLock={props.budgetLock} people={props.people} />
                  </CellAwarenessContext.Provider>
                </BlockUndoContext.Provider>
              ) : doc && session && section.kind === "richText" ? (
                <SectionEditor
                  key={`${doc.clientID}-${section.id}`}
                  doc={doc}
                  provider={session.provider}
                  sectionId={section.id}
                  editable={editable}
                  user={props.user}
                  placeholder={t("plan.placeholder")}
                  labels={labels}
                />
              ) : (
                <StaticSection html={props.html[section.id] ?? ""} />
              )}
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

// Memoized: presence, connection and section-list changes re-render the workspace, and a
// 500-line budget must not re-render with them when its own inputs did not change.
const StructuredBlock = memo(function StructuredBlock({
  kind,
  budgetLock,
  editable,
  ...props
}: {
  kind: keyof typeof BLOCKS;
  doc: Y.Doc;
  editable: boolean;
  budgetLock: "inReview" | "approved" | null;
  people: Person[];
}) {
  const { t } = useTranslation();
  const Block = BLOCKS[kind];
  const locked = kind === "budget" && budgetLock !== null;
  // One shape locked or not: the block stays mounted when the budget locks, so a cell being typed in keeps its text.
  return (
    <>
      {locked ? (
        <p className="notice muted-notice budget-locked" role="status" data-budget-lock={budgetLock}>
          {t(budgetLock === "approved" ? "approval.panel.lockedApproved" : "approval.panel.lockedInReview")}
        </p>
      ) : null}
      <Block {...props} editable={editable && !locked} today={localToday()} />
    </>
  );
});
