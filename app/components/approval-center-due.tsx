import { useTranslation } from "react-i18next";
import type { DueState } from "~/domain/approval-sla";
import { useDateTime } from "./approval-chain";

/** "还剩 5 小时" / "已超时 2 天", with the due time on hover; overdue ones stand out. */
export function DueBadge({ dueAt, due }: { dueAt: number; due: DueState }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const text = t(`approvalCenter.due.${due.overdue ? "over" : "left"}.${due.unit}`, { count: due.amount });
  return (
    <span className={`due-badge${due.overdue ? " overdue" : ""}`} data-due-at={dueAt} data-overdue={due.overdue ? "1" : "0"} title={t("approvalCenter.due.at", { time: when(dueAt) })}>
      {text}
    </span>
  );
}
