import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_UNZIPPED_BYTES } from "~/domain/actuals-import";
import type { ImportResponse } from "~/routes/_app.plans.$planId_.actuals_.import";
import { CsrfInput } from "./csrf";
import { useMoney } from "./money";

const megabytes = (bytes: number) => `${bytes / (1024 * 1024)} MB`;
const LIMITS = { max: megabytes(MAX_IMPORT_FILE_BYTES) };
const UNZIPPED_LIMITS = { max: megabytes(MAX_IMPORT_UNZIPPED_BYTES) };

/** 导入实际支出: uploads a workbook and shows either what was imported or every problem, row by row. */
export function ActualsImportForm({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const fetcher = useFetcher<ImportResponse>();
  // Refused in the browser too: the server answers an oversized body with a bare 413 before Remix sees it.
  const [tooLarge, setTooLarge] = useState(false);
  const busy = fetcher.state !== "idle";
  const result = tooLarge || busy ? undefined : fetcher.data;

  return (
    <section className="card actuals-import" aria-labelledby="actuals-import-heading">
      <h2 id="actuals-import-heading">{t("actualsImport.heading")}</h2>
      <p className="hint">{t("actualsImport.intro")}</p>
      <p className="hint">{t("actualsImport.rule")}</p>
      <fetcher.Form
        method="post"
        action={`/plans/${planId}/actuals/import`}
        encType="multipart/form-data"
        className="actuals-import-form"
        onSubmit={(event) => {
          const input = event.currentTarget.elements.namedItem("file");
          const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
          const oversized = file !== undefined && file.size > MAX_IMPORT_FILE_BYTES;
          setTooLarge(oversized);
          if (oversized) event.preventDefault();
        }}
      >
        <CsrfInput />
        <label className="field">
          <span>{t("actualsImport.file")}</span>
          <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required onChange={() => setTooLarge(false)} />
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t("actualsImport.submitting") : t("actualsImport.submit")}
        </button>
      </fetcher.Form>

      <div aria-live="polite">
        {tooLarge ? (
          <p className="field-error" role="alert">
            {t("actualsImport.fileErrors.fileTooLarge", LIMITS)}
          </p>
        ) : null}
        {result?.ok ? (
          <p className="notice" data-import-summary>
            {t("actualsImport.summary", { ...result.summary, total: money(result.summary.totalFen) })}
          </p>
        ) : null}
        {result && !result.ok && "file" in result ? (
          <p className="field-error" role="alert" data-import-refused={result.file}>
            {t(`actualsImport.fileErrors.${result.file}`, result.file === "unzippedTooLarge" ? UNZIPPED_LIMITS : LIMITS)}
          </p>
        ) : null}
        {result && !result.ok && "issues" in result ? (
          <div role="alert">
            <p className="field-error">{t("actualsImport.refused")}</p>
            <table className="table compact" data-import-issues>
              <thead>
                <tr>
                  <th scope="col">{t("actualsImport.row")}</th>
                  <th scope="col">{t("actualsImport.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {result.issues.map((issue, index) => (
                  <tr key={index}>
                    <td className="num">{issue.row ?? t("actualsImport.wholeFile")}</td>
                    <td>{t(`actualsImport.issue.${issue.code}`, issue.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  );
}
