import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { REVISION_STATUSES } from "~/domain/approval";
import type { ApprovalTab } from "~/services/approval-center.server";

export type CenterFilterField = "q" | "status" | "from" | "to";

/** Search by plan title, status and submitted-date range; plain GET, so it works without JavaScript. */
export function ApprovalCenterFilters({
  tab,
  values,
  errors,
}: {
  tab: ApprovalTab;
  values: Record<CenterFilterField, string>;
  errors: Partial<Record<CenterFilterField, string>>;
}) {
  const { t } = useTranslation();
  const invalid = (field: CenterFilterField) => (errors[field] ? { "aria-invalid": true as const, "aria-describedby": `center-${field}-error` } : {});
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Form method="get" className="filters approval-center-filters" role="search" aria-label={t("approvalCenter.filter.label")}>
      <input type="hidden" name="tab" value={tab} />
      <label className="filter-field">
        <span className="visually-hidden">{t("approvalCenter.filter.q")}</span>
        <input type="search" name="q" defaultValue={values.q} placeholder={t("approvalCenter.filter.qPlaceholder")} maxLength={100} {...invalid("q")} />
      </label>
      <label className="filter-field">
        <span className="visually-hidden">{t("approvalCenter.filter.status")}</span>
        <select name="status" defaultValue={values.status} {...invalid("status")}>
          <option value="">{t("approvalCenter.filter.allStatuses")}</option>
          {REVISION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`approvalCenter.status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter-field">
        <span>{t("approvalCenter.filter.from")}</span>
        <input type="date" name="from" defaultValue={values.from} {...invalid("from")} />
      </label>
      <label className="filter-field">
        <span>{t("approvalCenter.filter.to")}</span>
        <input type="date" name="to" defaultValue={values.to} {...invalid("to")} />
      </label>
      <button type="submit" className="button">
        {t("approvalCenter.filter.submit")}
      </button>
      <Link to={`?tab=${tab}`} className="button subtle">
        {t("approvalCenter.filter.reset")}
      </Link>
      {hasErrors ? (
        <div className="form-error approval-center-errors" role="alert">
          <p>{t("approvalCenter.errors.summary")}</p>
          <ul>
            {(Object.entries(errors) as [CenterFilterField, string][]).map(([field, code]) => (
              <li key={field} id={`center-${field}-error`}>
                {t(`approvalCenter.errors.${code}`)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Form>
  );
}
