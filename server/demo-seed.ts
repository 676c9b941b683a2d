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
