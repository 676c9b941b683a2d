import { sql } from "kysely";
import type { Db } from "../db/client";
import { hashPassword } from "~/services/auth/password.server";
import { countUsers, insertUser } from "../db/queries/users";
import { getSetting } from "../db/queries/settings";
import type { ApproverTitle, Role } from "~/domain/roles";
import { blocksFromInstance } from "~/domain/plan-document";
import { instantiateTemplate, type InstantiateInput } from "~/domain/template";
import { createPlan } from "~/services/plans.server";
import { findBuiltInTemplate } from "../templates/index";
import { upsertPlanMember } from "../db/queries/plans";
import { findUserByUsername } from "../db/queries/users";
import { findPlanById } from "../db/queries/plans";
import { blankRow } from "~/domain/plan-document";
import type { Decision } from "~/domain/approval";
import { BLANK_PLAN } from "~/services/plans.server";
import { decideStep, submitBudget, type ApprovalContext } from "~/services/approvals.server";

/** Listed in the README; for the demo workspace only. */
export const DEMO_PASSWORD = "demo-2026";

export const DEMO_MEMBERS: ReadonlyArray<{ username: string; name: string; role: Role; title: ApproverTitle | null }> = [
  { username: "admin", name: "王磊", role: "admin", title: null },
  { username: "planner", name: "李娜", role: "planner", title: null },
  { username: "planner2", name: "陈晨", role: "planner", title: null },
  { username: "finance", name: "赵敏", role: "finance", title: "finance" },
  { username: "deputy", name: "孙强", role: "manager", title: "deputyGm" },
  { username: "manager", name: "周杰", role: "manager", title: "gm" },
  { username: "chairman", name: "吴刚", role: "manager", title: "chairman" },
  { username: "viewer", name: "郑洁", role: "viewer", title: null },
];

/**
 * Seeds the demo workspace into an empty database, once. A marker setting remembers it
 * was done, so members the admin later removes or renames are not brought back.
 */
export async function seedDemo(db: Db, now = Date.now()): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db.transaction().execute(async (trx) => {
    if ((await getSetting(trx, "demoSeededAt")) !== undefined) return false;
    if ((await countUsers(trx)) > 0) return false;
    for (const member of DEMO_MEMBERS) {
      await insertUser(trx, { ...member, passwordHash, now });
    }
    await trx.insertInto("app_settings").values({ key: "demoSeededAt", value: String(now) }).execute();
    return true;
  });
  if (seeded) await seedDemoPlans(db, now);
  return seeded;
}

/** Plans from the built-in templates, so a fresh workspace shows what the product does. */
const DEMO_PLANS: ReadonlyArray<{ templateId: string; input: InstantiateInput; title: string; store: string; owner: string; editor: string }> = [
  { templateId: "mid-autumn-client-gala", input: { year: 2027 }, title: "2027 中秋客户答谢晚会", store: "滨江壹号营销中心", owner: "planner", editor: "planner2" },
  { templateId: "supermarket-grand-opening", input: { anchorDate: "2027-04-28" }, title: "2027 城东店开业促销", store: "城东店", owner: "planner2", editor: "planner" },
  { templateId: "bank-vip-holiday-marketing", input: { year: 2027 }, title: "2027 VIP客户节日营销", store: "浦东支行", owner: "planner", editor: "planner2" },
];

async function seedDemoPlans(db: Db, now: number): Promise<void> {
  for (const plan of DEMO_PLANS) {
    const template = findBuiltInTemplate(plan.templateId);
    const owner = await findUserByUsername(db, plan.owner);
    const editor = await findUserByUsername(db, plan.editor);
    if (!template || !owner || !editor) continue;
    const instance = instantiateTemplate(template, plan.input);
    const id = await createPlan(
      db,
      owner.id,
      { title: plan.title, campaignType: instance.campaignType, startDate: instance.startDate, endDate: instance.endDate, store: plan.store },
      { templateId: template.id, anchor: instance.anchor, sections: instance.sections, blocks: blocksFromInstance(instance) },
      now,
    );
    await upsertPlanMember(db, { planId: id, userId: editor.id, access: "edit", addedBy: owner.id, now });
  }
}

const HOUR_MS = 3_600_000;

/**
 * Plans with an approval history, so the approval center's tabs mean something for 赵敏
 * (finance), 孙强 (deputy), 周杰 (GM) and 吴刚 (chairman): one waiting at finance and past
 * due, one waiting at the GM, one at the chairman, one approved through the chain, one
 * returned for changes. Built through the real workflow, so revisions, steps, audit entries,
 * versions and notifications are exactly what members would have produced; times are in
 * the past so the due dates read naturally. `viewers`: members added to the plan to read it.
 */
