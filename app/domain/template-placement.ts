import { z } from "zod";
import { MAX_YEAR, MIN_YEAR } from "./calendar";
import { IsoDateSchema } from "./plan";
import { instantiateTemplate, TemplateInstantiationError, type InstantiateInput, type Template, type TemplateInstance } from "./template";
import { anchorSummary, type TemplatePreview } from "./template-preview";

/**
 * Placing a picked template for the create-plan page: the year or date typed for its anchor,
 * the template placed there (or the field to blame), and the card the picker shows for it.
 */

/** The picker's value for a plan without a template. */
export const BLANK_TEMPLATE = "blank";

// Messages are translation keys (errors.*).
const YearSchema = z.coerce
  .number({ error: "yearRange" })
  .int({ error: "yearRange" })
  .min(MIN_YEAR, { error: "yearRange" })
  .max(MAX_YEAR, { error: "yearRange" });

export type AnchorField = "year" | "anchorDate";
type AnchorParse = { ok: true; input: InstantiateInput } | { ok: false; field: AnchorField; error: string };

/** The year (fixed and lunar anchors) or the date (picked anchors) a template is placed on. */
export function parseAnchorInput(template: Template, raw: { year?: string | null; anchorDate?: string | null }): AnchorParse {
  if (template.anchor.kind === "pick") {
    if (!raw.anchorDate) return { ok: false, field: "anchorDate", error: "anchorDateRequired" };
    const date = IsoDateSchema.safeParse(raw.anchorDate);
    return date.success ? { ok: true, input: { anchorDate: date.data } } : { ok: false, field: "anchorDate", error: "invalidDate" };
  }
  const year = YearSchema.safeParse(raw.year ?? "");
  return year.success ? { ok: true, input: { year: year.data } } : { ok: false, field: "year", error: "yearRange" };
}

const INSTANTIATE_ERRORS: Record<TemplateInstantiationError["code"], { field: AnchorField; error: string }> = {
  yearRequired: { field: "year", error: "yearRange" },
  invalidYear: { field: "year", error: "yearRange" },
  yearNotAllowed: { field: "anchorDate", error: "anchorDateRequired" },
  anchorDateRequired: { field: "anchorDate", error: "anchorDateRequired" },
  anchorDateNotAllowed: { field: "year", error: "yearRange" },
  invalidDate: { field: "anchorDate", error: "invalidDate" },
};

/** instantiateTemplate, with its refusal turned into the form field to show it beside. */
export function place(template: Template, input: InstantiateInput): { ok: true; instance: TemplateInstance } | { ok: false; field: AnchorField; error: string } {
  try {
    return { ok: true, instance: instantiateTemplate(template, input) };
  } catch (error) {
    if (error instanceof TemplateInstantiationError) return { ok: false, ...INSTANTIATE_ERRORS[error.code] };
    throw error;
  }
}

export function defaultTitle(template: Template, input: InstantiateInput): string {
  return `${input.year ?? input.anchorDate?.slice(0, 4) ?? ""} ${template.name}`.trim();
}

/** A template's card in the picker. */
export function pickerItem<Origin extends string>({ template, origin }: { template: Template; origin: Origin }) {
  return {
    id: template.id,
    name: template.name,
    campaignType: template.campaignType,
    origin,
    // The card names what the template is for; custom ones without a purpose show their description.
    purpose: template.purpose ?? template.description,
    anchor: anchorSummary(template.anchor),
  };
}
export type PickerItem = ReturnType<typeof pickerItem<string>>;

/** The picked template as the create-plan page shows it: placed where the form says, or why it cannot be. */
export interface TemplateSelection {
  item: PickerItem;
  year: string;
  anchorDate: string;
  anchorError: { field: AnchorField; error: string } | null;
  preview: TemplatePreview | null;
  title: string;
}
