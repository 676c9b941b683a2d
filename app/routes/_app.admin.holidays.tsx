import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { recordAudit } from "../../db/queries/audit";
import { listOfficialDays, replaceOfficialDays } from "../../db/queries/official-days";
import { requireAbility } from "~/routes-support/guards.server";
import { SafeForm } from "~/components/csrf";
import { chinaToday, MAX_YEAR, MIN_YEAR } from "~/domain/calendar";
import { yearSchedule } from "~/domain/campaign-calendar";
import { HOLIDAY_ROWS, officialField, officialFormRows, parseOfficialForm, WORKDAY_ROWS, type OfficialFormError, type OfficialFormRows } from "~/lib/official-days-form";
import stylesHref from "~/styles/calendar.css";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminHolidays");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];

const YearSchema = z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR);
/** Rows the form reads at most: the blank rows shown plus what a year can hold. */
const MAX_FORM_ROWS = 60;

/** The domain's field errors, plus the year field the route checks itself. */
type FieldErrors = Record<string, { code: OfficialFormError | "badYear"; date?: string; year?: number }>;

/** Stored rows plus blank ones to type into, never fewer than the default count. */
function padRows(rows: OfficialFormRows): OfficialFormRows {
  const holidays = [...rows.holidays];
  while (holidays.length < Math.max(HOLIDAY_ROWS, rows.holidays.length + 2)) holidays.push({ name: "", from: "", to: "" });
  const workdays = [...rows.workdays];
  while (workdays.length < Math.max(WORKDAY_ROWS, rows.workdays.length + 2)) workdays.push({ name: "", date: "" });
  return { holidays, workdays };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAbility(request, context, "holidays:manage");
  const raw = new URL(request.url).searchParams.get("year");
  // The year the library is most likely not to know yet: the next one.
  const fallback = Number(chinaToday(Date.now()).slice(0, 4)) + 1;
  const parsed = raw === null ? null : YearSchema.safeParse(raw);
  const year = parsed?.success ? parsed.data : fallback;
  const entered = await listOfficialDays(context.db, [year]);
  return {
    year,
    yearError: parsed !== null && !parsed.success,
    source: yearSchedule(year, entered).source,
    rows: padRows(officialFormRows(entered)),
  };
}

type ActionData =
  | { kind: "saved"; year: number; holidays: number; workdays: number }
  | { kind: "refused"; year: number; rows: OfficialFormRows; errors: FieldErrors };

function rowsFromForm(form: FormData): OfficialFormRows {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const rows: OfficialFormRows = { holidays: [], workdays: [] };
  for (let i = 0; i < MAX_FORM_ROWS && form.has(officialField.holiday(i, "name")); i += 1) {
    rows.holidays.push({ name: text(officialField.holiday(i, "name")), from: text(officialField.holiday(i, "from")), to: text(officialField.holiday(i, "to")) });
  }
  for (let i = 0; i < MAX_FORM_ROWS && form.has(officialField.workday(i, "name")); i += 1) {
    rows.workdays.push({ name: text(officialField.workday(i, "name")), date: text(officialField.workday(i, "date")) });
  }
  return rows;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAbility(request, context, "holidays:manage");
  const form = await request.formData();
  const year = YearSchema.safeParse(form.get("year"));
  const rows = rowsFromForm(form);
  if (!year.success) {
    return json<ActionData>({ kind: "refused", year: 0, rows, errors: { year: { code: "badYear" } } }, { status: 400 });
  }
  const result = parseOfficialForm(year.data, rows);
  if (!result.ok) return json<ActionData>({ kind: "refused", year: year.data, rows, errors: result.errors }, { status: 400 });
  const holidays = result.days.filter((day) => day.kind === "holiday").length;
  const workdays = result.days.length - holidays;
  const now = Date.now();
  await context.db.transaction().execute(async (trx) => {
    await replaceOfficialDays(trx, year.data, result.days, auth.user.id, now);
    await recordAudit(trx, { actorId: auth.user.id, action: "holidays.update", targetType: "holidays", targetId: year.data, detail: { holidays, workdays }, at: now });
  });
  return json<ActionData>({ kind: "saved", year: year.data, holidays, workdays });
}

