// Over 400 lines: the approval workflow end to end against one started server, from submission to reopen.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findRevision, listSteps, loadSnapshot } from "../../db/queries/approvals";
import { findPlanById } from "../../db/queries/plans";
import { listBudgetLines } from "../../db/queries/projection";
import type { BudgetRevision } from "../../db/schema";
import type { PlanSession } from "~/collab/plan-session";
import { revisionReview } from "~/services/approval-views.server";
import { decideStep } from "~/services/approvals.server";
import { canonicalSnapshot, type Decision } from "~/domain/approval";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { blankRow, insertRow, parsePriceCell, parseQuantityCell, readBlock, totalsOf, updateRow, type BudgetLine } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

type Line = Omit<BudgetLine, "id">;

/** A budget line as a planner types it into the cells. */
function typed(category: string, item: string, quantity: string, unit: string, price: string, income = false): Line {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value, income };
}

/** ¥120,000 of spend (finance → gm → chairman) and ¥5,000 of income. */
const GALA_BUDGET: Line[] = [
  typed("活动物料", "舞台搭建", "1", "项", "80,000"),
  typed("宣传推广", "宣传单页", "40,000", "张", "1"),
  typed("收入", "商户赞助", "1", "项", "5,000", true),
];

let server: TestServer;
const sessions: PlanSession[] = [];

const as = signedInClients(() => server.url);

async function planWithBudget(ownerId: number, budget: readonly Line[], title = "2027 中秋客户答谢晚会"): Promise<string> {
  return createPlan(
    server.db,
    ownerId,
    { title, campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...budget] } },
  );
}

async function submit(member: MadeMember, planId: string): Promise<Response> {
  return (await as(member)).post(`/plans/${planId}/approval`, { intent: "submit" });
}

async function submitted(member: MadeMember, planId: string): Promise<BudgetRevision> {
  const response = await submit(member, planId);
  expect(response.status).toBe(200);
  const revision = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).where("status", "=", "pending").executeTakeFirst();
  if (!revision) throw new Error("no pending revision after submitting");
  return revision;
}

async function decide(member: MadeMember, revisionId: number, stepIndex: number, decision: Decision = "approve", comment = ""): Promise<Response> {
  return (await as(member)).post(`/approvals/${revisionId}`, { stepIndex: String(stepIndex), decision, comment });
}

async function decisions(revisionId: number): Promise<Array<[Decision | null, number | null]>> {
  return (await listSteps(server.db, revisionId)).map((s) => [s.decision, s.decided_by]);
}

