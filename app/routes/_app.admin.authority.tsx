import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAbility } from "~/routes-support/guards.server";
import { listTitleHolders, loadAuthorityMatrix, resetAuthorityMatrix, saveAuthorityMatrix } from "~/services/authority.server";
import { MatrixForm } from "~/components/authority-matrix-form";
import { useProblemText } from "~/components/authority-problems";
import { HoldersTable, MatrixTable } from "~/components/authority-tables";
import { SafeForm } from "~/components/csrf";
import { ConfirmSubmitButton } from "~/components/dialogs";
import {
  applyDraftEdit,
  assignNewKeys,
  draftFromForm,
  draftFromMatrix,
  fieldName,
  formLevelProblems,
  matrixFromDraft,
  parseEditIntent,
  problemsByField,
  type FieldProblem,
  type FieldProblems,
  type MatrixDraft,
} from "~/domain/authority-form";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminAuthority");

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
      <SafeForm className="authority-reset">
        <input type="hidden" name="intent" value="reset" />
        <ConfirmSubmitButton className="button small danger" message={t("authority.form.resetConfirm")} confirmLabel={t("authority.form.reset")} danger>
          {t("authority.form.reset")}
        </ConfirmSubmitButton>
      </SafeForm>
    </section>
  );
}