export default function AdminHolidays() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refused = actionData?.kind === "refused" && actionData.year === data.year ? actionData : null;
  const rows = refused ? padRows(refused.rows) : data.rows;
  const errors: FieldErrors = refused?.errors ?? {};
  const saved = actionData?.kind === "saved" && actionData.year === data.year ? actionData : null;
  return (
    <section className="holiday-admin">
      <h2>{t("calendar.admin.heading")}</h2>
      <p className="muted">{t("calendar.admin.intro")}</p>
      <Form method="get" className="year-form">
        <label className="field">
          <span>{t("calendar.admin.year")}</span>
          <input
            name="year"
            type="number"
            min={MIN_YEAR}
            max={MAX_YEAR}
            defaultValue={data.year}
            required
            aria-invalid={data.yearError || undefined}
            aria-describedby={data.yearError ? "year-error" : undefined}
          />
          {data.yearError ? (
            <span className="field-error" id="year-error">
              {t("calendar.admin.errors.badYear")}
            </span>
          ) : null}
        </label>
        <button type="submit" className="button">
          {t("calendar.admin.pick")}
        </button>
      </Form>
      {saved ? (
        <p className="notice" role="status">
          {saved.holidays + saved.workdays === 0
            ? t("calendar.admin.cleared", { year: saved.year })
            : t("calendar.admin.saved", { year: saved.year, holidays: saved.holidays, workdays: saved.workdays })}
        </p>
      ) : null}
      {refused ? (
        <p className="form-error" role="alert">
          {t("calendar.admin.fixErrors")}
        </p>
      ) : null}
      <p className={`notice ${data.source === "none" ? "warning" : "muted-notice"}`} data-source={data.source}>
        {t(`calendar.admin.source${data.source === "admin" ? "Admin" : data.source === "library" ? "Library" : "None"}`, { year: data.year })}
      </p>
      {/* A refused form keeps what was typed; a new year or a save shows the stored rows. */}
      <SafeForm key={`${data.year}-${refused ? "refused" : JSON.stringify(data.rows)}`} action={`/admin/holidays?year=${data.year}`}>
        <input type="hidden" name="year" value={data.year} />
        <fieldset>
          <legend>{t("calendar.admin.holidays")}</legend>
          <p className="hint">{t("calendar.admin.holidaysHint")}</p>
          <div className="holiday-rows">
            <div className="holiday-row header" aria-hidden="true">
              <span />
              <span>{t("calendar.admin.name")}</span>
              <span>{t("calendar.admin.from")}</span>
              <span>{t("calendar.admin.to")}</span>
            </div>
            {rows.holidays.map((row, index) => (
              <div className="holiday-row" key={index} role="group" aria-label={t("calendar.admin.row", { row: index + 1 })}>
                <span className="muted">{t("calendar.admin.row", { row: index + 1 })}</span>
                <Cell name={officialField.holiday(index, "name")} label={t("calendar.admin.name")} value={row.name} errors={errors} />
                <Cell name={officialField.holiday(index, "from")} label={t("calendar.admin.from")} value={row.from} errors={errors} date />
                <Cell name={officialField.holiday(index, "to")} label={t("calendar.admin.to")} value={row.to} errors={errors} date />
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("calendar.admin.workdays")}</legend>
          <p className="hint">{t("calendar.admin.workdaysHint")}</p>
          <div className="holiday-rows">
            <div className="holiday-row workday-row header" aria-hidden="true">
              <span />
              <span>{t("calendar.admin.date")}</span>
              <span>{t("calendar.admin.name")}</span>
            </div>
            {rows.workdays.map((row, index) => (
              <div className="holiday-row workday-row" key={index} role="group" aria-label={t("calendar.admin.row", { row: index + 1 })}>
                <span className="muted">{t("calendar.admin.row", { row: index + 1 })}</span>
                <Cell name={officialField.workday(index, "date")} label={t("calendar.admin.date")} value={row.date} errors={errors} date />
                <Cell name={officialField.workday(index, "name")} label={t("calendar.admin.name")} value={row.name} errors={errors} />
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="button primary">
          {t("calendar.admin.save", { year: data.year })}
        </button>
      </SafeForm>
    </section>
  );
}

/** One input with its label and, when refused, the Chinese message beside it. */
function Cell(props: { name: string; label: string; value: string; errors: FieldErrors; date?: boolean }) {
  const { t } = useTranslation();
  const error = props.errors[props.name];
  const errorId = `${props.name.replaceAll(".", "-")}-error`;
  return (
    <label className="field">
      <span className="visually-hidden">{props.label}</span>
      <input
        name={props.name}
        defaultValue={props.value}
        placeholder={props.date ? "YYYY-MM-DD" : props.label}
        inputMode={props.date ? "numeric" : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error ? (
        <span className="field-error" id={errorId}>
          {t(`calendar.admin.errors.${error.code}`, { year: error.year, date: error.date })}
        </span>
      ) : null}
    </label>
  );
}
