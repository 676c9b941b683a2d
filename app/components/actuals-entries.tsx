import type { ActualsPageData } from "~/services/actuals.server";
import type { AttachmentView } from "~/services/attachments.server";
import { Link } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmSubmitButton } from "~/components/dialogs";
import { addFen, fenToDecimalString, ZERO_FEN } from "~/domain/money";
import { useDateTime } from "./approval-chain";
import { useMoney } from "./money";
import { ActualsField, ActualsFieldError, type ActualsFormState } from "./actuals-fields";
import { SafeForm } from "./csrf";
import { AttachmentField, EntryAttachments } from "./actuals-attachments";
import type { LineName } from "./variance-table";

type EntryView = ActualsPageData["entries"][number];

type EntryValues = Record<"lineId" | "spentOn" | "amount" | "vendor" | "invoiceNo" | "note", string>;

const BLANK: EntryValues = {
  lineId: "",
  spentOn: "",
  amount: "",
  vendor: "",
  invoiceNo: "",
  note: "",
};

function valuesOf(entry: EntryView): EntryValues {
  return {
    lineId: entry.lineId,
    spentOn: entry.spentOn,
    amount: fenToDecimalString(entry.amountFen),
    vendor: entry.vendor,
    invoiceNo: entry.invoiceNo,
    note: entry.note,
  };
}

