import { z } from "zod";
import { cleanDisplayName, displayNameSchema } from "./display-name";

export const CAMPAIGN_TYPES = ["holiday", "double11", "opening", "membership", "bankVip"] as const;
export const CampaignTypeSchema = z.enum(CAMPAIGN_TYPES);
export type CampaignType = z.infer<typeof CampaignTypeSchema>;

export const PLAN_STATUSES = ["draft", "inReview", "approved", "running", "finished", "archived"] as const;
export const PlanStatusSchema = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof PlanStatusSchema>;

/** How a review ended without approval: 驳回 (the revision is closed for good) or 退回修改 (rework and resubmit). */
export const REVIEW_OUTCOMES = ["rejected", "changesRequested"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/**
 * The status members see: a draft that came back from review says how it came back, until
 * it is submitted again. Stored status stays `draft` so editing and submitting work as before.
 */
export type PlanDisplayStatus = PlanStatus | ReviewOutcome;
export const PLAN_DISPLAY_STATUSES = ["draft", "changesRequested", "rejected", "inReview", "approved", "running", "finished", "archived"] as const satisfies readonly PlanDisplayStatus[];

export function isPlanDisplayStatus(value: string): value is PlanDisplayStatus {
  return (PLAN_DISPLAY_STATUSES as readonly string[]).includes(value);
}

export function displayStatus(plan: { status: PlanStatus; review_outcome: ReviewOutcome | null }): PlanDisplayStatus {
  return plan.status === "draft" && plan.review_outcome !== null ? plan.review_outcome : plan.status;
}

export const PLAN_ACCESS = ["edit", "view"] as const;
export const PlanAccessSchema = z.enum(PLAN_ACCESS);
export type PlanAccess = z.infer<typeof PlanAccessSchema>;

/** A calendar date as planners write it, YYYY-MM-DD, checked to exist (no 2027-02-30). */
export const IsoDateSchema = z.string().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}, { error: "invalidDate" });

// Messages are translation keys (errors.*).
export const NewPlanSchema = z
  .object({
    title: displayNameSchema({ max: 80, length: "titleLength", invisible: "titleInvisible" }),
    campaignType: z.enum(CAMPAIGN_TYPES, { error: "invalidCampaignType" }),
    startDate: IsoDateSchema,
    endDate: IsoDateSchema,
    store: z.string().transform(cleanDisplayName).pipe(z.string().max(60, { error: "storeLength" })).default(""),
  })
  .refine((plan) => plan.startDate <= plan.endDate, { path: ["endDate"], error: "endBeforeStart" });
export type NewPlan = z.infer<typeof NewPlanSchema>;

/** Short, URL-safe, unguessable plan ids; also the collaboration room name. */
export const PlanIdSchema = z.string().regex(/^[A-Za-z0-9_-]{10,32}$/);
