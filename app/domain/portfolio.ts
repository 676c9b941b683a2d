import { z } from "zod";
import { addDays } from "./calendar";
import { CAMPAIGN_TYPES, IsoDateSchema, PLAN_DISPLAY_STATUSES, type CampaignType, type PlanDisplayStatus } from "./plan";

/**
 * Which plans finance's portfolio (活动组合) covers: every plan whose dates overlap the
 * period, narrowed by campaign type, store and status. Archived plans are left out unless
 * asked for: they are the ones nobody is still accounting for.
 */
export interface PortfolioFilter {
  from: string;
  to: string;
  campaignType: CampaignType | null;
  /** Part of the store/branch name, or "" for every store. */
  store: string;
  /** As members see it (草稿 / 退回修改 / 已驳回 apart). */
  status: PlanDisplayStatus | null;
  includeArchived: boolean;
}

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (value === "" || value === undefined ? null : value), z.enum(values).nullable());

/** The filter form's fields (also the export's query string). Messages are translation keys (errors.*). */
export const PortfolioFilterSchema = z
  .object({
    from: IsoDateSchema,
    to: IsoDateSchema,
    type: optionalEnum(CAMPAIGN_TYPES),
    store: z.string().trim().max(60, { error: "storeLength" }).default(""),
    status: optionalEnum(PLAN_DISPLAY_STATUSES),
    archived: z.preprocess((value) => value === "1" || value === "on", z.boolean()),
  })
  .refine((f) => f.from <= f.to, { path: ["to"], error: "endBeforeStart" })
  .transform(
    (f): PortfolioFilter => ({
      from: f.from,
      to: f.to,
      campaignType: f.type,
      store: f.store,
      status: f.status,
      includeArchived: f.archived || f.status === "archived",
    }),
  );

/** Whole months before and after today's month that finance sees first. */
const DEFAULT_MONTHS_BACK = 1;
const DEFAULT_MONTHS_AHEAD = 12;

/**
 * The period finance looks at first (today: YYYY-MM-DD): from the first day of last month
 * to the last day of the month a year ahead. The plans that need finance are the ones
 * awaiting approval or about to run (ahead) and the ones just run whose actual spend is
 * still being recorded (last month); a calendar year hid December's plans in January.
 */
export function defaultPeriod(today: string): { from: string; to: string } {
  const month = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1;
  const first = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
  return { from: first(month - DEFAULT_MONTHS_BACK), to: addDays(first(month + DEFAULT_MONTHS_AHEAD + 1), -1) };
}

/** A plan running from `startDate` to `endDate` (inclusive) touches the period at all. */
export function overlapsPeriod(plan: { startDate: string; endDate: string }, period: { from: string; to: string }): boolean {
  return plan.startDate <= period.to && plan.endDate >= period.from;
}

/** The filter as form fields, only those that narrow it: round-trips through PortfolioFilterSchema. */
export function portfolioSearchParams(filter: PortfolioFilter): URLSearchParams {
  const params = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.campaignType) params.set("type", filter.campaignType);
  if (filter.store) params.set("store", filter.store);
  if (filter.status) params.set("status", filter.status);
  if (filter.includeArchived && filter.status !== "archived") params.set("archived", "1");
  return params;
}
