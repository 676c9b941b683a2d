import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { closeRevision, insertRevision, loadSnapshot } from "../../db/queries/approvals";
import { recordAudit } from "../../db/queries/audit";
import { chooseChain, DEFAULT_AUTHORITY_MATRIX, takeSnapshot } from "~/domain/approval";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { freshDbPath } from "../support/db";
import { makeMember } from "../support/factories";

let db: Db;
let revisionId: number;
let auditId: number;

const rowsOf = async (table: "audit_log" | "budget_revisions" | "revision_lines" | "revision_categories" | "approval_steps" | "budget_reopenings") => db.selectFrom(table).selectAll().execute();

beforeAll(async () => {
  db = createDb(freshDbPath());
  await migrateToLatest(db);
  const planner = await makeMember(db, { role: "planner" });
  const planId = await createPlan(db, planner.id, { title: "2027 端午节酒店促销", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" }, BLANK_PLAN);
  const lines = [
    { ...blankRow("budget", "2027-06-01"), id: "line-a", category: "物料", item: "海报", unitPriceFen: 5_000 },
    { ...blankRow("budget", "2027-06-01"), id: "line-b", category: "礼品", item: "粽子", unitPriceFen: 8_000 },
  ];
  const taken = takeSnapshot(lines, 0);
  if (!taken.ok) throw new Error("test budget refused");
  const chain = chooseChain(DEFAULT_AUTHORITY_MATRIX, { spendFen: taken.snapshot.spendFen, byCategory: taken.snapshot.byCategory });
  const revision = await insertRevision(db, { planId, submittedBy: planner.id, submittedAt: 1, chain, snapshot: taken.snapshot, contentHash: "0".repeat(64) });
  await closeRevision(db, revision.id, "approved", 2);
  revisionId = revision.id;
  await db.insertInto("budget_reopenings").values({ plan_id: planId, revision_id: revisionId, reason: "加预算", reopened_by: planner.id, reopened_at: 3 }).execute();
  await recordAudit(db, { actorId: planner.id, action: "plan.archive", targetType: "plan", targetId: planId, detail: {}, at: 4 });
  auditId = (await db.selectFrom("audit_log").select("id").where("action", "=", "plan.archive").executeTakeFirstOrThrow()).id;
});
afterAll(() => db.destroy());

describe("append-only tables refuse REPLACE, IGNORE and UPSERT over an existing row", () => {
  it("keeps an audit entry as written", async () => {
    const before = await rowsOf("audit_log");
    await expect(sql`INSERT OR REPLACE INTO audit_log (id, actor_id, action, target_type, target_id, detail, at) VALUES (${auditId}, NULL, 'plan.nothing', 'plan', 'x', '{}', 0)`.execute(db)).rejects.toThrow("audit_log is append-only");
    await expect(sql`REPLACE INTO audit_log (id, actor_id, action, target_type, target_id, detail, at) VALUES (${auditId}, NULL, 'plan.nothing', 'plan', 'x', '{}', 0)`.execute(db)).rejects.toThrow("audit_log is append-only");
    await expect(sql`INSERT INTO audit_log (id, action, target_type, target_id, at) VALUES (${auditId}, 'plan.nothing', 'plan', 'x', 0) ON CONFLICT (id) DO UPDATE SET action = excluded.action`.execute(db)).rejects.toThrow("audit_log is append-only");
    await expect(sql`INSERT OR IGNORE INTO audit_log (id, action, target_type, target_id, at) VALUES (${auditId}, 'plan.nothing', 'plan', 'x', 0)`.execute(db)).rejects.toThrow("audit_log is append-only");
    expect(await rowsOf("audit_log")).toEqual(before);
    // A new entry is still an ordinary insert.
    await sql`INSERT INTO audit_log (action, target_type, target_id, at) VALUES ('plan.nothing', 'plan', 'x', 5)`.execute(db);
    expect(await rowsOf("audit_log")).toHaveLength(before.length + 1);
  });

  it("keeps an approved revision, its snapshot lines, subtotals, steps and reopening as written", async () => {
    const tables = ["budget_revisions", "revision_lines", "revision_categories", "approval_steps", "budget_reopenings"] as const;
    const before = await Promise.all(tables.map(rowsOf));
    const revision = before[0]![0] as { plan_id: string; number: number; submitted_by: number; chain: string };
    const attempts = [
      sql`INSERT OR REPLACE INTO budget_revisions (id, plan_id, number, status, submitted_by, submitted_at, chain, spend_fen, income_fen, net_fen, content_hash, closed_at)
        VALUES (${revisionId}, ${revision.plan_id}, ${revision.number}, 'approved', ${revision.submitted_by}, 1, ${revision.chain}, 1, 0, 1, ${"f".repeat(64)}, 2)`,
      // A new id with the plan's existing revision number would replace it through the UNIQUE (plan_id, number) key.
      sql`INSERT OR REPLACE INTO budget_revisions (plan_id, number, status, submitted_by, submitted_at, chain, spend_fen, income_fen, net_fen, content_hash, closed_at)
        VALUES (${revision.plan_id}, ${revision.number}, 'approved', ${revision.submitted_by}, 1, ${revision.chain}, 1, 0, 1, ${"f".repeat(64)}, 2)`,
      sql`INSERT OR REPLACE INTO revision_lines (revision_id, line_id, position, category, item, quantity_hundredths, unit, unit_price_fen, amount_fen, income, owner, quarter, note)
        VALUES (${revisionId}, 'line-a', 0, '物料', '海报', 100, '', 1, 1, 0, '', '', '')`,
      sql`INSERT OR REPLACE INTO revision_lines (revision_id, line_id, position, category, item, quantity_hundredths, unit, unit_price_fen, amount_fen, income, owner, quarter, note)
        VALUES (${revisionId}, 'line-new', 1, '物料', '海报', 100, '', 1, 1, 0, '', '', '')`,
      sql`INSERT INTO revision_lines (revision_id, line_id, position, category, item, quantity_hundredths, unit, unit_price_fen, amount_fen, income, owner, quarter, note)
        VALUES (${revisionId}, 'line-a', 0, '物料', '海报', 100, '', 1, 1, 0, '', '', '') ON CONFLICT DO UPDATE SET amount_fen = 1`,
      sql`INSERT OR IGNORE INTO revision_lines (revision_id, line_id, position, category, item, quantity_hundredths, unit, unit_price_fen, amount_fen, income, owner, quarter, note)
        VALUES (${revisionId}, 'line-a', 0, '物料', '海报', 100, '', 1, 1, 0, '', '', '')`,
      sql`INSERT OR REPLACE INTO revision_categories (revision_id, position, category, spend_fen, income_fen, net_fen) VALUES (${revisionId}, 0, '物料', 1, 0, 1)`,
      sql`INSERT OR REPLACE INTO approval_steps (revision_id, step_index, kind, title, decision, decided_by, decided_at, comment) VALUES (${revisionId}, 0, 'review', 'gm', NULL, NULL, NULL, '')`,
      sql`INSERT OR REPLACE INTO budget_reopenings (id, plan_id, revision_id, reason, reopened_by, reopened_at) SELECT id, plan_id, revision_id, '改写', reopened_by, 0 FROM budget_reopenings`,
    ];
    for (const attempt of attempts) await expect(attempt.execute(db)).rejects.toThrow(/cannot be changed|never replaced|a reopening/);
    expect(await Promise.all(tables.map(rowsOf))).toEqual(before);
    const snapshot = await loadSnapshot(db, (await db.selectFrom("budget_revisions").selectAll().where("id", "=", revisionId).executeTakeFirstOrThrow()));
    expect(snapshot.lines.map((line) => [line.id, line.amountFen])).toEqual([
      ["line-a", 5_000],
      ["line-b", 8_000],
    ]);
  });
});
