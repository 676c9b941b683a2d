import { randomBytes } from "node:crypto";
import type { Db } from "../../db/client";
import { recordAudit } from "../../db/queries/audit";
import { writeSnapshot } from "../../db/queries/documents";
import { closeRevision, findPendingRevision } from "../../db/queries/approvals";
import { archivePlanRow, findPlanAccess, findPlanById, insertPlan, removePlanMember, upsertPlanMember } from "../../db/queries/plans";
import { projectedPlanColumns, replacePlanProjection } from "../../db/queries/projection";
import { findUserById } from "../../db/queries/users";
import type { Plan } from "../../db/schema";
import type { Auth } from "./context";
import { can, planAbilitiesOf, type Action, type PlanAbilities, type PlanTarget } from "~/domain/policy";
import { PlanIdSchema, type NewPlan, type PlanAccess } from "~/domain/plan";
import { buildDocument, seedPlanDoc, type SectionSeed } from "~/domain/plan-document";
import { EMPTY_BLOCKS, seedBlocks, type BlockSeed } from "~/domain/plan-document";
import { projectPlanDoc } from "~/domain/projection";
import { notifyAddedToPlan } from "./notification-producers.server";
import { publishNotifications } from "./notifications.server";

/** Sections a blank plan starts with, as Chinese planners write a 方案. */
export const BLANK_PLAN_SECTIONS: readonly SectionSeed[] = [
  { heading: "活动背景", kind: "richText" },
  { heading: "活动目的", kind: "richText" },
  { heading: "活动主题", kind: "richText" },
  { heading: "时间地点", kind: "richText" },
  { heading: "活动内容", kind: "richText" },
  { heading: "宣传推广", kind: "richText" },
  { heading: "执行时间表", kind: "timeline" },
  { heading: "人员分工", kind: "roles" },
  { heading: "经费预算", kind: "budget" },
  { heading: "效果预估", kind: "kpis" },
  { heading: "应急预案", kind: "richText" },
];

function newPlanId(): string {
  return randomBytes(12).toString("base64url");
}

/** What a new plan's document starts with: a template's instance, or the blank plan's sections. */
export interface PlanContent {
  templateId: string | null;
  /** 活动基准日, or "" for a blank plan. */
  anchor: string;
  sections: readonly SectionSeed[];
  blocks: BlockSeed;
}

export const BLANK_PLAN: PlanContent = { templateId: null, anchor: "", sections: BLANK_PLAN_SECTIONS, blocks: EMPTY_BLOCKS };

/** Creates the plan row and seeds its document in one transaction: clients never seed. */
export async function createPlan(db: Db, ownerId: number, input: NewPlan, content: PlanContent = BLANK_PLAN, now = Date.now()): Promise<string> {
  const id = newPlanId();
  const { state, result: projection } = buildDocument((doc) => {
    seedPlanDoc(
      doc,
      {
        title: input.title,
        templateId: content.templateId,
        campaignType: input.campaignType,
        startDate: input.startDate,
        endDate: input.endDate,
        store: input.store,
        anchor: content.anchor,
        currency: "CNY",
      },
      content.sections,
    );
    seedBlocks(doc, content.blocks);
    return projectPlanDoc(doc);
  });
  await db.transaction().execute(async (trx) => {
    await insertPlan(trx, {
      id,
      title: input.title,
      campaign_type: input.campaignType,
      store: input.store,
      start_date: input.startDate,
      end_date: input.endDate,
      status: "draft",
      budget_locked: 0,
      template_id: content.templateId,
      owner_id: ownerId,
      created_at: now,
      updated_at: now,
      ...projectedPlanColumns(projection, now),
    });
    await replacePlanProjection(trx, id, projection, now);
    await writeSnapshot(trx, id, state, 0, now);
    await recordAudit(trx, { actorId: ownerId, action: "plan.create", targetType: "plan", targetId: id, detail: { title: input.title, templateId: content.templateId, anchor: content.anchor }, at: now });
  });
  return id;
}

export interface PlanForActor {
  plan: Plan;
  target: PlanTarget;
  abilities: PlanAbilities;
}

