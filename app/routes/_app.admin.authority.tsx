import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "../routes-support/guards.server";
import { listTitleHolders, loadAuthorityMatrix, resetAuthorityMatrix, saveAuthorityMatrix, type TitleHolder } from "../services/authority.server";
import { SafeForm } from "../components/csrf";
import { groupSteps, STEP_KINDS, type AuthorityMatrix } from "../domain/approval";
import {
  MAX_BANDS,
  MAX_MAPPINGS,
  MAX_WORK_ITEMS,
  applyDraftEdit,
  assignNewKeys,
  bandRange,
  draftFromForm,
  draftFromMatrix,
  editIntent,
  fieldName,
  formLevelProblems,
  matrixFromDraft,
  parseEditIntent,
  problemsByField,
  type FieldProblem,
  type FieldProblems,
  type MatrixDraft,
} from "../domain/authority-form";
import { fen } from "../domain/money";
import { APPROVER_TITLES, type ApproverTitle } from "../domain/roles";
import { formatMoney } from "../i18n/format";
import { useRootData } from "../root";

export const meta: MetaFunction = () => [{ title: "审批权限 · 管理 · 活动策划台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "authority:manage");
  const [matrix, holders] = await Promise.all([loadAuthorityMatrix(context.db), listTitleHolders(context.db)]);
  return { matrix, holders };
}

type ActionData =
  /** The form to show again: reshaped by an add/remove button, or refused with its problems. */
  | { kind: "draft"; draft: MatrixDraft; problems: FieldProblems }
  | { kind: "done"; notice: "saved" | "unchanged" | "resetDone" }
  | { kind: "resetRefused"; problems: FieldProblem[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "authority:manage");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "reset") {
    const result = await resetAuthorityMatrix(context.db, auth.user.id);
    if (!result.ok) return json<ActionData>({ kind: "resetRefused", problems: formLevelProblems(result.problems) }, { status: 400 });
    return json<ActionData>({ kind: "done", notice: result.changed ? "resetDone" : "unchanged" });
  }

  const draft = assignNewKeys(draftFromForm(form.entries()));
  const edit = typeof intent === "string" ? parseEditIntent(intent) : null;
  if (edit) return json<ActionData>({ kind: "draft", draft: assignNewKeys(applyDraftEdit(draft, edit)), problems: {} });
  if (intent !== "save") return json<ActionData>({ kind: "draft", draft, problems: { [fieldName.form]: [{ code: "invalidForm", params: {} }] } }, { status: 400 });

  const parsed = matrixFromDraft(draft);
  if (!parsed.ok) return json<ActionData>({ kind: "draft", draft, problems: parsed.problems }, { status: 400 });
  const result = await saveAuthorityMatrix(context.db, auth.user.id, parsed.matrix);
  if (!result.ok) return json<ActionData>({ kind: "draft", draft, problems: problemsByField(result.problems, draft) }, { status: 400 });
  return json<ActionData>({ kind: "done", notice: result.changed ? "saved" : "unchanged" });
}

/** A problem's message, its amounts as money and its title by name. */
function useProblemText() {
  const { t } = useTranslation();
  const { locale } = useRootData();
  return (problem: FieldProblem) => {
    const params = Object.fromEntries(
      Object.entries(problem.params).map(([key, value]) => {
        if (key.endsWith("Fen") && typeof value === "number") return [key, formatMoney(fen(value), locale)];
        if (key === "title") return [key, t(`title.${value}`)];
        return [key, value];
      }),
    );
    return t(`authority.problem.${problem.code}`, params);
  };
}

function Problems({ field, problems }: { field: string; problems: FieldProblems }) {
  const text = useProblemText();
  const list = problems[field];
  if (!list?.length) return null;
  return (
    <span className="field-error" id={`${field}-error`}>
      {list.map((problem, i) => (
        <span key={i} className="authority-problem">
          {text(problem)}
        </span>
      ))}
    </span>
  );
}

/** aria-invalid and aria-describedby for an input that may have problems. */
function invalidProps(field: string, problems: FieldProblems) {
  return problems[field]?.length ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {};
}