/** The budget lines, one optgroup per category, in budget order. */
function LineOptions({ lines }: { lines: readonly LineName[] }) {
  const groups = new Map<string, LineName[]>();
  for (const line of lines) groups.set(line.category, [...(groups.get(line.category) ?? []), line]);
  return (
    <>
      {[...groups].map(([category, members]) => (
        <optgroup key={category} label={category}>
          {members.map((line) => (
            <option key={line.id} value={line.id}>
              {line.item}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

/** The fields of an entry, shared by the add form and the inline edit form. */
function EntryFields({
  lines,
  values,
  errors,
  idPrefix,
}: {
  lines: readonly LineName[];
  values: EntryValues;
  errors: ActualsFormState["errors"] | undefined;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="actuals-fields">
      <ActualsField
        name="lineId"
        label={t("actuals.entries.line")}
        idPrefix={idPrefix}
        errors={errors}
        className="wide"
        control={(aria) => (
          <select name="lineId" defaultValue={values.lineId} required {...aria}>
            <option value="" disabled>
              {t("actuals.entries.chooseLine")}
            </option>
            <LineOptions lines={lines} />
          </select>
        )}
      />
      <ActualsField
        name="spentOn"
        label={t("actuals.entries.spentOn")}
        idPrefix={idPrefix}
        errors={errors}
        control={(aria) => <input name="spentOn" type="date" defaultValue={values.spentOn} required {...aria} />}
      />
      <ActualsField
        name="amount"
        label={t("actuals.entries.amount")}
        idPrefix={idPrefix}
        errors={errors}
        control={(aria) => <input name="amount" inputMode="decimal" autoComplete="off" defaultValue={values.amount} required {...aria} />}
      />
      <ActualsField
        name="vendor"
        label={t("actuals.entries.vendor")}
        idPrefix={idPrefix}
        errors={errors}
        control={(aria) => <input name="vendor" maxLength={100} defaultValue={values.vendor} {...aria} />}
      />
      <ActualsField
        name="invoiceNo"
        label={t("actuals.entries.invoiceNo")}
        idPrefix={idPrefix}
        errors={errors}
        control={(aria) => <input name="invoiceNo" maxLength={64} autoComplete="off" defaultValue={values.invoiceNo} {...aria} />}
      />
      <ActualsField
        name="note"
        label={t("actuals.entries.note")}
        idPrefix={idPrefix}
        errors={errors}
        className="wide"
        control={(aria) => <input name="note" maxLength={500} defaultValue={values.note} {...aria} />}
      />
    </div>
  );
}

/**
 * Actual spend (实际支出), grouped by budget line: who recorded what and when; finance adds,
 * edits (one entry at a time, `?edit=<id>`, so it works without JavaScript) and deletes.
 */
export function ActualEntries({
  planPath,
  lines,
  entries,
  attachments,
  canRecord,
  editingId,
  formState,
}: {
  planPath: string;
  lines: readonly LineName[];
  entries: readonly EntryView[];
  attachments: Readonly<Record<number, readonly AttachmentView[]>>;
  canRecord: boolean;
  editingId: number | null;
  formState: ActualsFormState | undefined;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const when = useDateTime();
  const byLine = new Map<string, EntryView[]>();
  for (const entry of entries) byLine.set(entry.lineId, [...(byLine.get(entry.lineId) ?? []), entry]);
  const known = new Set(lines.map((line) => line.id));
  // Entries on a line since deleted from the budget stay visible, under the line id.
  const orphans = [...byLine.keys()]
    .filter((id) => !known.has(id))
    .map((id) => ({
      id,
      category: "—",
      item: t("actuals.variance.deletedLine", { id }),
    }));
  const groups = [...lines, ...orphans].filter((line) => byLine.has(line.id));
  const createState = formState?.intent === "create" ? formState : undefined;
  // A refused edit stays open with what was typed, whatever the address says.
  const editState = formState?.intent === "update" && formState.entryId !== null && !formState.errors.form ? formState : undefined;
  const openId = editState?.entryId ?? editingId;
  // A fresh add form after every saved entry; kept (with the typed values) after a refused one.
  const addFormKey = `${entries.length}-${entries.reduce((max, entry) => Math.max(max, entry.id), 0)}`;
  const planId = planPath.split("/")[2] ?? "";
  const attachState = formState?.intent === "attach" || formState?.intent === "deleteAttachment" ? formState : undefined;
  const columns = canRecord ? 8 : 7;

  return (
    <section className="card actuals-entries" aria-labelledby="actuals-entries-heading">
      <h2 id="actuals-entries-heading">{t("actuals.entries.heading")}</h2>
      {canRecord ? null : <p className="muted">{t("actuals.entries.readOnly")}</p>}
      {entries.length === 0 ? (
        <p className="muted">{t("actuals.entries.empty")}</p>
      ) : (
        <table className="table actuals-entry-table">
          <thead>
            <tr>
              <th scope="col">{t("actuals.entries.spentOn")}</th>
              <th scope="col" className="num">
                {t("actuals.entries.amount")}
              </th>
              <th scope="col">{t("actuals.entries.vendor")}</th>
              <th scope="col">{t("actuals.entries.invoiceNo")}</th>
              <th scope="col">{t("actuals.entries.note")}</th>
              <th scope="col">{t("actuals.entries.who")}</th>
              <th scope="col">{t("attachments.column")}</th>
              {canRecord ? <th scope="col">{t("actuals.entries.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {groups.map((line) => {
              const items = byLine.get(line.id) ?? [];
              const total = items.reduce((sum, entry) => addFen(sum, entry.amountFen), ZERO_FEN);
              return (
                <Fragment key={line.id}>
                  <tr className="category-row" id={`line-${line.id}`}>
                    <th colSpan={columns} scope="rowgroup">
                      <span className="muted">{line.category} · </span>
                      {line.item}
                      <span className="muted line-total">
                        {t("actuals.entries.lineTotal", {
                          count: items.length,
                          amount: money(total),
                        })}
                      </span>
                    </th>
                  </tr>
                  {items.map((entry) =>
                    canRecord && entry.id === openId ? (
                      <tr key={entry.id} className="editing">
                        <td colSpan={columns}>
                          <SafeForm className="actuals-form" aria-label={t("actuals.entries.edit")}>
                            <input type="hidden" name="intent" value="update" />
                            <input type="hidden" name="entryId" value={entry.id} />
                            <EntryFields
                              lines={lines}
                              values={editState ? { ...BLANK, ...editState.values } : valuesOf(entry)}
                              errors={editState?.errors}
                              idPrefix={`edit-${entry.id}`}
                            />
                            <div className="form-actions">
                              <button type="submit" className="button primary">
                                {t("actuals.entries.saveEdit")}
                              </button>
                              <Link to={planPath} className="button ghost">
                                {t("actuals.entries.cancel")}
                              </Link>
                            </div>
                          </SafeForm>
                        </td>
                      </tr>
                    ) : (
                      <tr key={entry.id} data-entry-id={entry.id}>
                        <td className="nowrap" data-label={t("actuals.entries.spentOn")}>
                          {entry.spentOn}
                        </td>
                        <td className="num" data-label={t("actuals.entries.amount")}>
                          {money(entry.amountFen)}
                        </td>
                        <td data-label={t("actuals.entries.vendor")}>{entry.vendor}</td>
                        <td className="mono" data-label={t("actuals.entries.invoiceNo")}>
                          {entry.invoiceNo}
                        </td>
                        <td data-label={t("actuals.entries.note")}>{entry.note}</td>
                        <td className="muted entry-who" data-label={t("actuals.entries.who")}>
                          {t("actuals.entries.createdBy", {
                            name: entry.createdBy,
                            time: when(entry.createdAt),
                          })}
                          {entry.source === "import" ? <span className="badge">{t("actuals.entries.imported")}</span> : null}
                          {entry.updatedBy !== null && entry.updatedAt !== null ? (
                            <span className="entry-edited">
                              {t("actuals.entries.updatedBy", {
                                name: entry.updatedBy,
                                time: when(entry.updatedAt),
                              })}
                            </span>
                          ) : null}
                        </td>
                        <td className="entry-attachments-cell" data-label={t("attachments.column")}>
                          <EntryAttachments
                            planId={planId}
                            entryId={entry.id}
                            attachments={attachments[entry.id] ?? []}
                            canRecord={canRecord}
                            addLabel={t("attachments.addLabel", { date: entry.spentOn, amount: money(entry.amountFen) })}
                            error={attachState?.entryId === entry.id ? attachState.errors.attachment : undefined}
                          />
                        </td>
                        {canRecord ? (
                          <td className="entry-actions-cell">
                            <div className="entry-actions">
                              <Link to={`${planPath}?edit=${entry.id}#line-${entry.lineId}`} className="button ghost small">
                                {t("actuals.entries.edit")}
                              </Link>
                              <SafeForm>
                                <input type="hidden" name="intent" value="delete" />
                                <input type="hidden" name="entryId" value={entry.id} />
                                <ConfirmSubmitButton
                                  className="button ghost small danger-text"
                                  message={t("actuals.entries.deleteConfirm", { amount: money(entry.amountFen) })}
                                  confirmLabel={t("actuals.entries.delete")}
                                  danger
                                >
                                  {t("actuals.entries.delete")}
                                </ConfirmSubmitButton>
                              </SafeForm>
                            </div>
                          </td>
                        ) : null}
                      </tr>
                    )
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {formState?.errors.form ? <ActualsFieldError id="actuals-form-error" code={formState.errors.form} /> : null}
      {canRecord ? (
        <SafeForm key={createState ? "refused" : addFormKey} encType="multipart/form-data" className="actuals-form actuals-add" aria-labelledby="actuals-add-heading">
          <h3 id="actuals-add-heading">{t("actuals.entries.add")}</h3>
          {createState ? (
            <p className="form-error" role="alert">
              {t("actuals.entries.fixBelow")}
            </p>
          ) : null}
          <input type="hidden" name="intent" value="create" />
          <EntryFields lines={lines} values={createState ? { ...BLANK, ...createState.values } : BLANK} errors={createState?.errors} idPrefix="add" />
          <AttachmentField idPrefix="add" error={createState?.errors.attachment} />
          <div className="form-actions">
            <button type="submit" className="button primary">
              {t("actuals.entries.save")}
            </button>
          </div>
        </SafeForm>
      ) : null}
    </section>
  );
}
