import type { ActualsPageData } from "~/services/actuals.server";
import { useTranslation } from "react-i18next";
import { useDateTime, usePercent } from "./approval-chain";
import { ActualsFieldError, type ActualsFormState } from "./actuals-fields";
import { SafeForm } from "./csrf";
import { ScrollTable } from "./scroll-table";
import { formatKpiValue } from "~/i18n/format";
import { useRootData } from "~/root";

/** Each KPI with its target, direction, recorded actual and completion; editors and finance record the actual. */
export function KpiResults({ kpis, canRecord, formState }: { kpis: readonly ActualsPageData["kpis"][number][]; canRecord: boolean; formState: ActualsFormState | undefined }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const percent = usePercent();
  const { locale } = useRootData();
  const withUnit = (value: string | null, unit: string) => (value === null ? t("actuals.variance.tbd") : formatKpiValue(value, unit, locale));
  return (
    <section className="card actuals-kpis" aria-labelledby="actuals-kpis-heading">
      <h2 id="actuals-kpis-heading">{t("actuals.kpi.heading")}</h2>
      {kpis.length === 0 ? (
        <p className="muted">{t("actuals.kpi.empty")}</p>
      ) : (
        <>
          <p className="muted">{canRecord ? t("actuals.kpi.hint") : t("actuals.kpi.readOnly")}</p>
          <ScrollTable label={t("actuals.kpi.heading")}>
            <table className="table kpi-results">
              <thead>
                <tr>
                  <th scope="col">{t("actuals.kpi.name")}</th>
                  <th scope="col">{t("actuals.kpi.target")}</th>
                  <th scope="col">{t("actuals.kpi.direction")}</th>
                  <th scope="col">{t("actuals.kpi.actual")}</th>
                  <th scope="col" className="num">
                    {t("actuals.kpi.completion")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {kpis.map((kpi) => {
                  const state = formState?.intent === "kpi" && formState.kpiId === kpi.id ? formState : undefined;
                  const below = kpi.completionBasisPoints !== null && kpi.completionBasisPoints < 10_000;
                  const errorId = `kpi-${kpi.id}-error`;
                  return (
                    <tr key={kpi.id} data-kpi-id={kpi.id}>
                      <td className="kpi-name">{kpi.name}</td>
                      <td className="nowrap" data-label={t("actuals.kpi.target")}>
                        {withUnit(kpi.target, kpi.unit)}
                      </td>
                      <td className="nowrap" data-label={t("actuals.kpi.direction")}>
                        {t(`actuals.kpi.${kpi.direction}`)}
                      </td>
                      <td data-label={t("actuals.kpi.actual")}>
                        {canRecord ? (
                          <SafeForm className="kpi-result-form">
                            <input type="hidden" name="intent" value="kpi" />
                            <input type="hidden" name="kpiId" value={kpi.id} />
                            <input
                              name="actual"
                              inputMode="decimal"
                              autoComplete="off"
                              aria-label={`${kpi.name} ${t("actuals.kpi.actual")}`}
                              defaultValue={state?.values.actual ?? kpi.actual ?? ""}
                              aria-invalid={state?.errors.actual ? true : undefined}
                              aria-describedby={state?.errors.actual ? errorId : undefined}
                            />
                            {kpi.unit ? <span className="muted">{kpi.unit}</span> : null}
                            <input
                              name="note"
                              maxLength={200}
                              aria-label={`${kpi.name} ${t("actuals.kpi.note")}`}
                              placeholder={t("actuals.kpi.note")}
                              defaultValue={state?.values.note ?? kpi.note}
                            />
                            <button type="submit" className="button small">
                              {t("actuals.kpi.save")}
                            </button>
                            <ActualsFieldError id={errorId} code={state?.errors.actual ?? state?.errors.note ?? state?.errors.kpiId} />
                          </SafeForm>
                        ) : (
                          <span>
                            {kpi.actual === null ? "—" : withUnit(kpi.actual, kpi.unit)}
                            {kpi.note ? <span className="muted"> · {kpi.note}</span> : null}
                          </span>
                        )}
                        {kpi.recordedBy !== null && kpi.recordedAt !== null ? (
                          <span className="muted kpi-recorded">{t("actuals.kpi.recordedBy", { name: kpi.recordedBy, time: when(kpi.recordedAt) })}</span>
                        ) : null}
                      </td>
                      <td className={`num${below ? " below-target" : ""}`} data-label={t("actuals.kpi.completion")} data-completion={kpi.completionBasisPoints ?? undefined}>
                        {kpi.completionBasisPoints === null ? "—" : percent(kpi.completionBasisPoints)}
                        {below ? <span className="badge below-target-badge">{t("actuals.kpi.belowTarget")}</span> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
        </>
      )}
    </section>
  );
}