async function auditCount(action: string, planId: string): Promise<number> {
  const row = await server.db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("action", "=", action)
    .where("target_id", "=", planId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function planState(planId: string) {
  const plan = await findPlanById(server.db, planId);
  return plan && { status: plan.status, locked: plan.budget_locked };
}

async function serverDoc(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  return doc;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

async function open(member: MadeMember, planId: string): Promise<PlanSession> {
  const session = openPlan(await as(member), planId);
  sessions.push(session);
  await waitUntil(() => session.state.synced, `${member.username} synced`);
  return session;
}

function typeInto(doc: Y.Doc, sectionIndex: number, text: string): void {
  const section = readPlanDoc(doc).sections.filter((s) => s.kind === "richText")[sectionIndex]!;
  const fragment = sectionFragment(doc, section.id);
  doc.transact(() => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    fragment.insert(fragment.length, [paragraph]);
  });
}

function textOf(doc: Y.Doc, sectionIndex: number): string {
  const section = readPlanDoc(doc).sections.filter((s) => s.kind === "richText")[sectionIndex]!;
  return sectionFragment(doc, section.id).toString();
}

afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

describe("budget approval", () => {
  let owner: MadeMember;
  let editor: MadeMember;
  let viewer: MadeMember;
  let retired: MadeMember;
  const approvers = {} as Record<ApproverTitle, MadeMember>;
  let finance2: MadeMember;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
    // The submitter holds a title too: holding the right one must still not let them decide.
    owner = await makeMember(server.db, { role: "planner", title: "finance", name: "李娜" });
    editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
    viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
    retired = await makeMember(server.db, { role: "manager", title: "finance", name: "老张" });
    approvers.finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
    approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
    approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
    approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
    finance2 = await makeMember(server.db, { role: "finance", title: "finance", name: "钱芳" });
  });
  afterAll(async () => {
    as.clear();
    await server.close();
  });

  async function approveAll(revision: BudgetRevision): Promise<void> {
    for (const step of await listSteps(server.db, revision.id)) {
      expect((await decide(approvers[step.title], revision.id, step.step_index)).status).toBe(302);
    }
  }

  it("locks the budget, then snapshots it: lines, subtotals, totals, hash, the chain and why, in the audit log", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    const revision = await submitted(owner, planId);
    expect(revision).toMatchObject({ number: 1, status: "pending", submitted_by: owner.id, spend_fen: 12_000_000, income_fen: 500_000, net_fen: 11_500_000, closed_at: null });
    expect(await planState(planId)).toEqual({ status: "inReview", locked: 1 });
    expect((await listSteps(server.db, revision.id)).map((s) => [s.step_index, s.kind, s.title, s.decision])).toEqual([
      [0, "review", "finance", null],
      [1, "endorse", "gm", null],
      [2, "approve", "chairman", null],
    ]);
    const chain = JSON.parse(revision.chain) as { chosen: { workItemKey: string; amountFen: number }; candidates: unknown[] };
    expect(chain.chosen).toMatchObject({ workItemKey: "budget", amountFen: 12_000_000 });
    expect(chain.candidates).toHaveLength(1);
    const snapshot = await loadSnapshot(server.db, revision);
    expect(snapshot.lines.map((l) => [l.category, l.item, l.amountFen, l.income])).toEqual([
      ["活动物料", "舞台搭建", 8_000_000, false],
      ["宣传推广", "宣传单页", 4_000_000, false],
      ["收入", "商户赞助", 500_000, true],
    ]);
    expect(snapshot.byCategory.map((c) => [c.category, c.netFen])).toEqual([
      ["活动物料", 8_000_000],
      ["宣传推广", 4_000_000],
      ["收入", -500_000],
    ]);
    expect(revision.content_hash).toBe(sha256(canonicalSnapshot(snapshot)));
    const audit = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "approval.submit").where("target_id", "=", planId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(owner.id);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ revision: 1, spendFen: 12_000_000, chain: ["finance", "gm", "chairman"] });

    const again = await submit(owner, planId);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "alreadyPending", message: "已有预算版本在审批中，不能重复提交" });
  });

  it("refuses, in Chinese, a budget with 待定 lines or none at all, stores nothing and unlocks it again", async () => {
    const tbd = await planWithBudget(owner.id, [typed("物料", "舞台", "1", "项", "2,000"), typed("物料", "灯光", "1", "项", "待定"), typed("物料", "音响", "2", "套", "待定"), typed("礼品", "月饼", "300", "盒", "待定")]);
    const refused = await submit(owner, tbd);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, code: "budgetHasTbd", count: 3, message: "还有 3 项预算待定，不能提交" });
    expect(await planState(tbd)).toEqual({ status: "draft", locked: 0 });

    const empty = await planWithBudget(owner.id, []);
    const emptyRefused = await submit(owner, empty);
    expect(emptyRefused.status).toBe(400);
    expect(await emptyRefused.json()).toMatchObject({ code: "budgetEmpty", message: "预算为空，不能提交" });
    expect(await planState(empty)).toEqual({ status: "draft", locked: 0 });

    const stored = await server.db.selectFrom("budget_revisions").select("id").where("plan_id", "in", [tbd, empty]).execute();
    expect(stored).toEqual([]);
    expect(await auditCount("approval.submit", tbd)).toBe(0);

    // Only the plan's editors submit: a viewer of the plan is refused before anything is locked.
    await addToPlan(server.db, tbd, viewer.id, "view", owner.id);
    expect((await submit(viewer, tbd)).status).toBe(403);
    expect(await planState(tbd)).toEqual({ status: "draft", locked: 0 });
  });

  it("lets only an active member holding each step's title, other than the submitter, decide it, in order", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    await addToPlan(server.db, planId, viewer.id, "view", owner.id);
    const revision = await submitted(owner, planId);
    await as(retired);
    await server.db.updateTable("users").set({ active: 0 }).where("id", "=", retired.id).execute();
    const titles: ApproverTitle[] = ["finance", "gm", "chairman"];
    const wrongTitle: Record<ApproverTitle, ApproverTitle> = { finance: "gm", deputyGm: "finance", gm: "deputyGm", chairman: "gm" };

    for (const [index, title] of titles.entries()) {
      const before = await decisions(revision.id);
      const audited = await auditCount("approval.decide", planId);
      const refused = async (response: Response, status: number, message: string) => {
        expect(response.status).toBe(status);
        expect(await response.text()).toContain(message);
        expect(await decisions(revision.id)).toEqual(before);
        expect(await auditCount("approval.decide", planId)).toBe(audited);
      };

      await refused(await decide(approvers[wrongTitle[title]], revision.id, index), 403, "此步骤不由你的职务审批");
      await refused(await decide(viewer, revision.id, index), 403, "此步骤不由你的职务审批");
      await server.db.updateTable("users").set({ title }).where("id", "=", owner.id).execute();
      await refused(await decide(owner, revision.id, index), 403, "不能审批自己提交的预算");
      await server.db.updateTable("users").set({ title: "finance" }).where("id", "=", owner.id).execute();
      // A deactivated member's session ends on their next request; a decision racing the
      // deactivation is judged on the member as stored now.
      await server.db.updateTable("users").set({ title }).where("id", "=", retired.id).execute();
      expect((await decide(retired, revision.id, index)).status).toBe(401);
      expect(await decideStep(server, retired.id, { revisionId: revision.id, stepIndex: index, decision: "approve", comment: "" })).toEqual({ ok: false, status: 403, code: "inactive" });
      expect(await decisions(revision.id)).toEqual(before);
      if (index < 2) {
        const later = titles[index + 1]!;
        await refused(await decide(approvers[later], revision.id, index + 1), 409, "请按顺序审批，前一步尚未完成");
      }

      expect((await decide(approvers[title], revision.id, index, "approve", "同意")).status).toBe(302);
    }

    expect(await decisions(revision.id)).toEqual([
      ["approve", approvers.finance.id],
      ["approve", approvers.gm.id],
      ["approve", approvers.chairman.id],
    ]);
    expect((await findRevision(server.db, revision.id))?.status).toBe("approved");
    expect(await planState(planId)).toEqual({ status: "approved", locked: 1 });
    expect(await auditCount("approval.decide", planId)).toBe(3);
  });

  it("records exactly one of two simultaneous decisions on a step; the other gets 409", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    const revision = await submitted(owner, planId);
    await Promise.all([as(approvers.finance), as(finance2)]);
    const responses = await Promise.all([decide(approvers.finance, revision.id, 0), decide(finance2, revision.id, 0, "reject", "超出预算")]);
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409]);
    const loser = responses.find((r) => r.status === 409)!;
    expect(await loser.text()).toContain("此步骤已有审批结果，请刷新后查看");
    const steps = await listSteps(server.db, revision.id);
    expect(steps[0]!.decided_by === approvers.finance.id || steps[0]!.decided_by === finance2.id).toBe(true);
    expect(steps.filter((s) => s.decision !== null)).toHaveLength(1);
    expect(await auditCount("approval.decide", planId)).toBe(1);
  });

  it("keeps an approved budget untouchable: HTTP gets 409, SQL is refused by triggers, the hash still matches", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    const revision = await submitted(owner, planId);
    await approveAll(revision);

    expect((await decide(approvers.chairman, revision.id, 2)).status).toBe(409);
    const resubmit = await submit(owner, planId);
    expect(resubmit.status).toBe(409);
    expect(await resubmit.json()).toMatchObject({ code: "approvedLocked", message: "预算已批准并锁定，请先重新打开" });
    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "withdraw" })).status).toBe(409);

    const attempts = [
      sql`UPDATE revision_lines SET amount_fen = amount_fen + 100 WHERE revision_id = ${revision.id}`,
      sql`UPDATE revision_categories SET net_fen = 0 WHERE revision_id = ${revision.id}`,
      sql`UPDATE budget_revisions SET spend_fen = 1 WHERE id = ${revision.id}`,
      sql`UPDATE budget_revisions SET status = 'pending', closed_at = NULL WHERE id = ${revision.id}`,
      sql`UPDATE approval_steps SET comment = '改过' WHERE revision_id = ${revision.id}`,
      sql`DELETE FROM revision_lines WHERE revision_id = ${revision.id}`,
      sql`DELETE FROM approval_steps WHERE revision_id = ${revision.id}`,
      sql`DELETE FROM budget_revisions WHERE id = ${revision.id}`,
      sql`INSERT INTO revision_lines VALUES (${revision.id}, 'smuggled01', 9, '物料', '加塞', 100, '项', 100, 100, 0, '', '', '')`,
    ];
    for (const attempt of attempts) await expect(attempt.execute(server.db)).rejects.toThrow(/cannot be changed|never deleted/);

    const stored = (await findRevision(server.db, revision.id))!;
    expect(stored).toEqual({ ...revision, status: "approved", closed_at: stored.closed_at });
    expect(stored.content_hash).toBe(sha256(canonicalSnapshot(await loadSnapshot(server.db, stored))));

    // The snapshot, the projection and the document agree to the fen.
    await waitUntil(async () => (await findPlanById(server.db, planId))?.projected_at != null, "the plan is projected");
    const plan = (await findPlanById(server.db, planId))!;
    const projected = (await listBudgetLines(server.db, planId)).reduce((sum, line) => sum + (line.income ? -1 : 1) * (line.amount_fen ?? 0), 0);
    const editor = totalsOf(readBlock(await serverDoc(planId), "budget").rows);
    expect([stored.spend_fen, stored.income_fen, stored.net_fen]).toEqual([plan.spend_fen, plan.income_fen, plan.net_fen]);
    expect([stored.spend_fen, stored.income_fen, stored.net_fen]).toEqual([editor.spendFen, editor.incomeFen, editor.netFen]);
    expect(stored.net_fen).toBe(projected);
  });

  it("refuses budget edits on the websocket while submitted and after approval, and undoes them on the editor's screen", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    await addToPlan(server.db, planId, editor.id, "edit", owner.id);
    const session = await open(editor, planId);
    const [stage] = readBlock(session.state.doc, "budget").rows;

    const attempt = async (line: BudgetLine, label: string) => {
      await waitUntil(() => session.state.status === "connected" && session.state.synced, `${label}: the editor is connected`);
      const doc = session.state.doc;
      const refusals = session.state.refusal?.seq ?? 0;
      updateRow(doc, "budget", line.id, { unitPriceFen: 1 });
      expect(readBlock(doc, "budget").rows[0]!.unitPriceFen).toBe(1);
      // The server reverts the budget change on the same connection (tests/integration/refused-update.test.ts).
      await waitUntil(() => (session.state.refusal?.seq ?? 0) > refusals && readBlock(doc, "budget").rows[0]!.unitPriceFen === 8_000_000, `${label}: the refused edit reverted`);
      expect(session.state.refusal?.reason).toBe("budgetLocked");
      expect(session.state.doc).toBe(doc);
      expect(readBlock(await serverDoc(planId), "budget").rows[0]!.unitPriceFen).toBe(8_000_000);

      // Everything else stays editable.
      typeInto(session.state.doc, 0, `${label}的背景说明`);
      insertRow(session.state.doc, "timeline", { ...blankRow("timeline", "2027-09-05"), task: `${label}的任务` });
      await waitUntil(async () => textOf(await serverDoc(planId), 0).includes(`${label}的背景说明`), `${label}: the narrative edit reached the server`);
      await waitUntil(async () => readBlock(await serverDoc(planId), "timeline").rows.some((r) => r.task === `${label}的任务`), `${label}: the timeline edit reached the server`);
    };

    const changes = session.state.accessChanges;
    const revision = await submitted(owner, planId);
    // Locking re-judges every open editor: they reconnect and learn the budget is locked.
    await waitUntil(() => session.state.accessChanges > changes, "the editor was told the lock changed");
    await attempt(stage!, "审批中");
    await approveAll(revision);
    await attempt(stage!, "已批准");
  });

  it("lets only the submitter withdraw, which unlocks the budget", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    await addToPlan(server.db, planId, editor.id, "edit", owner.id);
    const revision = await submitted(owner, planId);
    const notTheirs = await (await as(editor)).post(`/plans/${planId}/approval`, { intent: "withdraw" });
    expect(notTheirs.status).toBe(403);
    expect(await notTheirs.json()).toMatchObject({ code: "notSubmitter", message: "只有提交人可以撤回" });
    expect(await planState(planId)).toEqual({ status: "inReview", locked: 1 });

    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "withdraw" })).status).toBe(200);
    expect((await findRevision(server.db, revision.id))?.status).toBe("withdrawn");
    expect(await planState(planId)).toEqual({ status: "draft", locked: 0 });
    expect(await auditCount("approval.withdraw", planId)).toBe(1);
    // A withdrawn revision is over: deciding it is a conflict, not a decision.
    expect((await decide(approvers.finance, revision.id, 0)).status).toBe(409);
    expect((await submitted(owner, planId)).number).toBe(2);
  });

  it("needs a comment to reject or request changes, and either ends the revision and unlocks the budget", async () => {
    const planId = await planWithBudget(owner.id, GALA_BUDGET);
    const first = await submitted(owner, planId);
    const noComment = await decide(approvers.finance, first.id, 0, "reject", "  ");
    expect(noComment.status).toBe(400);
    expect(await noComment.text()).toContain("驳回或退回修改时必须填写意见");
    expect(await decisions(first.id)).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect((await decide(approvers.finance, first.id, 0, "reject", "舞台费用偏高")).status).toBe(302);
    expect((await findRevision(server.db, first.id))?.status).toBe("rejected");
    expect(await planState(planId)).toEqual({ status: "draft", locked: 0 });
    expect((await listSteps(server.db, first.id))[0]).toMatchObject({ decision: "reject", comment: "舞台费用偏高", decided_by: approvers.finance.id });

    const second = await submitted(owner, planId);
    expect((await decide(approvers.finance, second.id, 0)).status).toBe(302);
    expect((await decide(approvers.gm, second.id, 1, "requestChanges", "")).status).toBe(400);
    expect((await decide(approvers.gm, second.id, 1, "requestChanges", "请补充报价单")).status).toBe(302);
    expect((await findRevision(server.db, second.id))?.status).toBe("changesRequested");
    expect(await planState(planId)).toEqual({ status: "draft", locked: 0 });
    // The older revision is no longer current.
    expect((await decide(approvers.gm, first.id, 1)).status).toBe(409);
  });

  it("after reopening and changing two lines, shows the approver exactly those two, the +20% one over the limit", async () => {
    const planId = await planWithBudget(owner.id, [...GALA_BUDGET, typed("礼品", "月饼礼盒", "200", "盒", "150")]);
    const first = await submitted(owner, planId);
    await approveAll(first);

    const noReason = await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: " " });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toMatchObject({ code: "reasonRequired" });
    expect(await planState(planId)).toEqual({ status: "approved", locked: 1 });
    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: "嘉宾人数增加" })).status).toBe(200);
    expect(await planState(planId)).toEqual({ status: "draft", locked: 0 });
    expect(await auditCount("approval.reopen", planId)).toBe(1);

    const session = await open(owner, planId);
    const [stage, flyers] = readBlock(session.state.doc, "budget").rows;
    updateRow(session.state.doc, "budget", stage!.id, { unitPriceFen: 9_600_000 });
    updateRow(session.state.doc, "budget", flyers!.id, { unitPriceFen: 105 });
    await waitUntil(async () => readBlock(await serverDoc(planId), "budget").rows[1]!.unitPriceFen === 105, "both edits reached the server");

    const second = await submitted(owner, planId);
    expect(second.number).toBe(2);
    const review = (await revisionReview(server.db, second.id))!;
    expect(review.base).toEqual({ number: 1, netFen: first.net_fen });
    expect(review.diff!.lines.map((l) => [l.id, l.change, l.deltaFen, l.deltaBasisPoints, l.overLimit])).toEqual([
      [stage!.id, "changed", 1_600_000, 2_000, true],
      [flyers!.id, "changed", 200_000, 500, false],
    ]);
    expect(review.diff!.netDeltaFen).toBe(1_800_000);
    expect(review.diff!.categories.map((c) => [c.category, c.deltaFen])).toEqual([
      ["活动物料", 1_600_000],
      ["宣传推广", 200_000],
    ]);

    const page = await (await as(approvers.finance)).get(`/approvals/${second.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const rows = [...html.matchAll(/<tr[^>]*data-diff-line="([^"]+)"[^>]*>/g)].map((m) => ({ id: m[1], overLimit: /class="[^"]*over-limit/.test(m[0]) }));
    expect(rows).toEqual([
      { id: stage!.id, overLimit: true },
      { id: flyers!.id, overLimit: false },
    ]);
    expect(html).toContain("+¥16,000.00");
    expect(html).toContain("+¥2,000.00");
    // The approved revision is still what was approved.
    const kept = (await findRevision(server.db, first.id))!;
    expect(kept.status).toBe("approved");
    expect(kept.content_hash).toBe(first.content_hash);
  });
});

describe("the approvals inbox", () => {
  let planner: MadeMember;
  let financePlanner: MadeMember;
  let finance: MadeMember;
  let deputy: MadeMember;
  let gm: MadeMember;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false });
    planner = await makeMember(server.db, { role: "planner", name: "李娜" });
    financePlanner = await makeMember(server.db, { role: "planner", title: "finance", name: "钱芳" });
    finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
    deputy = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
    gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  });
  afterAll(async () => {
    as.clear();
    await server.close();
  });

  async function inbox(member: MadeMember): Promise<{ ids: number[]; count: number | null; html: string }> {
    const response = await (await as(member)).get("/approvals");
    expect(response.status).toBe(200);
    const html = await response.text();
    const ids = [...html.matchAll(/data-revision-id="(\d+)"/g)].map((m) => Number(m[1]));
    const count = /data-approvals-waiting="(\d+)"/.exec(html);
    return { ids, count: count ? Number(count[1]) : null, html };
  }

  it("lists the steps waiting for the member's title, newest first, without their own submissions, and counts them in the navigation", async () => {
    const small = await planWithBudget(planner.id, [typed("物料", "海报", "100", "张", "300")], "2027 端午节酒店促销");
    const large = await planWithBudget(planner.id, GALA_BUDGET, "2027 中秋客户答谢晚会");
    const own = await planWithBudget(financePlanner.id, GALA_BUDGET, "2027 国庆门店促销");
    const first = await submitted(planner, small);
    const second = await submitted(planner, large);
    const third = await submitted(financePlanner, own);

    expect((await inbox(finance)).ids).toEqual([third.id, second.id, first.id]);
    expect((await inbox(finance)).count).toBe(3);
    // The submitter holds the first step's title, yet never sees their own submission.
    expect((await inbox(financePlanner)).ids).toEqual([second.id, first.id]);
    expect((await inbox(deputy)).ids).toEqual([]);
    expect((await inbox(deputy)).count).toBeNull();

    expect((await decide(finance, first.id, 0)).status).toBe(302);
    const deputyInbox = await inbox(deputy);
    expect(deputyInbox.ids).toEqual([first.id]);
    expect(deputyInbox.count).toBe(1);
    expect(deputyInbox.html).toContain("2027 端午节酒店促销");
    expect(deputyInbox.html).toContain("¥30,000.00");
    expect((await inbox(finance)).ids).toEqual([third.id, second.id]);
    expect((await inbox(gm)).ids).toEqual([]);
    expect((await inbox(gm)).html).toContain("暂无待审批的预算。");
  });
});