const DEMO_APPROVALS: ReadonlyArray<{
  title: string;
  store: string;
  owner: string;
  startDate: string;
  endDate: string;
  lines: ReadonlyArray<{ category: string; item: string; quantity: number; unit: string; unitPriceYuan: number }>;
  submittedHoursAgo: number;
  decisions: ReadonlyArray<{ by: string; hoursAgo: number; decision: Decision; comment?: string }>;
  viewers: readonly string[];
}> = [
  {
    title: "2027 端午门店促销",
    store: "南京西路店",
    owner: "planner",
    startDate: "2027-06-05",
    endDate: "2027-06-12",
    lines: [
      { category: "宣传物料", item: "门店海报", quantity: 200, unit: "张", unitPriceYuan: 15 },
      { category: "促销礼品", item: "粽子礼盒", quantity: 300, unit: "盒", unitPriceYuan: 68 },
    ],
    submittedHoursAgo: 30,
    decisions: [],
    viewers: ["chairman"],
  },
  {
    title: "2027 国庆会员日",
    store: "城东店",
    owner: "planner2",
    startDate: "2027-10-01",
    endDate: "2027-10-07",
    lines: [
      { category: "场地布置", item: "主舞台搭建", quantity: 1, unit: "项", unitPriceYuan: 60_000 },
      { category: "会员礼品", item: "会员伴手礼", quantity: 500, unit: "份", unitPriceYuan: 120 },
    ],
    submittedHoursAgo: 50,
    decisions: [{ by: "finance", hoursAgo: 20, decision: "approve" }],
    viewers: [],
  },
  {
    title: "2027 品牌周年庆典",
    store: "滨江壹号营销中心",
    owner: "planner",
    startDate: "2027-09-18",
    endDate: "2027-09-20",
    lines: [
      { category: "场地布置", item: "庆典场地与舞美", quantity: 1, unit: "项", unitPriceYuan: 420_000 },
      { category: "演出嘉宾", item: "乐队演出", quantity: 1, unit: "场", unitPriceYuan: 180_000 },
    ],
    submittedHoursAgo: 6,
    decisions: [{ by: "finance", hoursAgo: 2, decision: "approve" }],
    viewers: ["manager"],
  },
  {
    title: "2027 春节年货节",
    store: "浦东支行",
    owner: "planner2",
    startDate: "2027-01-25",
    endDate: "2027-02-08",
    lines: [
      { category: "宣传物料", item: "春联福字", quantity: 1000, unit: "套", unitPriceYuan: 8 },
      { category: "促销礼品", item: "年货礼包", quantity: 100, unit: "份", unitPriceYuan: 150 },
    ],
    submittedHoursAgo: 120,
    decisions: [
      { by: "finance", hoursAgo: 110, decision: "approve" },
      { by: "deputy", hoursAgo: 96, decision: "approve" },
      { by: "manager", hoursAgo: 80, decision: "approve" },
    ],
    viewers: ["chairman"],
  },
  {
    title: "2027 七夕主题营销",
    store: "南京西路店",
    owner: "planner",
    startDate: "2027-08-10",
    endDate: "2027-08-14",
    lines: [
      { category: "宣传物料", item: "七夕主题布置", quantity: 1, unit: "项", unitPriceYuan: 12_000 },
      { category: "促销礼品", item: "情侣礼盒", quantity: 200, unit: "盒", unitPriceYuan: 99 },
    ],
    submittedHoursAgo: 72,
    decisions: [
      { by: "finance", hoursAgo: 60, decision: "approve" },
      { by: "deputy", hoursAgo: 40, decision: "requestChanges", comment: "礼盒单价偏高，请再比价一轮后重新提交。" },
    ],
    viewers: ["manager"],
  },
];

/** After the demo members and plans: needs the collaboration server, which submissions snapshot through. */
export async function seedDemoApprovals(ctx: ApprovalContext, now = Date.now()): Promise<void> {
  for (const demo of DEMO_APPROVALS) {
    const owner = await findUserByUsername(ctx.db, demo.owner);
    if (!owner) continue;
    const budget = demo.lines.map((line) => ({
      ...blankRow("budget", demo.startDate),
      category: line.category,
      item: line.item,
      quantityHundredths: line.quantity * 100,
      unit: line.unit,
      unitPriceFen: line.unitPriceYuan * 100,
    }));
    const id = await createPlan(
      ctx.db,
      owner.id,
      { title: demo.title, campaignType: "holiday", startDate: demo.startDate, endDate: demo.endDate, store: demo.store },
      { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget } },
      now,
    );
    for (const username of demo.viewers) {
      const viewer = await findUserByUsername(ctx.db, username);
      if (viewer) await upsertPlanMember(ctx.db, { planId: id, userId: viewer.id, access: "view", addedBy: owner.id, now });
    }
    const plan = await findPlanById(ctx.db, id);
    if (!plan) continue;
    const auth = { sessionIdHash: "demo-seed", user: owner, actor: { id: owner.id, role: owner.role, title: owner.title, active: true } };
    const submitted = await submitBudget(ctx, auth, plan, now - demo.submittedHoursAgo * HOUR_MS);
    if (!submitted.ok) throw new Error(`demo approval "${demo.title}" could not be submitted: ${submitted.code}`);
    let stepIndex = 0;
    for (const step of demo.decisions) {
      const decider = await findUserByUsername(ctx.db, step.by);
      if (!decider) break;
      const decided = await decideStep(ctx, decider.id, { revisionId: submitted.revision.id, stepIndex, decision: step.decision, comment: step.comment ?? "" }, now - step.hoursAgo * HOUR_MS);
      if (!decided.ok) throw new Error(`demo approval "${demo.title}" step ${stepIndex}: ${decided.code}`);
      stepIndex += 1;
    }
  }
  // The demo's past: an approver has long since seen the turn they already took; what still waits stays unread.
  await ctx.db
    .updateTable("notifications")
    .set({ read_at: now })
    .where("kind", "=", "approvalTurn")
    .where("read_at", "is", null)
    .where(sql<boolean>`EXISTS (SELECT 1 FROM approval_steps s WHERE s.decision IS NOT NULL AND 'approvalTurn:' || s.revision_id || ':' || s.step_index = notifications.dedupe_key)`)
    .execute();
}
