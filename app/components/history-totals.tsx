import { useTranslation } from "react-i18next";
import type { VersionView } from "~/services/history.server";
import { ChangedCellMarker } from "./history-blocks";
import { useMoney } from "./money";

const TOTAL_ROWS = ["spend", "income", "net", "tbd"] as const;

/** The version's budget totals beside today's, a differing figure marked. */
export function VersionTotals({ totals }: { totals: VersionView["totals"] }) {
  const { t } = useTranslation();
  const money = useMoney();
  const value = (side: VersionView["totals"]["version"], row: (typeof TOTAL_ROWS)[number]) =>
    row === "tbd" ? side.tbdCount : side[`${row}Fen`];
  const show = (side: VersionView["totals"]["version"], row: (typeof TOTAL_ROWS)[number]) => (row === "tbd" ? String(side.tbdCount) : money(side[`${row}Fen`]));
  return (
    <section className="version-totals-block" aria-labelledby="version-totals-heading">
      <h4 id="version-totals-heading">{t("history.view.totals.heading")}</h4>
      <div className="table-scroll">
        <table className="table compact version-totals">
          <thead>
            <tr>
              <th scope="col">{t("history.view.totals.column")}</th>
              <th scope="col" className="num">
                {t("history.view.totals.version")}
              </th>
              <th scope="col" className="num">
                {t("history.view.totals.current")}
              </th>
            </tr>
          </thead>
          <tbody>
            {TOTAL_ROWS.map((row) => {
              const differs = value(totals.version, row) !== value(totals.current, row);
              return (
                <tr key={row} data-total={row} data-changed={differs ? "true" : undefined}>
                  <th scope="row">{t(`history.view.totals.${row}`)}</th>
                  <td className={differs ? "num cell-changed" : "num"} data-side="version">
                    {show(totals.version, row)}
                    {differs ? <ChangedCellMarker /> : null}
                  </td>
                  <td className="num" data-side="current">
                    {show(totals.current, row)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
