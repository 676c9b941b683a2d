import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Fen } from "~/domain/money";
import type { Locale } from "~/domain/roles";
import { formatMoney } from "~/i18n/format";
import { useRootData } from "~/root";
import type { VersionKind, VersionListItem, VersionSummary } from "~/services/history.server";

const BLOCK_ORDER = ["budget", "timeline", "roles", "kpis"] as const;
/** Section names listed before "等": a plan's first version adds every section, and eleven names read as noise. */
const NAMES_SHOWN = 3;

/**
 * A version's changes as a planner would say them: "改动 2 个章节：活动概述、执行安排；预算 +3 行、
 * 改 2 行、删 1 行；总支出 ¥48,000.00 → ¥52,300.00；待定 3 → 0". Only what changed is named.
 */
export function summaryText(summary: VersionSummary, t: TFunction, locale: Locale): string {
  const list = (names: string[]) => names.join(t("history.summary.listSeparator"));
  const titles = (names: string[]) => (names.length > NAMES_SHOWN ? t("history.summary.more", { names: list(names.slice(0, NAMES_SHOWN)) }) : list(names));
  const money = (amount: Fen) => formatMoney(amount, locale);
  const parts: string[] = [];
  const { sections, blocks, totals } = summary;
  if (sections.changed.length > 0) parts.push(t("history.summary.changedSections", { count: sections.changed.length, names: titles(sections.changed) }));
  if (sections.added.length > 0) parts.push(t("history.summary.addedSections", { count: sections.added.length, names: titles(sections.added) }));
  if (sections.removed.length > 0) parts.push(t("history.summary.removedSections", { count: sections.removed.length, names: titles(sections.removed) }));
  for (const block of BLOCK_ORDER) {
    const counts = blocks[block];
    const rowParts = (["added", "changed", "removed"] as const).filter((k) => counts[k] > 0).map((k) => t(`history.summary.${k}`, { count: counts[k] }));
    if (rowParts.length > 0) parts.push(t("history.summary.block", { block: t(`history.blocks.${block}`), parts: list(rowParts) }));
  }
  const { before, after } = totals;
  if (before.spendFen !== after.spendFen) parts.push(t("history.summary.spend", { before: money(before.spendFen), after: money(after.spendFen) }));
  if (before.incomeFen !== after.incomeFen) parts.push(t("history.summary.income", { before: money(before.incomeFen), after: money(after.incomeFen) }));
  if (before.tbdCount !== after.tbdCount) parts.push(t("history.summary.tbd", { before: before.tbdCount, after: after.tbdCount }));
  return parts.length > 0 ? parts.join(t("history.summary.partSeparator")) : t("history.summary.none");
}

export function VersionSummaryText({ summary }: { summary: VersionSummary }) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  return <p className="version-summary">{summaryText(summary, t, locale)}</p>;
}

export function VersionKindBadge({ kind }: { kind: VersionKind }) {
  const { t } = useTranslation();
  return (
    <span className={`badge version-kind version-kind-${kind}`} data-kind={kind}>
      {t(`history.kind.${kind}`)}
    </span>
  );
}

/** The name a version goes by: its own, else its number (its kind shows beside it as a badge). */
export function versionTitle(version: Pick<VersionListItem, "id" | "name">, t: TFunction): string {
  return version.name ?? t("history.versionNumber", { id: version.id });
}

const CHINA_TZ = "Asia/Shanghai";
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

function relativeTime(epochMs: number, now: number, locale: Locale): string {
  const elapsed = epochMs - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size || unit === "minute") return format.format(Math.trunc(elapsed / size), unit);
  }
  return "";
}

/**
 * "3 分钟前" beside "2026年12月7日 08:35" in China time. `now` comes from the loader, so the
 * server's render and the browser's hydration say the same thing.
 */
export function VersionTime({ at, now }: { at: number; now: number }) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const absolute = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", hourCycle: "h23", timeZone: CHINA_TZ }).format(at);
  return (
    <time dateTime={new Date(at).toISOString()} title={t("history.time.absolute", { date: absolute })} className="version-time">
      <span className="version-time-relative">{relativeTime(at, now, locale)}</span> <span className="muted">{absolute}</span>
    </time>
  );
}
