// Over 400 lines: one started server and plan fixture serve every actuals journey (entry, edit, import, page).
import { Window } from "happy-dom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import { listBudgetLines } from "../../db/queries/projection";
import type { ApproverTitle } from "~/domain/roles";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine, type Kpi } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { loadPlanVariance } from "~/services/variance.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

type Line = Omit<BudgetLine, "id">;

function typed(category: string, item: string, quantity: string, unit: string, price: string, income = false): Line {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-09-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value, income };
}

function kpi(name: string, unit: string, target: string, direction: Kpi["direction"]): Omit<Kpi, "id"> {
  return { ...blankRow("kpis", "2027-09-01"), name, unit, target, direction };
}

/** ¥20,751.00 of spend (finance → deputy GM → GM) and ¥5,000 of income. */
const BUDGET: Line[] = [
  typed("活动物料", "舞台搭建", "1", "项", "12,000"),
  typed("活动物料", "灯光音响", "2", "套", "3,500.50"),
  typed("宣传推广", "宣传单页", "5,000", "张", "0.35"),
  typed("收入", "商户赞助", "1", "项", "5,000", true),
];

let server: TestServer;
let owner: MadeMember;
let editor: MadeMember;
let viewer: MadeMember;
let outsider: MadeMember;
let finance: MadeMember;
let admin: MadeMember;
const approvers = {} as Record<ApproverTitle, MadeMember>;

const as = signedInClients(() => server.url);

async function makeBudgetPlan(kpis: Omit<Kpi, "id">[] = []): Promise<{ planId: string; line: Record<string, string> }> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "2027 中秋会员答谢活动", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "南京西路店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [...BUDGET], kpis } }
  );
  await addToPlan(server.db, planId, editor.id, "edit", owner.id);
  await addToPlan(server.db, planId, viewer.id, "view", owner.id);
  const lines = await listBudgetLines(server.db, planId);
  return { planId, line: Object.fromEntries(lines.map((l) => [l.item, l.line_id])) };
}

async function approve(planId: string): Promise<void> {
  expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
  const revision = await server.db
    .selectFrom("budget_revisions")
    .selectAll()
    .where("plan_id", "=", planId)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  for (const step of await listSteps(server.db, revision.id)) {
    const decided = await (
      await as(approvers[step.title])
    ).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" });
    expect(decided.status).toBe(302);
  }
}

const post = async (member: MadeMember, planId: string, fields: Record<string, string>) => (await as(member)).post(`/plans/${planId}/actuals`, fields);

function entry(lineId: string, spentOn: string, amount: string, invoiceNo: string, vendor = "", note = ""): Record<string, string> {
  return { intent: "create", lineId, spentOn, amount, vendor, invoiceNo, note };
}

async function storedEntries(planId: string) {
  return server.db.selectFrom("actual_entries").selectAll().where("plan_id", "=", planId).orderBy("id").execute();
}

