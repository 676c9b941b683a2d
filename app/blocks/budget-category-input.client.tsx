import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseCategoryName, TEXT_LIMITS, type GridErrorCode } from "./budget-grid";
import { isComposing } from "./budget-cells.client";

/** A category name being typed: renaming a group, adding one, or moving a line to a new one. */
export function CategoryInput(props: { initial: string; label: string; onSubmit: (name: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(props.initial);
  const [code, setCode] = useState<GridErrorCode | null>(null);
  const errorId = useId();
  const submit = () => {
    const parsed = parseCategoryName(draft);
    if (parsed.ok) props.onSubmit(parsed.value);
    else setCode(parsed.code);
  };
  return (
    <span className="budget-category-input">
      <input
        type="text"
        autoFocus
        value={draft}
        aria-label={props.label}
        placeholder={t("budget.categoryName")}
        aria-invalid={code !== null || undefined}
        aria-describedby={code ? errorId : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          if (code && parseCategoryName(event.target.value).ok) setCode(null);
        }}
        onKeyDown={(event) => {
          if (isComposing(event)) return;
          if (event.key === "Enter") {
            event.preventDefault();
            submit();
          } else if (event.key === "Escape") {
            event.preventDefault();
            props.onCancel();
          }
        }}
      />
      <button type="button" className="button small primary" onClick={submit}>
        {t("budget.save")}
      </button>
      <button type="button" className="button small ghost" onClick={props.onCancel}>
        {t("budget.cancel")}
      </button>
      {code ? (
        <span className="budget-cell-error static" role="alert" id={errorId}>
          {t(`budget.error.${code}`, { max: TEXT_LIMITS.category })}
        </span>
      ) : null}
    </span>
  );
}
