import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { upsertPlanMember } from "../db/queries/plans";
import { insertUser } from "../db/queries/users";
import { hashPassword } from "~/services/auth/password.server";
import { startSession } from "~/services/auth/session.server";
import { STANDARD_CATEGORIES } from "~/domain/budget";
import type { BudgetLine } from "~/domain/plan-document";
import type { SectionSeed } from "~/domain/plan-document";
import { createPlan, BLANK_PLAN_SECTIONS, type PlanContent } from "~/services/plans.server";
import type { Role } from "~/domain/roles";

/**
 * Data for load tests and benchmarks, created through the same domain functions the app
 * uses (real members with real sessions, plans created and projected like any other).
 */

export interface LoadMember {
  id: number;
  username: string;
  /** `name=value`, ready for a Cookie header. */
  cookie: string;
}

export async function createLoadMembers(db: Db, count: number, options: { role?: Role; prefix?: string } = {}): Promise<LoadMember[]> {
  const run = options.prefix ?? `load-${randomBytes(3).toString("hex")}`;
  const now = Date.now();
  const passwordHash = await hashPassword(randomBytes(12).toString("base64url"));
  const members: LoadMember[] = [];
  for (let i = 0; i < count; i++) {
    const username = `${run}-${i}`;
    const id = await insertUser(db, { username, name: `压测成员${i + 1}`, passwordHash, role: options.role ?? "planner", title: null, now });
    const setCookie = await startSession(db, { userId: id, ip: null, userAgent: "bench", secure: false, now });
    members.push({ id, username, cookie: setCookie.split(";")[0]! });
  }
  return members;
}

const ITEMS = ["易拉宝", "DM 单页", "吊旗", "现场布置", "主持人", "音响租赁", "礼品采购", "短信推送", "朋友圈广告", "抖音投放", "车贴", "场地租金"];
const UNITS = ["个", "张", "套", "场", "人", "条", "㎡"];

/** `count` varied budget lines (categories, 待定 prices, income lines), the same for the same count. */
export function budgetLines(count: number): Omit<BudgetLine, "id">[] {
  return Array.from({ length: count }, (_, i) => ({
    category: STANDARD_CATEGORIES[i % STANDARD_CATEGORIES.length]!,
    item: `${ITEMS[i % ITEMS.length]}（第 ${i + 1} 项）`,
    quantityHundredths: ((i % 50) + 1) * 100 + (i % 4) * 25,
    unit: UNITS[i % UNITS.length]!,
    unitPriceFen: i % 97 === 0 ? null : ((i * 7919) % 500_000) + 100,
    income: i % 41 === 0,
    owner: `策划${(i % 9) + 1}`,
    quarter: (["", "Q1", "Q2", "Q3", "Q4"] as const)[i % 5]!,
    note: i % 3 === 0 ? "按上年实际执行价格估算，含税" : "",
  }));
}

/** Chinese paragraphs adding up to about `bytes` bytes of UTF-8 (3 bytes a character). */
export function paragraphs(bytes: number): string[] {
  const sentence = "活动期间门店同步开展会员积分翻倍、满额赠礼与社群秒杀，线上线下联动引流，确保客流与销售双增长。";
  const perParagraph = sentence.repeat(4);
  const paragraphBytes = Buffer.byteLength(perParagraph);
  return Array.from({ length: Math.max(0, Math.ceil(bytes / paragraphBytes)) }, (_, i) => `${i + 1}. ${perParagraph}`);
}

export interface BenchPlanOptions {
  title: string;
  budgetLines?: number;
  /** Bytes of rich text in the 活动内容 section. */
  textBytes?: number;
}

/** The blank plan's sections and blocks, with `budgetLines` lines and `textBytes` of text. */
export function benchPlanContent(options: BenchPlanOptions): PlanContent {
  const sections: SectionSeed[] = BLANK_PLAN_SECTIONS.map((section) =>
    section.heading === "活动内容" ? { ...section, paragraphs: paragraphs(options.textBytes ?? 2_000) } : section,
  );
  return { templateId: null, anchor: "", sections, blocks: { timeline: [], roles: [], kpis: [], budget: budgetLines(options.budgetLines ?? 20) } };
}

/** Creates a 双十一 plan owned by `ownerId`; `editors` get edit access. */
export async function createBenchPlan(db: Db, ownerId: number, editors: readonly LoadMember[], options: BenchPlanOptions): Promise<string> {
  const planId = await createPlan(
    db,
    ownerId,
    { title: options.title, campaignType: "double11", startDate: "2027-11-01", endDate: "2027-11-11", store: "" },
    benchPlanContent(options),
  );
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    for (const member of editors) {
      if (member.id !== ownerId) await upsertPlanMember(trx, { planId, userId: member.id, access: "edit", addedBy: ownerId, now });
    }
  });
  return planId;
}