/**
 * `noAccess` keeps the 404 status every client already expects, but lets the page offer 申请访问
 * (issue 18): the member followed a link someone sent them, so the plan's existence is not a
 * secret worth a dead end. Its title still is: nothing about the plan goes with the refusal.
 */
export type PlanRefusal = { ok: false; status: 404 | 403; code: "notFound" | "noAccess" | "forbidden" };

/** A plan the member may act on, or why not: not found, no access (may not read it), or forbidden (may read, not do this). */
export async function findPlanForActor(db: Db, auth: Auth, rawId: string | undefined, action: Action): Promise<({ ok: true } & PlanForActor) | PlanRefusal> {
  const id = PlanIdSchema.safeParse(rawId);
  const plan = id.success ? await findPlanById(db, id.data) : undefined;
  if (!plan) return { ok: false, status: 404, code: "notFound" };
  const target: PlanTarget = {
    kind: "plan",
    ownerId: plan.owner_id,
    status: plan.status,
    access: await findPlanAccess(db, plan.id, auth.user.id),
    viewersMayComment: plan.viewers_may_comment === 1,
  };
  if (!can(auth.actor, "plan:read", target)) return { ok: false, status: 404, code: "noAccess" };
  if (!can(auth.actor, action, target)) return { ok: false, status: 403, code: "forbidden" };
  return { ok: true, plan, target, abilities: planAbilitiesOf(auth.actor, target) };
}

/**
 * Archives a plan. A plan in review has its pending revision withdrawn in the same
 * transaction, rather than archiving being refused: whoever archives has decided the
 * campaign will not run, and making them first find the submitter to withdraw would only
 * leave approvers deciding a budget nobody will spend. The withdrawal is audited as such,
 * the revision leaves every inbox, and a decision arriving later is refused. False when
 * the plan was archived already (by someone else, a moment ago).
 */
export async function archivePlan(db: Db, actorId: number, plan: Plan, now = Date.now()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Read inside the transaction: an approval may have moved the plan on since `plan` was loaded.
    const current = await findPlanById(trx, plan.id);
    if (!current || !(await archivePlanRow(trx, plan.id, now))) return false;
    const pending = await findPendingRevision(trx, plan.id);
    if (pending && (await closeRevision(trx, pending.id, "withdrawn", now))) {
      await recordAudit(trx, { actorId, action: "approval.withdraw", targetType: "plan", targetId: plan.id, detail: { revision: pending.number, reason: "archived" }, at: now });
    }
    await recordAudit(trx, { actorId, action: "plan.archive", targetType: "plan", targetId: plan.id, detail: { from: current.status }, at: now });
    return true;
  });
}

export type MemberChangeError = "unknownMember" | "ownerIsMember" | "viewerCannotEdit";

export async function setPlanMember(
  db: Db,
  actorId: number,
  plan: Plan,
  userId: number,
  access: PlanAccess,
  now = Date.now(),
): Promise<MemberChangeError | null> {
  const user = await findUserById(db, userId);
  if (!user || user.active !== 1) return "unknownMember";
  if (user.id === plan.owner_id) return "ownerIsMember";
  // The viewer role never edits; giving them edit access would promise something the policy refuses.
  if (user.role === "viewer" && access === "edit") return "viewerCannotEdit";
  const notified = await db.transaction().execute(async (trx) => {
    await upsertPlanMember(trx, { planId: plan.id, userId, access, addedBy: actorId, now });
    await recordAudit(trx, { actorId, action: "plan.member.set", targetType: "plan", targetId: plan.id, detail: { userId, access }, at: now });
    return notifyAddedToPlan(trx, { planId: plan.id, userId, access, actorId, at: now });
  });
  publishNotifications(notified);
  return null;
}

export async function unsetPlanMember(db: Db, actorId: number, plan: Plan, userId: number, now = Date.now()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await removePlanMember(trx, plan.id, userId);
    if (removed) await recordAudit(trx, { actorId, action: "plan.member.remove", targetType: "plan", targetId: plan.id, detail: { userId }, at: now });
    return removed;
  });
}
