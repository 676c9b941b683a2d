import { useTranslation } from "react-i18next";

/**
 * Under an open cell editor whose cell a collaborator just saved: their value, and the member's
 * choice. The editor keeps the focus (a blur would try to commit), and a double click here does
 * not start a new edit of the cell.
 */
export function ConflictPrompt({ by, value, onChoose }: { by: string | null; value: string; onChoose: (choice: "mine" | "theirs") => void }) {
  const { t } = useTranslation();
  const button = (choice: "mine" | "theirs", label: string, className: string) => (
    <button type="button" className={`button small${className}`} onMouseDown={(event) => event.preventDefault()} onClick={() => onChoose(choice)}>
      {label}
    </button>
  );
  return (
    <div className="cell-conflict" role="alert" data-conflict onDoubleClick={(event) => event.stopPropagation()}>
      <span>{t("presence.conflict", { name: by ?? t("presence.someone"), value: value || t("presence.empty") })}</span>
      <span className="cell-conflict-actions">
        {button("mine", t("presence.useMine"), "")}
        {button("theirs", t("presence.keepTheirs"), " ghost")}
      </span>
    </div>
  );
}
