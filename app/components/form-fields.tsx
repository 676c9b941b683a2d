import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/lib/forms";

/** A field's error (a translation key under errors.*), shown beside the field. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  const { t } = useTranslation();
  return error ? (
    <span className="field-error" id={id}>
      {t(`errors.${error}`)}
    </span>
  ) : null;
}

/** The banner above a form that came back with field errors. */
export function FormErrorSummary({ errors }: { errors: FieldErrors | undefined }) {
  const { t } = useTranslation();
  return errors ? (
    <p className="form-error" role="alert">
      {t("errors.fixBelow")}
    </p>
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

/** A labelled select with its error shown beside it. */
export function SelectField(props: {
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  defaultValue: string;
  errors?: FieldErrors;
}) {
  const error = props.errors?.[props.name];
  const errorId = `${props.name}-error`;
  return (
    <label className="field">
      <span>{props.label}</span>
      <select
        name={props.name}
        defaultValue={props.defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={errorId} error={error} />
    </label>
  );
}
