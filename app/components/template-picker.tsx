import type { ReactNode } from "react";
import { Form, useSubmit } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BLANK_TEMPLATE, type PickerItem } from "~/domain/template-placement";
import { FieldError } from "./form-fields";
import { useHydrated } from "./use-hydrated";

/** How the create-plan page's own GET forms navigate: in place, keeping the scroll. */
export const GET_OPTIONS = { method: "get", replace: true, preventScrollReset: true } as const;

/** The template cards of the create-plan page; picking one reloads the page with it placed. */
export function TemplatePicker(props: { templates: PickerItem[]; selectedId: string; notAvailable: boolean; error: string | undefined }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const hydrated = useHydrated();
  return (
    <Form method="get" className="template-picker" aria-describedby={props.error ? "templateId-error" : undefined}>
      <fieldset key={props.selectedId}>
        <legend>{t("templates.picker.heading")}</legend>
        {props.notAvailable ? (
          <p className="form-error" role="alert">
            {t("templates.picker.notAvailable")}
          </p>
        ) : null}
        <FieldError id="templateId-error" error={props.error} />
        <div className="template-cards">
          <TemplateCard value={BLANK_TEMPLATE} checked={props.selectedId === BLANK_TEMPLATE} onPick={(value) => submit({ template: value }, GET_OPTIONS)}>
            <span className="template-card-name">{t("templates.picker.blank")}</span>
            <span className="template-card-description">{t("templates.picker.blankDescription")}</span>
          </TemplateCard>
          {props.templates.map((item) => (
            <TemplateCard key={item.id} value={item.id} checked={props.selectedId === item.id} onPick={(value) => submit({ template: value }, GET_OPTIONS)}>
              <span className="template-card-name">{item.name}</span>
              <span className="template-card-tags">
                <span className="tag">{t(`campaignType.${item.campaignType}`)}</span>
                <span className={`badge ${item.origin === "custom" ? "custom" : "off"}`}>{t(`templates.picker.${item.origin}`)}</span>
                <AnchorText anchor={item.anchor} />
              </span>
              <span className="template-card-description">{item.purpose}</span>
            </TemplateCard>
          ))}
        </div>
      </fieldset>
      {hydrated ? null : (
        <button type="submit" className="button">
          {t("templates.picker.use")}
        </button>
      )}
    </Form>
  );
}

function TemplateCard(props: { value: string; checked: boolean; onPick: (value: string) => void; children: ReactNode }) {
  return (
    <label className={`template-card${props.checked ? " selected" : ""}`}>
      <input type="radio" name="template" value={props.value} defaultChecked={props.checked} onChange={() => props.onPick(props.value)} />
      {props.children}
    </label>
  );
}

function AnchorText({ anchor }: { anchor: PickerItem["anchor"] }) {
  const { t } = useTranslation();
  const text =
    anchor.kind === "fixed"
      ? t("templates.anchor.fixed", { month: anchor.month, day: anchor.day })
      : anchor.kind === "lunar"
        ? t("templates.anchor.lunar", { festival: t(`timeline.festivals.${anchor.festival}`) })
        : t("templates.anchor.pick", { label: anchor.label });
  return <span className="template-card-anchor">{text}</span>;
}
