import type { Fen } from "../money";
import { eventOf, notificationLink, type NotificationEvent, type NotificationKind } from "../notifications";
import type { StepKind } from "../approval";
import { formatMoney } from "~/i18n/format";
import type { OutboundMessage } from "./channel";

/**
 * The text robots and emails carry. Robots post into the team's group chat, which speaks the
 * workspace's language, so messages are Chinese whatever a member's own UI language is.
 * A member's channel speaks to them ("你"); a workspace channel names who it concerns.
 */
export type Audience = { kind: "member" } | { kind: "workspace"; names: readonly string[] };

const STEP_LABEL: Record<StepKind, string> = { review: "审核", endorse: "核准", approve: "审批" };

const DUE_AT = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function who(audience: Audience): string {
  if (audience.kind === "member") return "你";
  const names = audience.names.slice(0, 5);
  const more = audience.names.length - names.length;
  return names.length === 0 ? "相关成员" : `${names.join("、")}${more > 0 ? ` 等 ${audience.names.length} 人` : ""}`;
}

function eventText(event: NotificationEvent, audience: Audience): { title: string; lines: string[] } {
  const plan = `《${event.planTitle}》`;
  switch (event.kind) {
    case "approvalTurn":
      return {
        title: `待审批：${plan}第 ${event.revisionNumber} 版预算`,
        lines: [`轮到${who(audience)}${STEP_LABEL[event.stepKind]}（第 ${event.stepIndex + 1} 步）`, `预算合计：${formatMoney(event.totalFen as Fen, "zh-CN")}`],
      };
    case "approved":
      return { title: `${plan}第 ${event.revisionNumber} 版预算已通过`, lines: [`审批人：${event.deciderName}`] };
    case "returned":
      return {
        title: `${plan}第 ${event.revisionNumber} 版预算被退回修改`,
        lines: [`退回人：${event.deciderName}`, ...(event.comment ? [`意见：${event.comment}`] : [])],
      };
    case "rejected":
      return {
        title: `${plan}第 ${event.revisionNumber} 版预算被驳回`,
        lines: [`驳回人：${event.deciderName}`, ...(event.comment ? [`意见：${event.comment}`] : [])],
      };
    case "reopened":
      return { title: `${plan}的预算已重新打开`, lines: [`操作人：${event.actorName}`, `原因：${event.reason}`] };
    case "mentioned":
      return { title: `${event.actorName} 在${plan}中提到了${who(audience)}`, lines: [event.excerpt] };
    case "replied":
      return { title: `${event.actorName} 回复了${plan}中${audience.kind === "member" ? "你参与" : ""}的讨论`, lines: [event.excerpt] };
    case "addedToPlan":
      return { title: `${event.actorName} 把${who(audience)}加入了${plan}`, lines: [event.access === "edit" ? "权限：可编辑" : "权限：可查看"] };
    case "approvalOverdue":
      return {
        title: `审批超时：${plan}第 ${event.revisionNumber} 版预算`,
        lines: [`第 ${event.stepIndex + 1} 步应在 ${DUE_AT.format(event.dueAt)} 前处理，请${who(audience)}尽快审批`],
      };
    case "delegated":
      return {
        title: `${event.actorName} 把${plan}第 ${event.revisionNumber} 版预算的审批转交给了${who(audience)}`,
        lines: [`第 ${event.stepIndex + 1} 步`, ...(event.reason ? [`原因：${event.reason}`] : [])],
      };
    case "accessRequested":
      return { title: `${event.actorName} 申请访问${plan}`, lines: ["可在方案的协作成员中添加 TA"] };
  }
}

/** A notification row's message; null when its stored payload cannot be read. */
export function renderNotification(row: { kind: NotificationKind; plan_id: string | null; payload: string }, audience: Audience): OutboundMessage | null {
  const event = eventOf(row.kind, row.payload);
  if (event === null) return null;
  const { title, lines } = eventText(event, audience);
  return { title, lines: lines.filter((line) => line.trim() !== ""), link: notificationLink(row.kind, row.plan_id, event) };
}

/** 发送测试消息: proves the channel reaches its group or inbox. */
export function testMessage(channelName: string, requestedBy: string): OutboundMessage {
  return {
    title: "活动策划台测试消息",
    lines: [`这是发往「${channelName}」的测试消息，由 ${requestedBy} 发送。`, "收到即说明通知渠道配置正确。"],
    link: "/notifications",
  };
}
