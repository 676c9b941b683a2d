import { z } from "zod";
import { NOTIFICATION_KINDS, type NotificationKind } from "../notifications";

export const CHANNEL_KINDS = ["wecom", "dingtalk", "feishu", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const ROBOT_KINDS = ["wecom", "dingtalk", "feishu"] as const satisfies readonly ChannelKind[];
export type RobotKind = (typeof ROBOT_KINDS)[number];

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Only these platforms sign their robot messages (企业微信's key in the URL is its only secret). */
export function signs(kind: ChannelKind): boolean {
  return kind === "dingtalk" || kind === "feishu";
}

export const CHANNEL_NAME_MAX = 60;
export const CHANNEL_SECRET_MAX = 200;
/** Workspace channels an admin may keep: a group robot per team is a handful, not hundreds. */
export const WORKSPACE_CHANNEL_LIMIT = 20;

/** A group chat hears about approvals; mentions and replies are personal and stay off it unless chosen. */
export const WORKSPACE_DEFAULT_KINDS: readonly NotificationKind[] = ["approvalTurn", "approved", "returned", "rejected", "reopened", "approvalOverdue"];
export const MEMBER_DEFAULT_KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS;

/** What a channel is told: rendered once, when the event happens, in the workspace's language (zh). */
export interface OutboundMessage {
  title: string;
  lines: string[];
  /** The in-app path; made absolute with the server's public URL when sent. */
  link: string;
}

const KindsSchema = z.array(z.enum(NOTIFICATION_KINDS));

/** A stored `kinds` column; unknown kinds (from a newer version) are ignored, never fatal. */
export function parseKinds(json: string): NotificationKind[] {
  try {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) return [];
    return KindsSchema.parse(parsed.filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly unknown[]).includes(k)));
  } catch {
    return [];
  }
}

const MessageSchema = z.object({ title: z.string(), lines: z.array(z.string()), link: z.string() });

export function parseMessage(json: string): OutboundMessage | null {
  try {
    const parsed = MessageSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Idempotency keys: a workspace channel hears of an event once, a member's channel of each of their notifications once. */
export const idempotencyKey = {
  workspace: (channelId: number, dedupeKey: string) => `ws:${channelId}:${dedupeKey}`,
  member: (channelId: number, notificationId: number) => `m:${channelId}:${notificationId}`,
  test: (channelId: number, nonce: string) => `test:${channelId}:${nonce}`,
};
