import { useTranslation } from "react-i18next";
import type { BlockUndoControls } from "~/collab/use-block-undo";
import type { UndoAction } from "~/collab/block-undo";

function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
}

/** Every key combination that undoes or redoes, for aria-keyshortcuts. */
export const UNDO_KEYS: Record<UndoAction, string> = { undo: "Control+Z Meta+Z", redo: "Control+Shift+Z Meta+Shift+Z Control+Y" };

/** The keys of an undo shortcut as this computer's keyboard labels them. */
export function shortcutKeys(action: UndoAction): string {
  if (isMac()) return action === "undo" ? "⌘Z" : "⇧⌘Z";
  return action === "undo" ? "Ctrl+Z" : "Ctrl+Shift+Z";
}

/** 撤销（Ctrl+Z）: a button's tooltip with its shortcut. */
export function useUndoTitle(): (action: UndoAction, label?: string) => string {
  const { t } = useTranslation();
  return (action, label) => t("undo.withShortcut", { label: label ?? t(`undo.${action}`), shortcut: shortcutKeys(action) });
}

/**
 * 撤销 / 重做 for a structured block: disabled when this member has nothing of their own to
 * undo or redo there, and while the budget is locked (with the reason beside them).
 */
export function BlockUndoButtons({ controls }: { controls: BlockUndoControls }) {
  const { t } = useTranslation();
  const title = useUndoTitle();
  if (!controls.available) return null;
  const locked = controls.refusal !== null;
  const button = (action: UndoAction, glyph: string, enabled: boolean) => (
    <button
      type="button"
      className="button small undo-button"
      data-undo={action}
      title={locked ? t("undo.budgetLocked") : title(action)}
      aria-keyshortcuts={UNDO_KEYS[action]}
      disabled={!enabled}
      onClick={() => controls.run(action)}
    >
      <span aria-hidden="true">{glyph}</span> {t(`undo.${action}`)}
    </button>
  );
  return (
    <div className="undo-bar" role="group" aria-label={t("undo.group")}>
      {button("undo", "↶", controls.state.canUndo)}
      {button("redo", "↷", controls.state.canRedo)}
      {locked && controls.refused ? (
        <span className="undo-refused" role="status">
          {t("undo.budgetLocked")}
        </span>
      ) : null}
    </div>
  );
}