async function auditOf(planId: string, prefix: string) {
  const rows = await server.db.selectFrom("audit_log").selectAll().where("target_id", "=", planId).orderBy("id").execute();
  return rows.filter((row) => row.action.startsWith(prefix)).map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

/** The page as a member's browser gets it, parsed, so assertions read what people see. */
async function page(member: MadeMember, planId: string, query = ""): Promise<Document> {
  const response = await (await as(member)).get(`/plans/${planId}/actuals${query}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  // React 18.3's renderToPipeableStream pads a 2 KB chunk with NUL bytes when a CJK character does not fit its end.
  expect(html.includes("\0"), "the streamed page holds NUL bytes").toBe(false);
  return parse(html);
}

const windows: Window[] = [];
function parse(html: string): Document {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  windows.push(window);
  return new window.DOMParser().parseFromString(html, "text/html") as unknown as Document;
}

function cells(row: Element | null): string[] {
  if (!row) throw new Error("row not found");
  return [...row.querySelectorAll("td, th")].map((cell) => cell.textContent?.trim() ?? "");
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  outsider = await makeMember(server.db, { role: "planner", name: "王磊" });
  finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
  admin = await makeMember(server.db, { role: "admin", name: "管理员" });
  approvers.finance = finance;
  approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
});

afterAll(async () => {
  for (const window of windows) await window.happyDOM.close();
  as.clear();
  await server.close();
});

describe("actual spend", () => {
  it("finance records, edits and deletes entries, each audited, and the variance against the approved budget is exact to the fen", async () => {
    const { planId, line } = await makeBudgetPlan();
    await approve(planId);
    const stage = line["舞台搭建"]!;
    const lights = line["灯光音响"]!;
    const flyers = line["宣传单页"]!;
    const sponsor = line["商户赞助"]!;

    const started = Date.now();
    expect((await post(finance, planId, entry(stage, "2027-09-10", "9,000", "INV-001", "上海华彩舞美", "定金"))).status).toBe(302);
    expect((await post(finance, planId, entry(stage, "2027/9/18", "4000.55", "INV-002", "上海华彩舞美", "尾款"))).status).toBe(302);
    expect((await post(finance, planId, entry(flyers, "2027-09-05", "¥1,234.56", "INV-100", "快印通"))).status).toBe(302);
    let stored = await storedEntries(planId);
    expect(stored.map((e) => [e.line_id, e.spent_on, e.amount_fen, e.invoice_no, e.source, e.created_by])).toEqual([
      [stage, "2027-09-10", 900_000, "INV-001", "manual", finance.id],
      [stage, "2027-09-18", 400_055, "INV-002", "manual", finance.id],
      [flyers, "2027-09-05", 123_456, "INV-100", "manual", finance.id],
    ]);
    const [first, , third] = stored;

    const edited = await post(finance, planId, {
      intent: "update",
      entryId: String(third!.id),
      lineId: flyers,
      spentOn: "2027-09-06",
      amount: "1999.99",
      vendor: "快印通（浦东）",
      invoiceNo: "INV-100",
      note: "加印",
    });
    expect(edited.status).toBe(302);
    expect((await post(finance, planId, { intent: "delete", entryId: String(first!.id) })).status).toBe(302);
    expect((await post(finance, planId, entry(lights, "2027-09-12", "7,001.00", "INV-200"))).status).toBe(302);
    expect((await post(finance, planId, entry(sponsor, "2027-09-20", "5200", "INV-300", "招商银行"))).status).toBe(302);
    const finished = Date.now();

    stored = await storedEntries(planId);
    expect(stored.map((e) => [e.line_id, e.amount_fen, e.invoice_no])).toEqual([
      [stage, 400_055, "INV-002"],
      [flyers, 199_999, "INV-100"],
      [lights, 700_100, "INV-200"],
      [sponsor, 520_000, "INV-300"],
    ]);
    const editedRow = stored[1]!;
    expect(editedRow).toMatchObject({ spent_on: "2027-09-06", vendor: "快印通（浦东）", note: "加印", created_by: finance.id, updated_by: finance.id });

    const audit = await auditOf(planId, "actual.");
    expect(audit.map((a) => a.action)).toEqual([
      "actual.create",
      "actual.create",
      "actual.create",
      "actual.update",
      "actual.delete",
      "actual.create",
      "actual.create",
    ]);
    for (const row of audit) {
      expect(row.actor_id).toBe(finance.id);
      expect(row.at).toBeGreaterThanOrEqual(started);
      expect(row.at).toBeLessThanOrEqual(finished);
    }
    expect(audit[0]!.detail).toMatchObject({ lineId: stage, item: "舞台搭建", amountFen: 900_000, invoiceNo: "INV-001", spentOn: "2027-09-10" });
    expect(audit[3]!.detail).toMatchObject({
      entryId: third!.id,
      lineId: flyers,
      amountFen: 199_999,
      invoiceNo: "INV-100",
      from: { amountFen: 123_456, spentOn: "2027-09-05" },
      to: { amountFen: 199_999, spentOn: "2027-09-06" },
    });
    // The deleted entry lives on only in the audit log.
    expect(audit[4]!.detail).toMatchObject({
      entryId: first!.id,
      lineId: stage,
      amountFen: 900_000,
      invoiceNo: "INV-001",
      vendor: "上海华彩舞美",
      note: "定金",
      spentOn: "2027-09-10",
    });

    const variance = await loadPlanVariance(server.db, planId);
    expect(variance.basis).toEqual({ kind: "approved", revisionNumber: 1 });
    expect(variance.lines.map((l) => [l.item, l.budgetFen, l.actualFen, l.varianceFen, l.varianceBasisPoints, l.overBudget])).toEqual([
      ["舞台搭建", 1_200_000, 400_055, -799_945, -6_666, false],
      ["灯光音响", 700_100, 700_100, 0, 0, false],
      ["宣传单页", 175_000, 199_999, 24_999, 1_429, true],
      ["商户赞助", 500_000, 520_000, 20_000, 400, false],
    ]);
    expect(variance.categories.map((c) => [c.category, c.budgetFen, c.actualFen, c.varianceFen, c.overBudget])).toEqual([
      ["活动物料", 1_900_100, 1_100_155, -799_945, false],
      ["宣传推广", 175_000, 199_999, 24_999, true],
    ]);
    expect(variance.totals).toMatchObject({
      budgetSpendFen: 2_075_100,
      actualSpendFen: 1_300_154,
      budgetIncomeFen: 500_000,
      actualIncomeFen: 520_000,
      budgetNetFen: 1_575_100,
      actualNetFen: 780_154,
      varianceFen: -794_946,
    });

    const doc = await page(finance, planId);
    expect(doc.querySelector("[data-basis]")?.textContent).toContain("对比口径：已批准的预算版本 1");
    expect(cells(doc.querySelector(`tr[data-line-id="${stage}"]`))).toEqual(["舞台搭建", "¥12,000.00", "¥4,000.55", "-¥7,999.45", "-66.7%"]);
    expect(cells(doc.querySelector(`tr[data-line-id="${lights}"]`))).toEqual(["灯光音响", "¥7,001.00", "¥7,001.00", "¥0.00", "0.0%"]);
    const over = doc.querySelector(`tr[data-line-id="${flyers}"]`);
    expect(over?.getAttribute("data-over-budget")).toBe("true");
    expect(over?.className).toContain("over-budget");
    expect(cells(over)).toEqual(["宣传单页超支", "¥1,750.00", "¥1,999.99", "+¥249.99", "+14.3%"]);
    expect(doc.querySelector(`tr[data-line-id="${stage}"]`)?.hasAttribute("data-over-budget")).toBe(false);
    expect(cells(doc.querySelector('tr[data-category="活动物料"]'))).toEqual(["活动物料 小计", "¥19,001.00", "¥11,001.55", "-¥7,999.45", "-42.1%"]);
    expect(cells(doc.querySelector('tr[data-category="宣传推广"]'))).toEqual(["宣传推广 小计", "¥1,750.00", "¥1,999.99", "+¥249.99", "+14.3%"]);
    expect(cells(doc.querySelector('tr[data-total="spend"]'))).toEqual(["支出合计", "¥20,751.00", "¥13,001.54", "-¥7,749.46", "-37.3%"]);
    expect(cells(doc.querySelector('tr[data-total="income"]'))).toEqual(["收入合计", "¥5,000.00", "¥5,200.00", "+¥200.00", "+4.0%"]);
    expect(cells(doc.querySelector('tr[data-total="net"]'))).toEqual(["净支出", "¥15,751.00", "¥7,801.54", "-¥7,949.46", "-50.5%"]);

    // Entries per line, with who recorded them; the edited one says who edited it.
    const editedCells = cells(doc.querySelector(`tr[data-entry-id="${editedRow.id}"]`));
    expect(editedCells.slice(0, 5)).toEqual(["2027-09-06", "¥1,999.99", "快印通（浦东）", "INV-100", "加印"]);
    expect(editedCells[5]).toContain("赵敏");
    expect(editedCells[5]).toContain("赵敏 修改于");
    expect(doc.querySelector(`tr[data-entry-id="${first!.id}"]`)).toBeNull();
    expect(doc.querySelector('form[aria-labelledby="actuals-add-heading"]')).not.toBeNull();
    expect(doc.querySelectorAll('select[name="lineId"] optgroup').length).toBe(3);
  });

  it("compares with the draft budget, and says so, while the plan has no approved revision", async () => {
    const { planId, line } = await makeBudgetPlan();
    expect((await post(finance, planId, entry(line["舞台搭建"]!, "2027-09-10", "12,000.01", "A-1"))).status).toBe(302);
    const variance = await loadPlanVariance(server.db, planId);
    expect(variance.basis).toEqual({ kind: "draft" });
    expect(variance.lines[0]).toMatchObject({ budgetFen: 1_200_000, actualFen: 1_200_001, varianceFen: 1, overBudget: true });
    expect(variance.totals).toMatchObject({ budgetSpendFen: 2_075_100, actualSpendFen: 1_200_001, budgetNetFen: 1_575_100, actualNetFen: 1_200_001 });

    const doc = await page(viewer, planId);
    expect(doc.querySelector("[data-basis]")?.textContent).toContain("对比口径：当前草稿预算");
    expect(cells(doc.querySelector(`tr[data-line-id="${line["舞台搭建"]!}"]`))).toEqual(["舞台搭建超支", "¥12,000.00", "¥12,000.01", "+¥0.01", "0.0%"]);
    expect(cells(doc.querySelector('tr[data-total="net"]'))).toEqual(["净支出", "¥15,751.00", "¥12,000.01", "-¥3,750.99", "-23.8%"]);
    // A viewer reads the variance but gets no forms.
    expect(doc.querySelector('form[aria-labelledby="actuals-add-heading"]')).toBeNull();
    expect(doc.querySelector(".kpi-result-form")).toBeNull();
  });

  it("refuses bad input with a Chinese message beside the field and stores nothing", async () => {
    const { planId, line } = await makeBudgetPlan();
    const other = await makeBudgetPlan();
    const stage = line["舞台搭建"]!;
    expect((await post(finance, planId, entry(stage, "2027-09-10", "100", "INV-9"))).status).toBe(302);
    const [kept] = await storedEntries(planId);
    const auditBefore = (await auditOf(planId, "actual.")).length;

    const cases: Array<[Record<string, string>, string, string]> = [
      [entry(stage, "2027-09-10", "一百元", "X-1"), "amount", "请输入金额，如 1,234.56。"],
      [entry(stage, "2027-09-10", "12.345", "X-2"), "amount", "金额最多两位小数。"],
      [entry(stage, "2027-09-10", "-5", "X-3"), "amount", "金额不能为负数。"],
      [entry(stage, "2027-09-10", "10,000,000,000.01", "X-4"), "amount", "金额不能超过 ¥10,000,000,000.00。"],
      [entry("no-such-line-1", "2027-09-10", "5", "X-5"), "lineId", "请选择本方案预算中的一项预算明细。"],
      [entry(other.line["舞台搭建"]!, "2027-09-10", "5", "X-6"), "lineId", "请选择本方案预算中的一项预算明细。"],
      [entry(stage, "2027-02-30", "5", "X-7"), "spentOn", "请输入有效日期，如 2027-09-15。"],
      [entry(stage, "下周三", "5", "X-8"), "spentOn", "请输入有效日期，如 2027-09-15。"],
      [entry(stage, "2027-09-11", "5", "INV-9"), "invoiceNo", "这项预算明细已录入过此发票号，同一张发票不能重复录入。"],
      // Full-width digits are the same invoice number.
      [entry(stage, "2027-09-11", "5", "INV-９"), "invoiceNo", "这项预算明细已录入过此发票号，同一张发票不能重复录入。"],
      [entry(stage, "2027-09-11", "5", "X-9", "供".repeat(101)), "vendor", "供应商最多 100 个字符。"],
      [{ ...entry(stage, "2027-09-11", "5", "INV-9"), intent: "update", entryId: String(kept!.id + 1000) }, "form", "这条实际支出已不存在，可能已被他人删除。"],
    ];
    for (const [fields, field, message] of cases) {
      const response = await post(finance, planId, fields);
      expect(response.status, `${field}: ${message}`).toBe(fields.intent === "update" ? 404 : 400);
      const doc = parse(await response.text());
      const shown = field === "form" ? doc.querySelector("#actuals-form-error") : doc.querySelector(`#add-${field}-error`);
      expect(shown?.textContent).toBe(message);
      if (field !== "form") expect(doc.querySelector(`#add-${field}`)?.getAttribute("aria-invalid")).toBe("true");
    }
    // Editing another entry onto an invoice already booked on the line is refused too.
    expect((await post(finance, planId, entry(stage, "2027-09-12", "50", "INV-10"))).status).toBe(302);
    const second = (await storedEntries(planId))[1]!;
    const clash = await post(finance, planId, { ...entry(stage, "2027-09-12", "50", "INV-9"), intent: "update", entryId: String(second.id) });
    expect(clash.status).toBe(400);
    expect(parse(await clash.text()).querySelector(`#edit-${second.id}-invoiceNo-error`)?.textContent).toBe(
      "这项预算明细已录入过此发票号，同一张发票不能重复录入。"
    );

    expect((await storedEntries(planId)).map((e) => [e.amount_fen, e.invoice_no, e.spent_on])).toEqual([
      [10_000, "INV-9", "2027-09-10"],
      [5_000, "INV-10", "2027-09-12"],
    ]);
    expect((await auditOf(planId, "actual.")).length).toBe(auditBefore + 1);
    // The same invoice on another line of the plan is a different entry.
    expect((await post(finance, planId, entry(line["灯光音响"]!, "2027-09-10", "5", "INV-9"))).status).toBe(302);
  });

  it("lets only finance and admins record actual spend", async () => {
    const { planId, line } = await makeBudgetPlan();
    const stage = line["舞台搭建"]!;
    for (const member of [owner, editor, viewer]) {
      expect((await post(member, planId, entry(stage, "2027-09-10", "100", `P-${member.id}`))).status).toBe(403);
    }
    expect((await post(outsider, planId, entry(stage, "2027-09-10", "100", "P-out"))).status).toBe(404);
    expect(await storedEntries(planId)).toEqual([]);
    expect((await post(admin, planId, entry(stage, "2027-09-10", "100", "P-admin"))).status).toBe(302);
    const [stored] = await storedEntries(planId);
    expect((await post(editor, planId, { intent: "delete", entryId: String(stored!.id) })).status).toBe(403);
    expect((await post(viewer, planId, { ...entry(stage, "2027-09-10", "1", "P-admin"), intent: "update", entryId: String(stored!.id) })).status).toBe(403);
    expect(await storedEntries(planId)).toEqual([stored]);

    // Planners read the page (with the link from the plan page) but get no entry forms.
    const plan = await (await as(owner)).get(`/plans/${planId}`);
    expect(await plan.text()).toContain(`href="/plans/${planId}/actuals"`);
    const doc = await page(owner, planId);
    expect(doc.querySelector('form[aria-labelledby="actuals-add-heading"]')).toBeNull();
    expect(doc.body.textContent).toContain("只有财务可以录入、修改或删除实际支出。");
  });
});

