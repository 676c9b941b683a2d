import { Link } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { detailValueKind, parseWorkItemSummary, type AuditDetailEntry, type DetailScalar, type DetailValue } from "~/domain/audit";
import { DECISIONS, REVISION_STATUSES, STEP_KINDS } from "~/domain/approval";
import { isIsoDate } from "~/domain/calendar";
import { fenOrNull, parseYuan } from "~/domain/money";
import { CHANNEL_KINDS } from "~/domain/outbound/channel";
import { PLAN_ACCESS, PLAN_DISPLAY_STATUSES } from "~/domain/plan";
import { APPROVER_TITLES, ROLES } from "~/domain/roles";
import { formatIsoDate } from "~/i18n/format";
import { useRootData } from "~/root";
import { useMoney } from "./money";

/** Names the details point at: members by id, plan titles and template names by id. */
export interface AuditNames {
  members: ReadonlyMap<number, string>;
  plans: Readonly<Record<string, string>>;
  templates: Readonly<Record<string, string>>;
}

const BUDGET_BASES = ["draft", "approved"] as const;
const ACTUAL_SOURCES = ["manual", "import"] as const;
const WITHDRAW_REASONS = ["archived"] as const;

function isOneOf<T extends string>(list: readonly T[], value: DetailScalar): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

interface ValueProps {
  targetType: string;
  action: string;
  itemKey: string;
  names: AuditNames;
}

/** An authority matrix row: its name, then each band's amounts as money and its steps' titles. */
function WorkItemValue({ text }: { text: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const row = parseWorkItemSummary(text);
  if (!row) return <>{text}</>;
  const title = (code: string) => (isOneOf(APPROVER_TITLES, code) ? t(`title.${code}`) : code);
  const bands = row.bands.map((band) => {
    const from = money(parseYuan(band.overYuan));
    const range = band.upToYuan === null ? t("audit.detail.bandFrom", { from }) : t("audit.detail.bandRange", { from, to: money(parseYuan(band.upToYuan)) });
    return `${range} ${band.steps.map(title).join(" → ")}`;
  });
  return <>{`${row.name}${t("audit.detail.nameSeparator")}${bands.join(t("audit.detail.bandSeparator"))}`}</>;
}

/** One value in the words of the app; anything it does not recognise is shown as written. */
function ScalarValue({ value, targetType, action, itemKey, names }: { value: DetailScalar } & ValueProps) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const money = useMoney();
  if (typeof value === "boolean") return <>{t(value ? "audit.detail.yes" : "audit.detail.no")}</>;
  const kind = detailValueKind(targetType, itemKey, action);
  if (value === null || value === "") return <>{kind === "template" ? t("audit.detail.blankPlan") : kind === "approverTitle" ? t("title.none") : t("audit.detail.none")}</>;
  switch (kind) {
    case "role":
      if (isOneOf(ROLES, value)) return <>{t(`role.${value}`)}</>;
      break;
    case "approverTitle":
      if (isOneOf(APPROVER_TITLES, value)) return <>{t(`title.${value}`)}</>;
      break;
    case "access":
      if (isOneOf(PLAN_ACCESS, value)) return <>{t(`plan.access.${value}`)}</>;
      break;
    case "status":
      if (isOneOf(PLAN_DISPLAY_STATUSES, value)) return <>{t(`status.${value}`)}</>;
      break;
    case "member":
      if (typeof value === "number" && names.members.has(value)) return <>{names.members.get(value)}</>;
      break;
    case "template":
      if (typeof value === "string" && names.templates[value]) return <>{names.templates[value]}</>;
      break;
    case "plan":
      if (typeof value === "string") return <Link to={`/plans/${encodeURIComponent(value)}`}>{names.plans[value] ?? value}</Link>;
      break;
    case "money": {
      const amount = fenOrNull(value);
      if (amount !== null) return <>{money(amount)}</>;
      break;
    }
    case "approvalStep": {
      const step = typeof value === "number" ? STEP_KINDS[value] : undefined;
      if (step) return <>{t(`approval.step.${step}`)}</>;
      break;
    }
    case "decision":
      if (isOneOf(DECISIONS, value)) return <>{t(`approval.decision.${value}`)}</>;
      break;
    case "revisionStatus":
      if (isOneOf(REVISION_STATUSES, value)) return <>{t(`approval.revisionStatus.${value}`)}</>;
      break;
    case "date":
      if (typeof value === "string" && isIsoDate(value)) return <>{formatIsoDate(value, locale)}</>;
      break;
    case "budgetBasis":
      if (isOneOf(BUDGET_BASES, value)) return <>{t(`audit.detail.basis.${value}`)}</>;
      break;
    case "withdrawReason":
      if (isOneOf(WITHDRAW_REASONS, value)) return <>{t(`audit.detail.withdrawReason.${value}`)}</>;
      break;
    case "actualSource":
      if (isOneOf(ACTUAL_SOURCES, value)) return <>{t(`audit.detail.actualSource.${value}`)}</>;
      break;
    case "channelKind":
      if (isOneOf(CHANNEL_KINDS, value)) return <>{t(`outbound.channelKind.${value}`)}</>;
      break;
    case "workItem":
      if (typeof value === "string") return <WorkItemValue text={value} />;
      break;
    case "text":
      break;
  }
  return <>{String(value)}</>;
}

function Value({ value, ...rest }: { value: DetailValue } & ValueProps) {
  const { t } = useTranslation();
  if (!Array.isArray(value)) return <ScalarValue value={value} {...rest} />;
  if (value.length === 0) return <>{t("audit.detail.none")}</>;
  return (
    <>
      {value.map((item, index) => (
        <Fragment key={index}>
          {index > 0 ? t("audit.detail.listSeparator") : null}
          <ScalarValue value={item} {...rest} />
        </Fragment>
      ))}
    </>
  );
}

/** An audit entry's detail as compact "label: value" lines, an edit as "label: before → after". */
export function AuditDetail({ action = "", targetType, detail, names }: { action?: string; targetType: string; detail: readonly AuditDetailEntry[]; names: AuditNames }) {
  const { t } = useTranslation();
  if (detail.length === 0) return <span className="muted">{t("audit.detail.none")}</span>;
  const label = (key: string) => {
    if (detailValueKind(targetType, key, action) === "workItem") return t("audit.detail.workItem");
    return t([`audit.detailKeys.${targetType}.${key}`, `audit.detailKeys.common.${key}`], { defaultValue: key });
  };
  return (
    <div className="audit-detail">
      {detail.map((item, index) => (
        <div key={`${item.key}-${index}`}>
          {item.key === "" ? null : <span className="muted">{`${label(item.key)}: `}</span>}
          {"value" in item ? (
            <Value value={item.value} targetType={targetType} action={action} itemKey={item.key} names={names} />
          ) : (
            <>
              <Value value={item.from} targetType={targetType} action={action} itemKey={item.key} names={names} />
              {" → "}
              <Value value={item.to} targetType={targetType} action={action} itemKey={item.key} names={names} />
            </>
          )}
        </div>
      ))}
    </div>
  );
}
