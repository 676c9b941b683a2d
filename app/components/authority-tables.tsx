import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { groupSteps, STEP_KINDS, type AuthorityMatrix } from "~/domain/approval";
import { bandRange } from "~/domain/authority-form";
import { APPROVER_TITLES, type ApproverTitle } from "~/domain/roles";
import { useMoney } from "./money";
import { ScrollTable } from "./scroll-table";

/** Active members by the approver title they hold (listTitleHolders). */
export type TitleHolders = Record<ApproverTitle, { id: number; name: string; username: string }[]>;

/** A band's amount range in words: any amount, up to, over, or between. */
function BandText({ band }: { band: AuthorityMatrix["workItems"][number]["bands"][number] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const range = bandRange(band);
  switch (range.kind) {
    case "any":
      return <>{t("authority.band.any")}</>;
    case "upTo":
      return <>{t("authority.band.upTo", { upTo: money(range.upToFen) })}</>;
    case "over":
      return <>{t("authority.band.over", { over: money(range.overFen) })}</>;
    case "between":
      return <>{t("authority.band.between", { over: money(range.overFen), upTo: money(range.upToFen) })}</>;
  }
}

/** The matrix as it stands: work items, their amount bands and who approves each step. */
export function MatrixTable({ matrix }: { matrix: AuthorityMatrix }) {
  const { t } = useTranslation();
  return (
    // Not pinned: a work item's name spans its bands' rows, so the rows after its first start with a band cell.
    <ScrollTable label={t("authority.current")} pinFirst={false}>
      <table className="table authority-table nowrap-head">
        <thead>
          <tr>
            <th>{t("authority.column.workItem")}</th>
            <th>{t("authority.column.band")}</th>
            {STEP_KINDS.map((kind) => (
              <th key={kind}>{t(`authority.column.${kind}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.workItems.map((item, i) =>
            item.bands.map((band, b) => (
              <tr key={`${item.key}-${b}`} className={b === 0 ? "authority-item-start" : undefined}>
                {b === 0 ? (
                  <th scope="rowgroup" rowSpan={item.bands.length} className="authority-item-name">
                    {item.name}
                    {i === 0 ? <span className="badge ok">{t("authority.mainRow")}</span> : null}
                  </th>
                ) : null}
                <td className="nowrap">
                  <BandText band={band} />
                </td>
                {groupSteps(band.steps.map((title, s) => ({ title, kind: STEP_KINDS[s]! }))).map((group) => (
                  <td key={group[0]!.kind} colSpan={group.length} data-merged={group.length > 1 || undefined}>
                    {group.length === 1
                      ? t(`title.${group[0]!.title}`)
                      : t("authority.mergedSteps", { title: t(`title.${group[0]!.title}`), steps: group.map((g) => t(`authority.column.${g.kind}`)).join(t("approval.stepSeparator")) })}
                  </td>
                ))}
              </tr>
            )),
          )}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** Who holds each approver title now. */
export function HoldersTable({ holders }: { holders: TitleHolders }) {
  const { t } = useTranslation();
  return (
    <ScrollTable label={t("authority.holders.heading")}>
      <table className="table authority-holders nowrap-head">
        <thead>
          <tr>
            <th>{t("authority.holders.title")}</th>
            <th>{t("authority.holders.members")}</th>
          </tr>
        </thead>
        <tbody>
          {APPROVER_TITLES.map((title) => (
            <tr key={title}>
              <td className="nowrap">{t(`title.${title}`)}</td>
              <td>
                {holders[title].length === 0 ? (
                  <span className="badge off authority-unheld">{t("authority.holders.none")}</span>
                ) : (
                  holders[title].map((member, i) => (
                    <Fragment key={member.id}>
                      {i > 0 ? "、" : null}
                      {member.name} <span className="mono muted">@{member.username}</span>
                    </Fragment>
                  ))
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
