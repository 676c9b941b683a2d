import { addDays, isIsoDate } from "~/domain/calendar";
import type { EnteredOfficialDay } from "~/domain/campaign-calendar";
import { cleanDisplayName } from "~/domain/display-name";

/**
 * The admin form for a year's official schedule (法定假日 ranges and 调休 days): its field
 * names, its parser and the stored days back as rows. Kept out of forms.ts so the pages that
 * use the generic parser do not load the calendar with it.
 */

export const HOLIDAY_ROWS = 10;
export const WORKDAY_ROWS = 10;
const NAME_MAX = 20;

/** Error codes, translated as calendar.admin.errors.*. */
export type OfficialFormError = "nameRequired" | "nameInvisible" | "nameTooLong" | "dateRequired" | "badDate" | "wrongYear" | "rangeReversed" | "bothKinds";

export interface OfficialFormRows {
  holidays: { name: string; from: string; to: string }[];
  workdays: { name: string; date: string }[];
}

export type OfficialFormResult =
  | { ok: true; days: EnteredOfficialDay[] }
  | { ok: false; errors: Record<string, { code: OfficialFormError; date?: string; year?: number }> };

/** Field names of the admin form, shared by the route's inputs and the error map. */
export const officialField = {
  holiday: (index: number, part: "name" | "from" | "to") => `holiday.${index}.${part}`,
  workday: (index: number, part: "name" | "date") => `workday.${index}.${part}`,
};

/**
 * Checks an admin's holiday ranges and 调休 days for `year` and expands them into days.
 * Blank rows are skipped; every problem is reported beside its field; nothing is returned
 * to store unless every row is right.
 */
export function parseOfficialForm(year: number, rows: OfficialFormRows): OfficialFormResult {
  const errors: Extract<OfficialFormResult, { ok: false }>["errors"] = {};
  const days: EnteredOfficialDay[] = [];
  const checkDate = (field: string, value: string): string | null => {
    if (value === "") errors[field] = { code: "dateRequired" };
    else if (!isIsoDate(value)) errors[field] = { code: "badDate" };
    else if (!value.startsWith(`${year}-`)) errors[field] = { code: "wrongYear", year };
    else return value;
    return null;
  };
  const checkName = (field: string, raw: string, value: string): boolean => {
    if (value === "") errors[field] = { code: raw.trim() === "" ? "nameRequired" : "nameInvisible" };
    else if (value.length > NAME_MAX) errors[field] = { code: "nameTooLong" };
    else return true;
    return false;
  };
  const holidayFields = new Map<string, string>();
  rows.holidays.forEach((row, index) => {
    const name = cleanDisplayName(row.name);
    const fromText = row.from.trim();
    const toText = row.to.trim();
    if (row.name.trim() === "" && fromText === "" && toText === "") return;
    const nameOk = checkName(officialField.holiday(index, "name"), row.name, name);
    const from = checkDate(officialField.holiday(index, "from"), fromText);
    const to = checkDate(officialField.holiday(index, "to"), toText);
    if (!from || !to || !nameOk) return;
    if (to < from) {
      errors[officialField.holiday(index, "to")] = { code: "rangeReversed" };
      return;
    }
    for (let date = from; date <= to; date = addDays(date, 1)) {
      days.push({ date, kind: "holiday", name });
      holidayFields.set(date, officialField.holiday(index, "from"));
    }
  });
  const workdayDates = new Set<string>();
  rows.workdays.forEach((row, index) => {
    const name = cleanDisplayName(row.name);
    const dateText = row.date.trim();
    if (row.name.trim() === "" && dateText === "") return;
    const nameOk = checkName(officialField.workday(index, "name"), row.name, name);
    const date = checkDate(officialField.workday(index, "date"), dateText);
    if (!date || !nameOk) return;
    if (holidayFields.has(date)) {
      errors[officialField.workday(index, "date")] = { code: "bothKinds", date };
      return;
    }
    if (workdayDates.has(date)) return;
    workdayDates.add(date);
    days.push({ date, kind: "workday", name });
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Two ranges over the same day: the later row's name wins, one day is stored once.
  const unique = new Map(days.map((day) => [`${day.kind}:${day.date}`, day]));
  return { ok: true, days: [...unique.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) };
}

/** Stored days back as form rows: consecutive days with one name make one range. */
export function officialFormRows(days: readonly EnteredOfficialDay[]): OfficialFormRows {
  const holidays: OfficialFormRows["holidays"] = [];
  for (const day of [...days].filter((d) => d.kind === "holiday").sort((a, b) => (a.date < b.date ? -1 : 1))) {
    const last = holidays[holidays.length - 1];
    if (last && last.name === day.name && addDays(last.to, 1) === day.date) last.to = day.date;
    else holidays.push({ name: day.name, from: day.date, to: day.date });
  }
  const workdays = days
    .filter((d) => d.kind === "workday")
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map((day) => ({ name: day.name, date: day.date }));
  return { holidays, workdays };
}
