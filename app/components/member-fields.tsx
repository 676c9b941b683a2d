import { useTranslation } from "react-i18next";
import { APPROVER_TITLES, ROLES, type ApproverTitle, type Role } from "../domain/roles";
import type { FieldErrors } from "../lib/forms";

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  const { t } = useTranslation();
  return error ? (
    <span className="field-error" id={id}>
      {t(`errors.${error}`)}
    </span>
  ) : null;
}

/** A labelled input with its error shown beside it. */
export function TextField(props: {
  name: string;
  label: string;
  errors?: FieldErrors;
  defaultValue?: string;
  type?: string;
  hint?: string;
  autoComplete?: string;
  required?: boolean;
}) {
  const error = props.errors?.[props.name];
  const errorId = `${props.name}-error`;
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        required={props.required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {props.hint ? <span className="hint">{props.hint}</span> : null}
      <FieldError id={errorId} error={error} />
    </label>
  );
}

export function RoleAndTitleFields(props: { errors?: FieldErrors; role?: Role; title?: ApproverTitle | null }) {
  const { t } = useTranslation();
  return (
    <div className="field-row">
      <label className="field">
        <span>{t("admin.role")}</span>
        <select name="role" defaultValue={props.role ?? "planner"} aria-invalid={props.errors?.role ? true : undefined}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <FieldError id="role-error" error={props.errors?.role} />
      </label>
      <label className="field">
        <span>{t("admin.approverTitle")}</span>
        <select name="title" defaultValue={props.title ?? "none"} aria-invalid={props.errors?.title ? true : undefined}>
          <option value="none">{t("title.none")}</option>
          {APPROVER_TITLES.map((title) => (
            <option key={title} value={title}>
              {t(`title.${title}`)}
            </option>
          ))}
        </select>
        <FieldError id="title-error" error={props.errors?.title} />
      </label>
    </div>
  );
}
