import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/lib/forms";

/** What an actuals form posted and what was wrong with it, as the action sends it back. */
export interface ActualsFormState {
  intent: string;
  entryId: number | null;
  kpiId: string | null;
  values: Record<string, string>;
  errors: FieldErrors;
}

/** A field's error (a code under actuals.error.*), beside the field. */
export function ActualsFieldError({ id, code }: { id: string; code: string | undefined }) {
  const { t } = useTranslation();
  return code ? (
    <span className="field-error" id={id} role="alert">
      {t(`actuals.error.${code}`)}
    </span>
  ) : null;
}

/** A labelled control with its error beside it; `control` receives the aria props to spread. */
export function ActualsField({
  name,
  label,
  idPrefix,
  errors,
  className,
  control,
}: {
  name: string;
  label: string;
  idPrefix: string;
  errors: FieldErrors | undefined;
  className?: string;
  control: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const code = errors?.[name];
  const id = `${idPrefix}-${name}`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {control({ id, ...(code && { "aria-invalid": true as const, "aria-describedby": errorId }) })}
      <ActualsFieldError id={errorId} code={code} />
    </div>
  );
}