function BandText({ band }: { band: AuthorityMatrix["workItems"][number]["bands"][number] }) {
  const { t } = useTranslation();
  const { locale } = useRootData();
  const range = bandRange(band);
  const money = (amount: number) => formatMoney(fen(amount), locale);
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

function MatrixTable({ matrix }: { matrix: AuthorityMatrix }) {
  const { t } = useTranslation();
  return (
    <table className="table authority-table">
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
  );
}

function HoldersTable({ holders }: { holders: Record<ApproverTitle, TitleHolder[]> }) {
  const { t } = useTranslation();
  return (
    <table className="table authority-holders">
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
  );
}

function EditButton({ edit, label, className = "button small" }: { edit: Parameters<typeof editIntent>[0]; label: string; className?: string }) {
  return (
    <button type="submit" name="intent" value={editIntent(edit)} className={className} formNoValidate>
      {label}
    </button>
  );
}

function MatrixForm({ draft, problems, holders, reshaped }: { draft: MatrixDraft; problems: FieldProblems; holders: Record<ApproverTitle, TitleHolder[]>; reshaped: boolean }) {
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
          <table className="table authority-bands">
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
                    <td>
                      <input
                        name={fieldName.bandOver(i, b)}
                        defaultValue={band.overYuan}
                        inputMode="decimal"
                        placeholder={t("authority.form.overPlaceholder")}
                        aria-label={`${bandLabel} ${t("authority.form.over")}`}
                        {...invalidProps(fieldName.bandOver(i, b), problems)}
                      />
                      <Problems field={fieldName.bandOver(i, b)} problems={problems} />
                    </td>
                    <td>
                      <input
                        name={fieldName.bandUpTo(i, b)}
                        defaultValue={band.upToYuan}
                        inputMode="decimal"
                        placeholder={t("authority.form.upToPlaceholder")}
                        aria-label={`${bandLabel} ${t("authority.form.upTo")}`}
                        {...invalidProps(fieldName.bandUpTo(i, b), problems)}
                      />
                      <Problems field={fieldName.bandUpTo(i, b)} problems={problems} />
                    </td>
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
          {item.bands.length < MAX_BANDS ? <EditButton edit={{ kind: "addBand", item: i }} label={t("authority.form.addBand")} /> : null}
        </fieldset>
      ))}
      {draft.workItems.length < MAX_WORK_ITEMS ? <EditButton edit={{ kind: "addItem" }} label={t("authority.form.addItem")} /> : null}

      <fieldset className="authority-item">
        <legend>{t("authority.mapping.heading")}</legend>
        <p className="hint">{t("authority.mapping.intro")}</p>
        {draft.categoryMap.length > 0 ? (
          <table className="table authority-mapping">
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

      <div className="form-actions">
        <button type="submit" name="intent" value="save" className="button primary">
          {t("authority.form.save")}
        </button>
      </div>
    </SafeForm>
  );
}

export default function AuthorityMatrixPage() {
  const { t } = useTranslation();
  const { matrix, holders } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const problemText = useProblemText();
  const draft = data?.kind === "draft" ? data.draft : draftFromMatrix(matrix);
  const problems = data?.kind === "draft" ? data.problems : {};
  const refused = Object.keys(problems).length > 0;
  const mappings = Object.entries(matrix.categoryMap);
  const itemName = (key: string) => matrix.workItems.find((w) => w.key === key)?.name ?? key;

  return (
    <section className="authority">
      <p className="muted">{t("authority.intro")}</p>
      {data?.kind === "done" ? (
        <p className="notice" role="status">
          {t(`authority.${data.notice}`)}
        </p>
      ) : null}
      {data?.kind === "resetRefused" ? (
        <div className="form-error" role="alert">
          {t("authority.resetRefused")}
          <ul>
            {data.problems.map((problem, i) => (
              <li key={i}>{problemText(problem)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2>{t("authority.current")}</h2>
      <MatrixTable matrix={matrix} />
      <div className="authority-facts">
        <div>
          <h3>{t("authority.mapping.heading")}</h3>
          {mappings.length === 0 ? (
            <p className="muted">{t("authority.mapping.empty")}</p>
          ) : (
            <ul className="authority-mapping-list">
              {mappings.map(([category, key]) => (
                <li key={category}>
                  {category} → {itemName(key)}
                </li>
              ))}
            </ul>
          )}
          <h3>{t("authority.changeLimit.heading")}</h3>
          <p>
            <strong>{t("authority.changeLimit.value", { percent: matrix.changeLimitPercent })}</strong> <span className="muted">{t("authority.changeLimit.explain")}</span>
          </p>
        </div>
        <div>
          <h3>{t("authority.holders.heading")}</h3>
          <p className="hint">{t("authority.holders.intro")}</p>
          <HoldersTable holders={holders} />
        </div>
      </div>

      <h2>{t("authority.form.heading")}</h2>
      {refused ? (
        <p className="form-error" role="alert">
          {t("authority.notSaved")}
        </p>
      ) : null}
      <MatrixForm draft={draft} problems={problems} holders={holders} reshaped={data?.kind === "draft" && !refused} />
      <SafeForm
        className="authority-reset"
        onSubmit={(event) => {
          if (!window.confirm(t("authority.form.resetConfirm"))) event.preventDefault();
        }}
      >
        <input type="hidden" name="intent" value="reset" />
        <button type="submit" className="button small danger">
          {t("authority.form.reset")}
        </button>
      </SafeForm>
    </section>
  );
}
