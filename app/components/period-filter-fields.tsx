import { useTranslation } from "react-i18next";
import { CAMPAIGN_TYPES } from "~/domain/plan";
import type { FieldErrors } from "~/lib/forms";
import { FieldError } from "./form-fields";

/**
 * The period, campaign type and store filters the overview and 财务中心 share (the
 * portfolio filter). `textKey` holds each page's own labels: "dashboard.filter" or "finance.filter".
 */
export function PeriodFilterFields({ textKey, fields, errors }: { textKey: "dashboard.filter" | "finance.filter"; fields: { from: string; to: string; type: string; store: string }; errors: FieldErrors | undefined }) {
  const { t } = useTranslation();
  const described = (name: "from" | "to" | "store") => ({
    "aria-invalid": errors?.[name] ? true : undefined,
    "aria-describedby": errors?.[name] ? `${name}-error` : undefined,
  });
  return (
    <>
      <label className="field">
        <span>{t(`${textKey}.from`)}</span>
        <input type="date" name="from" defaultValue={fields.from} required {...described("from")} />
        <FieldError id="from-error" error={errors?.from} />
      </label>
      <label className="field">
        <span>{t(`${textKey}.to`)}</span>
        <input type="date" name="to" defaultValue={fields.to} required {...described("to")} />
        <FieldError id="to-error" error={errors?.to} />
      </label>
      <label className="field">
        <span>{t(`${textKey}.campaignType`)}</span>
        <select name="type" defaultValue={fields.type}>
          <option value="">{t(`${textKey}.allTypes`)}</option>
          {CAMPAIGN_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`campaignType.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field store">
        <span>{t(`${textKey}.store`)}</span>
        <input type="search" name="store" defaultValue={fields.store} maxLength={60} placeholder={t(`${textKey}.storePlaceholder`)} {...described("store")} />
        <FieldError id="store-error" error={errors?.store} />
      </label>
    </>
  );
}
