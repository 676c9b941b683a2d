import { useTranslation } from "react-i18next";
import type { TemplatePreview } from "~/domain/template-preview";
import { useMoney } from "./money";

/** What the picked template will make, beside the create-plan form: dates, phases, sections and budget. */
export function TemplatePreviewPanel({ preview }: { preview: TemplatePreview }) {
  const { t } = useTranslation();
  const money = useMoney();
  const { budget } = preview;
  return (
    <aside className="card template-preview" aria-live="polite">
      <h2>{t("templates.preview.heading")}</h2>
      <dl className="preview-facts">
        <div>
          <dt>{t("templates.preview.anchor")}</dt>
          <dd>
            <strong>{preview.anchor.date}</strong> {t(`templates.weekday.${preview.anchor.weekday}`)}
            {preview.anchor.name ? ` ${preview.anchor.name}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("templates.preview.period")}</dt>
          <dd>
            {preview.startDate} – {preview.endDate}
          </dd>
        </div>
      </dl>
      <p className="muted">{t("templates.preview.counts", { roles: preview.roleCount, kpis: preview.kpiCount, tasks: preview.taskCount })}</p>

      <h3>{t("templates.preview.phases")}</h3>
      <table className="table compact">
        <thead>
          <tr>
            <th>{t("templates.preview.phase")}</th>
            <th className="num">{t("templates.preview.tasks")}</th>
            <th>{t("templates.preview.dates")}</th>
          </tr>
        </thead>
        <tbody>
          {preview.phases.map((phase) => (
            <tr key={phase.phase}>
              <td>
                {t(`templates.phase.${phase.phase}`)}
                {phase.label ? <span className="muted"> · {phase.label}</span> : null}
              </td>
              <td className="num">{phase.taskCount}</td>
              <td className="nowrap">
                {phase.start === phase.end ? phase.start : `${phase.start} – ${phase.end}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t("templates.preview.sections")}</h3>
      <ol className="preview-sections">
        {preview.sections.map((section) => (
          <li key={section.heading}>
            {section.heading}
            {section.kind === "richText" ? null : <span className="badge off">{t(`templates.kind.${section.kind}`)}</span>}
          </li>
        ))}
      </ol>

      <h3>{t("templates.preview.budget")}</h3>
      {budget.lines.length === 0 ? (
        <p className="muted">{t("templates.preview.noBudget")}</p>
      ) : (
        <table className="table compact preview-budget">
          <thead>
            <tr>
              <th>{t("templates.preview.category")}</th>
              <th>{t("templates.preview.item")}</th>
              <th>{t("templates.preview.quantityPrice")}</th>
              <th className="num">{t("templates.preview.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {budget.lines.map((line, index) => (
              <tr key={index} className={line.unitPriceFen === null ? "tbd" : undefined}>
                <td>{line.category}</td>
                <td>
                  {line.item}
                  {line.income ? <span className="tag income">{t("templates.preview.income")}</span> : null}
                </td>
                <td className="nowrap">
                  {line.quantity}
                  {line.unit} × {line.unitPriceFen === null ? <span className="badge tbd">{t("templates.preview.tbd")}</span> : money(line.unitPriceFen)}
                </td>
                <td className="num">{line.amountFen === null ? "—" : money(line.amountFen)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={3}>{t("templates.preview.spend")}</th>
              <td className="num">{money(budget.spendFen)}</td>
            </tr>
            <tr>
              <th colSpan={3}>{t("templates.preview.incomeTotal")}</th>
              <td className="num">{money(budget.incomeFen)}</td>
            </tr>
            <tr className="net">
              <th colSpan={3}>{t("templates.preview.net")}</th>
              <td className="num">{money(budget.netFen)}</td>
            </tr>
            {budget.tbdCount > 0 ? (
              <tr>
                <td colSpan={4}>
                  <span className="badge tbd">{t("templates.preview.tbdCount", { count: budget.tbdCount })}</span>
                </td>
              </tr>
            ) : null}
          </tfoot>
        </table>
      )}
    </aside>
  );
}
