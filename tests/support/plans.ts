import type { Db } from "../../db/client";
import { upsertPlanMember } from "../../db/queries/plans";
import { createPlan } from "~/services/plans.server";
import type { PlanAccess } from "~/domain/plan";

export async function makePlan(db: Db, ownerId: number, title = "2027 端午节酒店促销"): Promise<string> {
  return createPlan(db, ownerId, { title, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" });
}

export async function addToPlan(db: Db, planId: string, userId: number, access: PlanAccess, addedBy: number): Promise<void> {
  await upsertPlanMember(db, { planId, userId, access, addedBy, now: Date.now() });
}
