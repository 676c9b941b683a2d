import { useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_ENTRY } from "~/domain/attachments";
import type { AttachmentView } from "~/services/attachments.server";
import { SafeForm } from "./csrf";
import { ConfirmSubmitButton } from "./dialogs";

/** Invoice photos and scans (发票附件) on actual spend entries: the file field, the thumbnails, adding and deleting. */

export const ATTACHMENT_ACCEPT = "image/*,application/pdf";
const LIMITS = { max: MAX_ATTACHMENT_BYTES / (1024 * 1024), count: MAX_ATTACHMENTS_PER_ENTRY };

/** A refusal code as the member reads it. */
export function AttachmentError({ id, code }: { id: string; code: string | undefined }) {
  const { t } = useTranslation();
  return code ? (
    <span className="field-error" id={id} role="alert" data-attachment-error={code}>
      {t(`attachments.error.${code}`, LIMITS)}
    </span>
  ) : null;
}

/** The add form's optional photo field: a phone offers its camera (`capture`). */
export function AttachmentField({ idPrefix, error }: { idPrefix: string; error: string | undefined }) {
  const { t } = useTranslation();
  const id = `${idPrefix}-attachment`;
  return (
    <div className="field attachment-field">
      <label htmlFor={id}>{t("attachments.field")}</label>
      <input
        id={id}
        type="file"
        name="attachment"
        accept={ATTACHMENT_ACCEPT}
        capture="environment"
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        {...(error && { "aria-invalid": true as const })}
      />
      <span className="hint" id={`${id}-hint`}>
        {t("attachments.hint", LIMITS)}
      </span>
      <AttachmentError id={`${id}-error`} code={error} />
    </div>
  );
}

/** One entry's attachments: thumbnails (raster images) or links, and for finance add / delete. */
export function EntryAttachments({
  planId,
  entryId,
  attachments,
  canRecord,
  addLabel,
  error,
}: {
  planId: string;
  entryId: number;
  attachments: readonly AttachmentView[];
  canRecord: boolean;
  addLabel: string;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const uploading = navigation.formData?.get("intent") === "attach" && navigation.formData.get("entryId") === String(entryId);
  const full = attachments.length >= MAX_ATTACHMENTS_PER_ENTRY;
  const inputId = `entry-${entryId}-attachment`;
  return (
    <div className="entry-attachments">
      {attachments.length > 0 ? (
        <ul className="attachment-list">
          {attachments.map((attachment) => {
            const href = `/plans/${planId}/attachments/${attachment.id}`;
            return (
              <li key={attachment.id} data-attachment-id={attachment.id}>
                {attachment.inline ? (
                  <a href={href} target="_blank" rel="noopener" className="attachment-thumb" aria-label={t("attachments.open", { name: attachment.fileName })}>
                    <img src={href} alt={attachment.fileName} width={56} height={56} loading="lazy" />
                  </a>
                ) : (
                  <a href={href} download={attachment.fileName} className="attachment-file" aria-label={t("attachments.download", { name: attachment.fileName })}>
                    {attachment.mediaType === "application/pdf" ? "PDF" : "HEIC"}
                  </a>
                )}
                {canRecord ? (
                  <SafeForm className="attachment-delete">
                    <input type="hidden" name="intent" value="deleteAttachment" />
                    <input type="hidden" name="attachmentId" value={attachment.id} />
                    <input type="hidden" name="entryId" value={entryId} />
                    <ConfirmSubmitButton
                      className="button ghost small danger-text"
                      aria-label={t("attachments.deleteLabel", { name: attachment.fileName })}
                      title={t("attachments.deleteTitle")}
                      message={t("attachments.deleteConfirm", { name: attachment.fileName })}
                      confirmLabel={t("attachments.delete")}
                      danger
                    >
                      ×
                    </ConfirmSubmitButton>
                  </SafeForm>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : canRecord ? null : (
        <span className="muted">{t("attachments.none")}</span>
      )}
      {canRecord && !full ? (
        <SafeForm encType="multipart/form-data" className="attachment-add">
          <input type="hidden" name="intent" value="attach" />
          <input type="hidden" name="entryId" value={entryId} />
          <label htmlFor={inputId} className="button ghost small" aria-busy={uploading}>
            {uploading ? t("attachments.uploading") : t("attachments.add")}
          </label>
          {/* Chosen, it submits at once: on a phone, the photo just taken is the whole step. */}
          <input
            id={inputId}
            className="visually-hidden-file"
            type="file"
            name="attachment"
            accept={ATTACHMENT_ACCEPT}
            capture="environment"
            aria-label={addLabel}
            onChange={(event) => {
              if (event.currentTarget.files?.length) event.currentTarget.form?.requestSubmit();
            }}
          />
        </SafeForm>
      ) : null}
      {canRecord && full ? <span className="muted">{t("attachments.full", LIMITS)}</span> : null}
      <AttachmentError id={`${inputId}-error`} code={error} />
    </div>
  );
}
