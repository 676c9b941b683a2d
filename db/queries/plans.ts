import { sql, type Insertable } from "kysely";
import type { CampaignType, PlanAccess, PlanDisplayStatus, PlanStatus } from "~/domain/plan";
import type { Plan, PlansTable } from "../schema";
import { whereDisplayStatus } from "./review-outcome";
import type { DbOrTx } from "./users";

export async function insertPlan(db: DbOrTx, plan: Insertable<PlansTable>): Promise<void> {
  await db.insertInto("plans").values(plan).execute();
}

export function findPlanById(db: DbOrTx, id: string): Promise<Plan | undefined> {
  return db.selectFrom("plans").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findPlanAccess(db: DbOrTx, planId: string, userId: number): Promise<PlanAccess | null> {
  const row = await db
    .selectFrom("plan_members")
    .select("access")
    .where("plan_id", "=", planId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.access ?? null;
}

export interface PlanListFilter {
  /** Member id whose plans to list; `null` lists every plan (roles that read all plans). */
  visibleTo: number | null;
  scope: "all" | "mine" | "shared";
  userId: number;
  search?: string;
  /** As members see it: 草稿 leaves out the plans that came back 驳回 / 退回修改. */
  status?: PlanDisplayStatus;
  campaignType?: CampaignType;
}

export type PlanListRow = Plan & { owner_name: string; my_access: PlanAccess | null };

export async function listPlans(db: DbOrTx, filter: PlanListFilter): Promise<PlanListRow[]> {
  let query = db
    .selectFrom("plans")
    .innerJoin("users as owner", "owner.id", "plans.owner_id")
    .leftJoin("plan_members as mine", (join) => join.onRef("mine.plan_id", "=", "plans.id").on("mine.user_id", "=", filter.userId))
    .selectAll("plans")
    .select(["owner.name as owner_name", "mine.access as my_access"]);
  if (filter.visibleTo !== null) {
    const me = filter.visibleTo;
    query = query.where((eb) => eb.or([eb("plans.owner_id", "=", me), eb("mine.user_id", "is not", null)]));
  }
  if (filter.scope === "mine") query = query.where("plans.owner_id", "=", filter.userId);
  if (filter.scope === "shared") query = query.where("plans.owner_id", "!=", filter.userId).where("mine.user_id", "is not", null);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`plans.title LIKE ${pattern} ESCAPE '\\'`);
  }
  if (filter.status) query = query.where(whereDisplayStatus(filter.status));
  if (filter.campaignType) query = query.where("plans.campaign_type", "=", filter.campaignType);
  return query.orderBy("plans.start_date", "desc").orderBy("plans.created_at", "desc").limit(500).execute();
}

export async function setPlanStatus(db: DbOrTx, id: string, status: PlanStatus, now: number): Promise<void> {
  await db.updateTable("plans").set({ status, updated_at: now }).where("id", "=", id).execute();
}

/**
 * Archives the plan unless it already is; false when it was. A budget locked for review is
 * released with it (the review ends with the archive); an approved budget stays locked.
 */
export async function archivePlanRow(db: DbOrTx, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("plans")
    .set((eb) => ({
      status: "archived",
      budget_locked: eb.case().when("status", "=", "inReview").then(0).else(eb.ref("budget_locked")).end(),
      updated_at: now,
    }))
    .where("id", "=", id)
    .where("status", "!=", "archived")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function upsertPlanMember(
  db: DbOrTx,
  member: { planId: string; userId: number; access: PlanAccess; addedBy: number; now: number },
): Promise<void> {
  await db
    .insertInto("plan_members")
    .values({ plan_id: member.planId, user_id: member.userId, access: member.access, added_by: member.addedBy, added_at: member.now })
    .onConflict((oc) => oc.columns(["plan_id", "user_id"]).doUpdateSet({ access: member.access }))
    .execute();
}

export async function removePlanMember(db: DbOrTx, planId: string, userId: number): Promise<boolean> {
  const result = await db.deleteFrom("plan_members").where("plan_id", "=", planId).where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function listPlanMembers(db: DbOrTx, planId: string) {
  return db
    .selectFrom("plan_members")
    .innerJoin("users", "users.id", "plan_members.user_id")
    .select(["users.id", "users.name", "users.username", "users.role", "users.active", "plan_members.access"])
    .where("plan_members.plan_id", "=", planId)
    .orderBy("plan_members.added_at")
    .execute();
}
