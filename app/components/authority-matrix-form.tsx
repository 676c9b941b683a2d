import { useTranslation } from "react-i18next";
import { STEP_KINDS } from "~/domain/approval";
import { MAX_BANDS, MAX_MAPPINGS, MAX_WORK_ITEMS, editIntent, fieldName, type FieldProblems, type MatrixDraft } from "~/domain/authority-form";
import { APPROVER_TITLES } from "~/domain/roles";
import { invalidProps, Problems } from "./authority-problems";
import type { TitleHolders } from "./authority-tables";
import { SafeForm } from "./csrf";
import { ScrollTable } from "./scroll-table";

/** A submit button that reshapes the draft (adds or removes an item, band or mapping) rather than saving it. */
function EditButton({ edit, label, className = "button small" }: { edit: Parameters<typeof editIntent>[0]; label: string; className?: string }) {
  return (
    <button type="submit" name="intent" value={editIntent(edit)} className={className} formNoValidate>
      {label}
    </button>
  );
}

/** The matrix as an editable draft: every work item with its bands, the category mapping and the change limit. */
export function MatrixForm({ draft, problems, holders, reshaped }: { draft: MatrixDraft; problems: FieldProblems; holders: TitleHolders; reshaped: boolean }) {
  const { t } = useTranslation();
  const titleOptions = APPROVER_TITLES.map((title) => ({
    value: title,
    label: holders[title].length > 0 ? t(`title.${title}`) : `${t(`title.${title}`)}（${t("authority.holders.none")}）`,
  }));
  const mappable = draft.workItems.slice(1);
  return (
    <SafeForm preventScrollReset key={JSON.stringify(draft)} className="authority-form" noValidate>
      {/* Enter in a text box submits with the form's first button: let that be Save, not a remove button. */}
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true" />
      <p className="hint">{t("authority.form.hint")}</p>
      <p className="hint">{t("authority.mergedHint")}</p>
      {reshaped ? (
        <p className="authority-draft-hint" role="status">
          {t("authority.form.draftHint")}
        </p>
      ) : null}
      <Problems field={fieldName.form} problems={problems} />

      {draft.workItems.map((item, i) => (
        <fieldset key={item.key || i} className="authority-item">
          <input type="hidden" name={fieldName.itemKey(i)} value={item.key} />
          <div className="authority-item-head">
            <label className="field">
              <span>
                {t("authority.form.name")}
                {i === 0 ? <span className="badge ok">{t("authority.mainRow")}</span> : null}
              </span>
              <input name={fieldName.itemName(i)} defaultValue={item.name} placeholder={t("authority.form.newItem")} maxLength={40} {...invalidProps(fieldName.itemName(i), problems)} />
              <Problems field={fieldName.itemName(i)} problems={problems} />
            </label>
            {i > 0 ? <EditButton edit={{ kind: "removeItem", item: i }} label={t("authority.form.removeItem")} className="button small danger" /> : null}
          </div>
          <ScrollTable label={`${item.name} ${t("authority.form.bands")}`}>
            <table className="table authority-bands nowrap-head">
              <caption className="visually-hidden">{t("authority.form.bands")}</caption>
              <thead>
                <tr>
                  <th>{t("authority.column.band")}</th>
                  <th>{t("authority.form.over")}</th>
                  <th>{t("authority.form.upTo")}</th>
                  {STEP_KINDS.map((kind) => (
                    <th key={kind}>{t(`authority.column.${kind}`)}</th>
                  ))}
                  <th>
                    <span className="visually-hidden">{t("admin.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {item.bands.map((band, b) => {
                  const bandLabel = `${item.name} ${t("authority.form.band", { number: b + 1 })}`;
                  return (
                    <tr key={b}>
                      <td className="nowrap">{t("authority.form.band", { number: b + 1 })}</td>
                      <BoundCell
                        name={fieldName.bandOver(i, b)}
                        value={band.overYuan}
                        placeholder={t("authority.form.overPlaceholder")}
                        label={`${bandLabel} ${t("authority.form.over")}`}
                        problems={problems}
                      />
                      <BoundCell
                        name={fieldName.bandUpTo(i, b)}
                        value={band.upToYuan}
                        placeholder={t("authority.form.upToPlaceholder")}
                        label={`${bandLabel} ${t("authority.form.upTo")}`}
                        problems={problems}
                      />
                      {band.steps.map((title, s) => (
                        <td key={s}>
                          <select
                            name={fieldName.bandStep(i, b, s)}
                            defaultValue={title}
                            aria-label={`${bandLabel} ${t(`authority.column.${STEP_KINDS[s]!}`)}`}
                            {...invalidProps(fieldName.bandStep(i, b, s), problems)}
                          >
                            {titleOptions.map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                          <Problems field={fieldName.bandStep(i, b, s)} problems={problems} />
                        </td>
                      ))}
                      <td>{item.bands.length > 1 ? <EditButton edit={{ kind: "removeBand", item: i, band: b }} label={t("authority.form.removeBand")} className="button small ghost" /> : null}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
          {item.bands.length < MAX_BANDS ? <EditButton edit={{ kind: "addBand", item: i }} label={t("authority.form.addBand")} /> : null}
        </fieldset>
      ))}
      {draft.workItems.length < MAX_WORK_ITEMS ? <EditButton edit={{ kind: "addItem" }} label={t("authority.form.addItem")} /> : null}

      <fieldset className="authority-item">
        <legend>{t("authority.mapping.heading")}</legend>
        <p className="hint">{t("authority.mapping.intro")}</p>
        {draft.categoryMap.length > 0 ? (
          <ScrollTable label={t("authority.mapping.heading")}>
            <table className="table authority-mapping nowrap-head">
              <thead>
                <tr>
                  <th>{t("authority.mapping.category")}</th>
                  <th>{t("authority.mapping.workItem")}</th>
                  <th>
                    <span className="visually-hidden">{t("admin.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.categoryMap.map((mapping, j) => (
                  <tr key={j}>
                    <td>
                      <input
                        name={fieldName.mappingCategory(j)}
                        defaultValue={mapping.category}
                        maxLength={40}
                        aria-label={t("authority.mapping.category")}
                        {...invalidProps(fieldName.mappingCategory(j), problems)}
                      />
                      <Problems field={fieldName.mappingCategory(j)} problems={problems} />
                    </td>
                    <td>
                      <select
                        name={fieldName.mappingWorkItem(j)}
                        defaultValue={mapping.workItem}
                        aria-label={`${mapping.category} ${t("authority.mapping.workItem")}`}
                        {...invalidProps(fieldName.mappingWorkItem(j), problems)}
                      >
                        {mappable.some((w) => w.key === mapping.workItem) ? null : <option value={mapping.workItem}>—</option>}
                        {mappable.map((w) => (
                          <option key={w.key} value={w.key}>
                            {w.name || t("authority.form.newItem")}
                          </option>
                        ))}
                      </select>
                      <Problems field={fieldName.mappingWorkItem(j)} problems={problems} />
                    </td>
                    <td>
                      <EditButton edit={{ kind: "removeMapping", mapping: j }} label={t("authority.mapping.remove")} className="button small ghost" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        ) : (
          <p className="muted">{t("authority.mapping.empty")}</p>
        )}
        {mappable.length === 0 ? (
          <p className="hint">{t("authority.mapping.needsItem")}</p>
        ) : draft.categoryMap.length < MAX_MAPPINGS ? (
          <EditButton edit={{ kind: "addMapping" }} label={t("authority.mapping.add")} />
        ) : null}
      </fieldset>

      <fieldset className="authority-item">
        <legend>{t("authority.changeLimit.heading")}</legend>
        <label className="field authority-percent">
          <span>{t("authority.changeLimit.label")}</span>
          <input
            name={fieldName.changeLimit}
            defaultValue={draft.changeLimitPercent}
            inputMode="numeric"
            maxLength={3}
            aria-describedby={problems[fieldName.changeLimit]?.length ? `${fieldName.changeLimit}-error` : "changeLimitPercent-hint"}
            aria-invalid={problems[fieldName.changeLimit]?.length ? true : undefined}
          />
          <span className="hint" id="changeLimitPercent-hint">
            {t("authority.changeLimit.hint")}
          </span>
          <Problems field={fieldName.changeLimit} problems={problems} />
        </label>
      </fieldset>

      <fieldset className="authority-item authority-sla">
        <legend>{t("approvalCenter.sla.heading")}</legend>
        <p className="hint">{t("approvalCenter.sla.hint")}</p>
        <div className="field-row">
          {STEP_KINDS.map((kind) => (
            <label key={kind} className="field authority-percent">
              <span>{t(`approvalCenter.sla.label.${kind}`)}</span>
              <input
                name={fieldName.sla(kind)}
                defaultValue={draft.slaHours[kind]}
                inputMode="numeric"
                maxLength={4}
                aria-describedby={problems[fieldName.sla(kind)]?.length ? `${fieldName.sla(kind)}-error` : undefined}
                aria-invalid={problems[fieldName.sla(kind)]?.length ? true : undefined}
              />
              <Problems field={fieldName.sla(kind)} problems={problems} />
            </label>
          ))}
        </div>
      </fieldset>

      <div className="form-actions">
        <button type="submit" name="intent" value="save" className="button primary">
          {t("authority.form.save")}
        </button>
      </div>
    </SafeForm>
  );
}

/** One band bound (以上 / 至) as yuan, with its problems beside it. */
function BoundCell(props: { name: string; value: string; placeholder: string; label: string; problems: FieldProblems }) {
  return (
    <td>
      <input
        name={props.name}
        defaultValue={props.value}
        inputMode="decimal"
        placeholder={props.placeholder}
        aria-label={props.label}
        {...invalidProps(props.name, props.problems)}
      />
      <Problems field={props.name} problems={props.problems} />
    </td>
  );
}
