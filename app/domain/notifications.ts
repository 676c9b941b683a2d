import type { PlanAccess } from "./plan";
import type { StepKind } from "./approval";

export const NOTIFICATION_KINDS = [
  "approvalTurn",
  "approved",
  "returned",
  "rejected",
  "reopened",
  "mentioned",
  "replied",
  "addedToPlan",
  "approvalOverdue",
  "delegated",
  "accessRequested",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What each kind tells its recipient; titles and names are copied so the text survives renames. */
export interface NotificationPayloads {
  approvalTurn: { planTitle: string; revisionId: number; revisionNumber: number; stepIndex: number; stepKind: StepKind; totalFen: number };
  approved: { planTitle: string; revisionId: number; revisionNumber: number; deciderName: string };
  returned: { planTitle: string; revisionId: number; revisionNumber: number; deciderName: string; comment: string };
  rejected: { planTitle: string; revisionId: number; revisionNumber: number; deciderName: string; comment: string };
  reopened: { planTitle: string; revisionId: number | null; revisionNumber: number; reason: string; actorName: string };
  mentioned: { planTitle: string; actorName: string; excerpt: string; threadId: string | null; sectionId: string | null };
  replied: { planTitle: string; actorName: string; excerpt: string; threadId: string };
  addedToPlan: { planTitle: string; actorName: string; access: PlanAccess };
  approvalOverdue: { planTitle: string; revisionId: number; revisionNumber: number; stepIndex: number; dueAt: number };
  delegated: { planTitle: string; revisionId: number; revisionNumber: number; stepIndex: number; actorName: string; reason: string };
  /** To the plan's owner: a member who may not read the plan asked to be added (actorName is the asker). */
  accessRequested: { planTitle: string; actorName: string; requesterId: number };
}

export type NotificationEvent = { [K in NotificationKind]: { kind: K } & NotificationPayloads[K] }[NotificationKind];

/** The fields a link is built from: every payload has a plan title and the ones its kind needs. */
export interface LinkFields {
  planTitle: string;
  revisionId?: number | null;
  threadId?: string | null;
  sectionId?: string | null;
}

/** The in-app path a notification opens: the approval, the plan, or the exact thread or section. */
export function notificationLink(kind: NotificationKind, planId: string | null, payload: LinkFields): string {
  const plan = planId === null ? "/notifications" : `/plans/${encodeURIComponent(planId)}`;
  const approval = payload.revisionId != null ? `/approvals/${payload.revisionId}` : plan;
  switch (kind) {
    case "approvalTurn":
    case "approved":
    case "approvalOverdue":
    case "delegated":
    case "reopened":
      return approval;
    case "returned":
    case "rejected":
    case "addedToPlan":
      return plan;
    case "accessRequested":
      // Straight to the member panel, where the owner adds the asker.
      return planId === null ? plan : `${plan}#members`;
    case "mentioned":
    case "replied":
      if (planId === null) return plan;
      if (payload.threadId) return `${plan}?thread=${encodeURIComponent(payload.threadId)}`;
      if (payload.sectionId) return `${plan}?section=${encodeURIComponent(payload.sectionId)}`;
      return plan;
  }
}

/** Splits an event into the stored kind and payload (the payload never repeats the kind). */
export function payloadOf(event: NotificationEvent): { kind: NotificationKind; payload: Record<string, unknown> } {
  const { kind, ...payload } = event;
  return { kind, payload };
}

/** Rebuilds an event from a stored row; null when the row's JSON is not an object (never written so, but rows outlive code). */
export function eventOf(kind: NotificationKind, payloadJson: string): NotificationEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payloadJson);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  return { ...parsed, kind } as NotificationEvent;
}

/** Bounds free text copied into a notification (comments, reasons, excerpts). */
export const NOTIFICATION_TEXT_MAX = 280;

export function clipText(text: string, max = NOTIFICATION_TEXT_MAX): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}