describe("KPI results", () => {
  it("are recorded by the plan's editors and by finance, with completion by direction", async () => {
    const { planId } = await makeBudgetPlan([kpi("到店人数", "人", "150", "up"), kpi("获客成本占比", "%", "5", "down"), kpi("新增会员", "人", "200", "up")]);
    const kpis = await server.db.selectFrom("kpis").select(["kpi_id", "name"]).where("plan_id", "=", planId).orderBy("position").execute();
    const [visitors, cost, members] = kpis.map((k) => k.kpi_id);

    const started = Date.now();
    expect((await post(editor, planId, { intent: "kpi", kpiId: visitors!, actual: "120", note: "门店统计" })).status).toBe(302);
    expect((await post(finance, planId, { intent: "kpi", kpiId: cost!, actual: "4.0", note: "" })).status).toBe(302);
    expect((await post(owner, planId, { intent: "kpi", kpiId: members!, actual: "250" })).status).toBe(302);
    const stored = async () =>
      Object.fromEntries(
        (await server.db.selectFrom("kpi_results").selectAll().where("plan_id", "=", planId).execute()).map((r) => [
          r.kpi_id,
          [r.actual, r.note, r.recorded_by],
        ])
      );
    expect(await stored()).toEqual({ [visitors!]: ["120", "门店统计", editor.id], [cost!]: ["4", "", finance.id], [members!]: ["250", "", owner.id] });

    let doc = await page(viewer, planId);
    const completion = (id: string) => doc.querySelector(`tr[data-kpi-id="${id}"] td:last-child`);
    expect(completion(visitors!)?.getAttribute("data-completion")).toBe("8000");
    expect(completion(visitors!)?.textContent).toBe("80.0%未达成");
    expect(completion(visitors!)?.className).toContain("below-target");
    expect(completion(cost!)?.getAttribute("data-completion")).toBe("12500");
    expect(completion(cost!)?.textContent).toBe("125.0%");
    expect(completion(cost!)?.className).not.toContain("below-target");
    expect(completion(members!)?.textContent).toBe("125.0%");
    expect(cells(doc.querySelector(`tr[data-kpi-id="${cost!}"]`)).slice(0, 3)).toEqual(["获客成本占比", "5 %", "越低越好"]);

    // Recording again replaces the value; an empty value clears it; bad values are refused.
    expect((await post(finance, planId, { intent: "kpi", kpiId: visitors!, actual: "165" })).status).toBe(302);
    expect((await post(editor, planId, { intent: "kpi", kpiId: members!, actual: "" })).status).toBe(302);
    const bad = await post(editor, planId, { intent: "kpi", kpiId: cost!, actual: "四" });
    expect(bad.status).toBe(400);
    expect(parse(await bad.text()).querySelector(`#kpi-${cost!}-error`)?.textContent).toBe("请输入数字，如 120 或 4.5（最多 4 位小数）。");
    expect((await post(editor, planId, { intent: "kpi", kpiId: "no-such-kpi", actual: "1" })).status).toBe(400);
    expect((await post(viewer, planId, { intent: "kpi", kpiId: cost!, actual: "1" })).status).toBe(403);
    expect((await post(outsider, planId, { intent: "kpi", kpiId: cost!, actual: "1" })).status).toBe(404);

    expect(await stored()).toEqual({ [visitors!]: ["165", "", finance.id], [cost!]: ["4", "", finance.id] });
    doc = await page(finance, planId);
    expect(completion(visitors!)?.textContent).toBe("110.0%");
    expect(completion(members!)?.textContent).toBe("—");

    const audit = await auditOf(planId, "kpi.");
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ["kpi.result", editor.id],
      ["kpi.result", finance.id],
      ["kpi.result", owner.id],
      ["kpi.result", finance.id],
      ["kpi.result", editor.id],
    ]);
    for (const row of audit) expect(row.at).toBeGreaterThanOrEqual(started);
    expect(audit[3]!.detail).toMatchObject({ kpiId: visitors, name: "到店人数", from: { actual: "120" }, to: { actual: "165" } });
    expect(audit[4]!.detail).toMatchObject({ kpiId: members, from: { actual: "250" }, to: { actual: null } });
  });
});
