import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ButtonHTMLAttributes, type FormEvent, type MouseEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";

/**
 * The app's own dialogs, in place of window.confirm / window.prompt: those block the page, cannot
 * be styled or translated beyond their text, and some in-app browsers (企业微信, 钉钉) suppress them.
 *
 * Built on <dialog> opened with showModal(): the browser makes the rest of the page inert, keeps
 * focus inside, and turns Esc into "cancel". A dialog exists in the DOM only while open, rendered
 * into <body> so it can be opened from inside a form or a table row without nesting one form in
 * another. At ≤ 600 px it is a full-width bottom sheet (app/styles/dialogs.css).
 */

type ModalProps = {
  title: string;
  message?: ReactNode;
  onCancel: () => void;
  children: (ids: { titleId: string }) => ReactNode;
  className?: string;
};

function Modal({ title, message, onCancel, children, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const messageId = useId();
  // Layout effects: open before paint, and on unmount close (which hands focus back to the
  // control that opened the dialog) while the element is still in the document.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return createPortal(
    <dialog
      ref={ref}
      className={`app-dialog${className ? ` ${className}` : ""}`}
      aria-labelledby={titleId}
      aria-describedby={message ? messageId : undefined}
      onCancel={(event) => {
        // Esc: the parent decides (it unmounts us); the browser must not close behind its back.
        event.preventDefault();
        onCancel();
      }}
      onClick={(event) => {
        // A tap on the backdrop (outside the dialog's box) cancels, as on a phone sheet.
        if (event.target === ref.current) onCancel();
      }}
    >
      <div className="app-dialog-body">
        <h2 id={titleId} className="app-dialog-title">
          {title}
        </h2>
        {message ? (
          <div id={messageId} className="app-dialog-message">
            {message}
          </div>
        ) : null}
        {children({ titleId })}
      </div>
    </dialog>,
    document.body,
  );
}

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  message?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/** Asks a yes/no question. Cancel comes first, so the browser focuses it on opening and Enter never confirms a deletion by accident. */
function ConfirmDialog({ open, title, message, confirmLabel, cancelLabel, danger = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useTranslation();
  if (!open) return null;
  return (
    <Modal title={title} message={message} onCancel={onCancel}>
      {() => (
        <div className="app-dialog-actions">
          <button type="button" className="button" onClick={onCancel} data-dialog-cancel="">
            {cancelLabel ?? t("dialogs.cancel")}
          </button>
          <button type="button" className={`button ${danger ? "danger-solid" : "primary"}`} onClick={onConfirm} data-dialog-confirm="">
            {confirmLabel}
          </button>
        </div>
      )}
    </Modal>
  );
}

type PromptDialogProps = {
  open: boolean;
  title: string;
  label: string;
  initialValue: string;
  confirmLabel: string;
  cancelLabel?: string;
  required?: boolean;
  maxLength?: number;
  inputType?: "text" | "url";
  onSubmit: (value: string) => void;
  onCancel: () => void;
};

/** Asks for one line of text; the value is trimmed, and an empty answer is refused when required. */
function PromptDialog(props: PromptDialogProps) {
  if (!props.open) return null;
  // Mounted afresh on every opening, so the field starts from initialValue each time.
  return <PromptDialogOpen {...props} />;
}

function PromptDialogOpen({ title, label, initialValue, confirmLabel, cancelLabel, required = false, maxLength, inputType = "text", onSubmit, onCancel }: PromptDialogProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const answer = value.trim();
    if (required && answer === "") {
      setError(t("dialogs.required", { label }));
      input.current?.focus();
      return;
    }
    onSubmit(answer);
  };
  return (
    <Modal title={title} onCancel={onCancel}>
      {() => (
        <form className="app-dialog-form" noValidate onSubmit={submit}>
          <label htmlFor={inputId}>{label}</label>
          <input
            ref={input}
            id={inputId}
            type={inputType}
            value={value}
            maxLength={maxLength}
            required={required}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => {
              setValue(event.target.value);
              if (error) setError(null);
            }}
          />
          {error ? (
            <p id={errorId} className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="app-dialog-actions">
            <button type="button" className="button" onClick={onCancel} data-dialog-cancel="">
              {cancelLabel ?? t("dialogs.cancel")}
            </button>
            <button type="submit" className="button primary" data-dialog-confirm="">
              {confirmLabel}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

export type ConfirmSubmitButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> & {
  message: ReactNode;
  title?: string;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
};

/**
 * A submit button that asks first. Confirming submits the button's own form with the button as
 * the submitter, so its name/value reach the action exactly as a plain click would. Without
 * JavaScript it is a plain submit button.
 */
export function ConfirmSubmitButton({ message, title, confirmLabel, cancelLabel, danger = false, onClick, ...buttonProps }: ConfirmSubmitButtonProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const ask = (event: MouseEvent<HTMLButtonElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    event.preventDefault();
    setAsking(true);
  };
  const confirm = () => {
    setAsking(false);
    const submitter = button.current;
    submitter?.form?.requestSubmit(submitter);
  };
  return (
    <>
      <button {...buttonProps} ref={button} type="submit" onClick={ask} />
      <ConfirmDialog
        open={asking}
        title={title ?? t("dialogs.confirmTitle")}
        message={message}
        confirmLabel={confirmLabel}
        cancelLabel={cancelLabel}
        danger={danger}
        onConfirm={confirm}
        onCancel={() => setAsking(false)}
      />
    </>
  );
}

/** What to ask; the title defaults to "请确认" when the message says it all. */
export type ConfirmRequest = Omit<ConfirmDialogProps, "open" | "onConfirm" | "onCancel" | "title"> & { title?: string };
export type PromptRequest = Omit<PromptDialogProps, "open" | "onSubmit" | "onCancel">;

/**
 * For code that asks in the middle of a handler (remove this row?): `if (await confirm({...}))`.
 * Render the returned element anywhere in the component; it is null while nothing is asked.
 * A second question while one is open answers the first with "no".
 */
export function useConfirm(): [(request: ConfirmRequest) => Promise<boolean>, ReactNode] {
  const { t } = useTranslation();
  const [pending, setPending] = useState<{ request: ConfirmRequest; resolve: (ok: boolean) => void } | null>(null);
  const ask = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) =>
        setPending((previous) => {
          previous?.resolve(false);
          return { request, resolve };
        }),
      ),
    [],
  );
  const settle = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
  };
  const dialog = pending ? (
    <ConfirmDialog {...pending.request} title={pending.request.title ?? t("dialogs.confirmTitle")} open onConfirm={() => settle(true)} onCancel={() => settle(false)} />
  ) : null;
  return [ask, dialog];
}

/** As useConfirm, for one line of text: resolves with the trimmed answer, or null when cancelled. */
export function usePrompt(): [(request: PromptRequest) => Promise<string | null>, ReactNode] {
  const [pending, setPending] = useState<{ request: PromptRequest; resolve: (answer: string | null) => void } | null>(null);
  const ask = useCallback(
    (request: PromptRequest) =>
      new Promise<string | null>((resolve) =>
        setPending((previous) => {
          previous?.resolve(null);
          return { request, resolve };
        }),
      ),
    [],
  );
  const settle = (answer: string | null) => {
    pending?.resolve(answer);
    setPending(null);
  };
  const dialog = pending ? <PromptDialog {...pending.request} open onSubmit={(answer) => settle(answer)} onCancel={() => settle(null)} /> : null;
  return [ask, dialog];
}
