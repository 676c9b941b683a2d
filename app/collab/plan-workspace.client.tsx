import { useRevalidator } from "@remix-run/react";
import { memo, useEffect } from "react";
import type * as Y from "yjs";
import { useTranslation } from "react-i18next";
import SectionEditor, { type EditorLabels } from "~/editor/section-editor.client";
import { addSection, moveSection, removeSection, renameSection, type Section } from "~/domain/plan-document";
import { StaticSection } from "~/components/static-section";
import type { Person } from "~/blocks/block-props";
import BudgetBlock from "~/blocks/budget-block.client";
import KpisBlock from "~/blocks/kpis-block.client";
import RolesBlock from "~/blocks/roles-block.client";
import TimelineBlock from "~/blocks/timeline-block.client";
import { usePeers, usePlanSession, useSections } from "./use-plan-session";
import type { ConnectionStatus } from "./plan-session";
import { CloseCode } from "~/domain/collab-codes";

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
  const session = usePlanSession(props.planId);
  const live = session?.ready ? session : null;
  const sections = useSections(live?.doc, props.sections);
  const peers = usePeers(session?.provider.awareness);
  const labels = (i18n.getResourceBundle(i18n.language, "translation") as { editor: EditorLabels }).editor;
  const status: ConnectionStatus = session?.status ?? "connecting";
  const editable = props.canEdit && status !== "closed";
  const doc = live?.doc;
  const { revalidate } = useRevalidator();
  const accessChanges = session?.accessChanges ?? 0;
  // Archived, removed or downgraded: reload the page's data so its controls match the new access.
  useEffect(() => {
    if (accessChanges > 0) revalidate();
  }, [accessChanges, revalidate]);

  const onAdd = () => {
    if (!doc) return;
    const heading = window.prompt(t("plan.renamePrompt"), t("plan.newSectionHeading"))?.trim();
    if (heading) addSection(doc, heading.slice(0, 200));
  };

  return (
    <div className="plan-workspace">
      <div className="plan-statusbar">
        {/* data-synced: a stable marker for tests and bench/pages.ts that the document has caught up with the server's. */}
        <span className={`connection connection-${status}`} role="status" data-status={status} data-synced={session?.synced ?? false}>
          {t(`plan.connection.${status}`)}
        </span>
        <div className="presence" aria-label={t("plan.presence")}>
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
      <div className="plan-body">
        <nav className="outline" aria-label={t("plan.sections")}>
          <h2>{t("plan.sections")}</h2>
          <ol>
            {sections.map((section, index) => (
              <li key={section.id}>
                <a href={`#section-${section.id}`}>{section.heading}</a>
                {editable && doc ? (
                  <span className="outline-actions">
                    <button type="button" title={t("plan.rename")} aria-label={`${t("plan.rename")} ${section.heading}`} onClick={() => {
                      const heading = window.prompt(t("plan.renamePrompt"), section.heading)?.trim();
                      if (heading) renameSection(doc, section.id, heading.slice(0, 200));
                    }}>✎</button>
                    <button type="button" title={t("plan.moveUp")} aria-label={`${t("plan.moveUp")} ${section.heading}`} disabled={index === 0} onClick={() => moveSection(doc, section.id, index - 1)}>↑</button>
                    <button type="button" title={t("plan.moveDown")} aria-label={`${t("plan.moveDown")} ${section.heading}`} disabled={index === sections.length - 1} onClick={() => moveSection(doc, section.id, index + 1)}>↓</button>
                    <button type="button" title={t("plan.remove")} aria-label={`${t("plan.remove")} ${section.heading}`} onClick={() => {
                      if (window.confirm(t("plan.removeConfirm", { heading: section.heading }))) removeSection(doc, section.id);
                    }}>✕</button>
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
          {editable && doc ? (
            <button type="button" className="button small" onClick={onAdd}>
              + {t("plan.addSection")}
            </button>
          ) : null}
        </nav>
        <div className="sections">
          {sections.map((section) => (
            <section key={section.id} id={`section-${section.id}`} className="plan-section" data-section-id={section.id}>
              <h2>{section.heading}</h2>
              {doc && section.kind !== "richText" ? (
                <StructuredBlock kind={section.kind} doc={doc} editable={editable} budgetLock={props.budgetLock} people={props.people} />
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
  if (kind !== "budget" || budgetLock === null) return <Block {...props} editable={editable} today={localToday()} />;
  return (
    <>
      <p className="notice muted-notice budget-locked" role="status" data-budget-lock={budgetLock}>
        {t(budgetLock === "approved" ? "approval.panel.lockedApproved" : "approval.panel.lockedInReview")}
      </p>
      <Block {...props} editable={false} today={localToday()} />
    </>
  );
});
