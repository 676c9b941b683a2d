import type { StepView } from "~/services/approval-views.server";
import { useTranslation } from "react-i18next";
import { groupSteps, type Band, type ChainCandidate, type StepKind } from "~/domain/approval";
import type { BasisPoints } from "~/domain/money";
import type { ApproverTitle } from "~/domain/roles";
import { formatPercent, type PercentOptions } from "~/i18n/format";
import { useMoney } from "./money";
import { ScrollTable } from "./scroll-table";
import { useRootData } from "~/root";

/** Basis points as the member's language writes a percentage. */
export function usePercent(): (points: BasisPoints, options?: PercentOptions) => string {
  const { locale } = useRootData();
  return (points: BasisPoints, options?: PercentOptions) => formatPercent(points, locale, options);
}

/** A moment as the member's language writes it, in China's time. */
export function useDateTime(): (epochMs: number) => string {
  const { locale } = useRootData();
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" });
  return (epochMs: number) => format.format(epochMs);
}

/** How long something has waited, in its largest whole unit. */
export function useWaited(): (sinceMs: number, nowMs: number) => string {
  const { t } = useTranslation();
  return (sinceMs, nowMs) => {
    const minutes = Math.floor(Math.max(0, nowMs - sinceMs) / 60_000);
    if (minutes < 1) return t("approval.waited.justNow");
    if (minutes < 60) return t("approval.waited.minutes", { count: minutes });
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return t("approval.waited.hours", { count: hours });
    return t("approval.waited.days", { count: Math.floor(hours / 24) });
  };
}

export function BandLabel({ band }: { band: Band }) {
  const { t } = useTranslation();
  const money = useMoney();
  if (band.overFen === null && band.upToFen !== null) return <>{t("approval.band.upTo", { upTo: money(band.upToFen) })}</>;
  if (band.overFen !== null && band.upToFen === null) return <>{t("approval.band.over", { over: money(band.overFen) })}</>;
  if (band.overFen !== null && band.upToFen !== null) return <>{t("approval.band.between", { over: money(band.overFen), upTo: money(band.upToFen) })}</>;
  return null;
}

/** The step names one decision covers: "核准、审批" when 董事长 decides two steps at once. */
function useStepNames(): (steps: readonly { kind: StepKind }[]) => string {
  const { t } = useTranslation();
  return (steps) => steps.map((s) => t(`approval.step.${s.kind}`)).join(t("approval.stepSeparator"));
}

/** 财务部 → 总经理 → 董事长, or 财务部 → 董事长（核准、审批）: one entry per decision. */
export function ChainTitles({ steps }: { steps: readonly { title: ApproverTitle; kind: StepKind }[] }) {
  const { t } = useTranslation();
  const stepNames = useStepNames();
  return (
    <>
      {groupSteps(steps)
        .map((group) => (group.length === 1 ? t(`title.${group[0]!.title}`) : t("approval.mergedSteps", { title: t(`title.${group[0]!.title}`), steps: stepNames(group) })))
        .join(" → ")}
    </>
  );
}

/** Every row the matrix judged, the chosen one marked: the "why" of a chain. */
export function ChainCandidates({ candidates, chosen }: { candidates: readonly ChainCandidate[]; chosen: ChainCandidate }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <ScrollTable label={t("approval.panel.why")}>
      <table className="table compact approval-candidates">
      <thead>
        <tr>
          <th scope="col">{t("approval.panel.workItem")}</th>
          <th scope="col" className="num">
            {t("approval.panel.amount")}
          </th>
          <th scope="col">{t("approval.panel.band")}</th>
          <th scope="col">{t("approval.panel.chain")}</th>
          <th scope="col">{t("approval.panel.chosen")}</th>
        </tr>
      </thead>
      <tbody>
        {candidates.map((c) => {
          const isChosen = c.workItemKey === chosen.workItemKey && c.category === chosen.category;
          return (
            <tr key={`${c.workItemKey}:${c.category ?? ""}`} className={isChosen ? "chosen" : undefined} data-chosen={isChosen}>
              <td>
                {c.workItemName}
                <span className="muted"> · {c.category ?? t("approval.panel.mainRow")}</span>
              </td>
              <td className="num">{money(c.amountFen)}</td>
              <td>
                <BandLabel band={c.band} />
              </td>
              <td>
                <ChainTitles steps={c.steps} />
              </td>
              <td>{isChosen ? "✓" : ""}</td>
            </tr>
          );
        })}
      </tbody>
      </table>
    </ScrollTable>
  );
}

/** The steps of a revision with their state: who decided what and when, or who it waits for. */
export function ChainProgress({ steps, active, compact = false }: { steps: readonly StepView[]; active: boolean; compact?: boolean }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const stepNames = useStepNames();
  const next = active ? steps.find((s) => s.decision === null)?.index : undefined;
  return (
    <ol className={`approval-chain${compact ? " compact" : ""}`}>
      {groupSteps(steps).map((group) => {
        // A group is decided at once, so its first step speaks for all of it.
        const s = group[0]!;
        const state = s.decision ?? (s.index === next ? "waiting" : "notReached");
        return (
          <li key={s.index} className={`approval-step step-${state}`} data-step={s.index} data-steps={group.map((g) => g.index).join(",")} data-state={state}>
            <span className="step-kind">{stepNames(group)}</span>
            <span className="step-title">{t(`title.${s.title}`)}</span>
            <span className="step-state">
              {s.decision ? t(`approval.decided.${s.decision}`) : s.index === next ? t("approval.waitingStep") : t("approval.notReached")}
            </span>
            {!compact && s.decision && s.deciderName !== null && s.decidedAt !== null ? (
              <span className="step-by muted">{t("approval.decidedBy", { name: s.deciderName, time: when(s.decidedAt) })}</span>
            ) : null}
            {!compact && s.comment ? <span className="step-comment">{t("approval.history.comment", { comment: s.comment })}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
