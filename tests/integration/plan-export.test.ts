// Over 400 lines: one exported workbook per case, each recalculated by LibreOffice, sharing one server and plan fixture.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import { findPlanById } from "../../db/queries/plans";
import { listBudgetLines } from "../../db/queries/projection";
import type { PlanSession } from "~/collab/plan-session";
import { ACTUALS_HEADER_ROW, ACTUALS_SHEET_NAME } from "~/domain/actuals-sheet";
import { fen } from "~/domain/money";
import { blankRow, parsePriceCell, parseQuantityCell, readBlock, updateRow, type BudgetLine, type Kpi } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import { formatMoney } from "~/i18n/format";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { loadPlanVariance } from "~/services/variance.server";
import { makeMember, type MadeMember } from "../support/factories";
import { HttpClient, signedInClients } from "../support/http-client";
import { addToPlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { recalculatedSheets } from "../support/libreoffice";
import { startTestServer, type TestServer } from "../support/server";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MONEY_FORMAT = '"¥"#,##0.00';

type Line = Omit<BudgetLine, "id">;

/** A budget line as a planner types it into the cells. */
function typed(category: string, item: string, quantity: string, unit: string, price: string, income = false): Line {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-04-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value, income, owner: income ? "采购部" : "市场部" };
}

/**
 * 000 篇2, the supermarket grand opening, as its budget reads line by line. The seed adds
 * the car stickers up as ¥400 in all, although 100 ㎡ × ¥50 would be ¥5,000; with the
 * seed's own figure the plan is ¥16,100 spend, ¥11,500 income, ¥4,600 net.
 */
const OPENING_BUDGET: Line[] = [
  typed("宣传", "沿街条幅（含工商登记费用）", "50", "条", "60"),
  typed("宣传", "供应商贺开业条幅", "40", "条", "100", true),
  typed("宣传", "气球", "10,000", "个", "0.15"),
  typed("宣传", "车内不干胶广告", "1", "批", "400"),
  typed("宣传", "电台软性广告与超市广告", "1", "次", "1,000"),
  typed("宣传", "《xx日报》记者", "1", "次", "200"),
  typed("DM特价促销", "特价商品进场费（零毛利）", "50", "SKU", "50", true),
  typed("DM特价促销", "品牌商品进场费", "50", "SKU", "100", true),
  typed("DM特价促销", "疯狂抢购商品负毛利补贴（20个SKU）", "1", "项", "10,000"),
];

const OPENING_KPIS: Omit<Kpi, "id">[] = [
  { name: "供应商费用收入", unit: "元", target: "11500", direction: "up", notes: "进场费与贺开业条幅" },
  { name: "单客获客成本", unit: "元", target: "5", direction: "down", notes: "" },
];

let server: TestServer;
const sessions: PlanSession[] = [];
const scratch: string[] = [];

const as = signedInClients(() => server.url);

async function planWith(ownerId: number, title: string, budget: readonly Line[], kpis: Omit<Kpi, "id">[] = []): Promise<string> {
  return createPlan(
    server.db,
    ownerId,
    { title, campaignType: "opening", startDate: "2027-04-01", endDate: "2027-05-10", store: "浦东店" },
    {
      ...BLANK_PLAN,
      anchor: "2027-04-28",
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [...budget],
        kpis,
        timeline: [{ phase: "prep", phaseLabel: "第一阶段：筹备", task: "确定DM特价商品", start: "2027-04-01", end: "2027-04-10", owner: "采购部", ownerUserId: null, status: "notStarted", dependsOn: "" }],
        roles: [{ person: "", personUserId: null, role: "营运部", duties: "开业前3天派两名员工负责气球充气", contact: "" }],
      },
    },
  );
}

async function exportPlan(member: MadeMember, planId: string, revision?: string): Promise<Response> {
  return (await as(member)).get(`/plans/${planId}/export${revision === undefined ? "" : `?revision=${revision}`}`);
}

async function workbookOf(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  return workbook;
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "campaigndesk-export-"));
  scratch.push(dir);
  return dir;
}

/** LibreOffice recalculating each workbook on load, in a scratch directory removed after each test. */
const recalculated = (files: string[]) => recalculatedSheets(files, scratchDir());

/** The same workbook with every formula's cached result replaced by a wrong number. */
async function withWrongCachedResults(bytes: Uint8Array): Promise<Buffer> {
  const workbook = await workbookOf(bytes);
  let formulas = 0;
  workbook.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.formula) {
          cell.value = { formula: cell.formula, result: 987_654.32 };
          formulas += 1;
        }
      }),
    ),
  );
  expect(formulas).toBeGreaterThan(30);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function money(amountFen: number): string {
  return formatMoney(fen(amountFen), "zh-CN");
}

async function serverDoc(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  return doc;
}

/** The last `keep` characters of one part of a zip, read as a stream. */
async function tailOf(bytes: Buffer, name: string, keep: number): Promise<string> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== name) continue;
    let tail = "";
    const decoder = new TextDecoder();
    for await (const chunk of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) tail = (tail + decoder.decode(chunk, { stream: true })).slice(-keep);
    return tail;
  }
  throw new Error(`no ${name} in the zip`);
}

async function auditOf(planId: string) {
  const rows = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "plan.export").where("target_id", "=", planId).orderBy("id").execute();
  return rows.map((row) => ({ actorId: row.actor_id, detail: JSON.parse(row.detail) as unknown }));
}

describe("plan workbook export", () => {
  let owner: MadeMember;
  let viewer: MadeMember;
  let outsider: MadeMember;
  let finance: MadeMember;
  const approvers = {} as Record<ApproverTitle, MadeMember>;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
    owner = await makeMember(server.db, { role: "planner", name: "李娜" });
    viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
    outsider = await makeMember(server.db, { role: "planner", name: "王磊" });
    finance = await makeMember(server.db, { role: "finance", name: "钱芳" });
    approvers.finance = await makeMember(server.db, { role: "finance", title: "finance", name: "赵敏" });
    approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
    approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
    approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
  });
  afterEach(() => {
    for (const session of sessions.splice(0)) session.destroy();
  });
  afterAll(async () => {
    as.clear();
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
    await server.close();
  });

  it(
    "exports 000 篇2 so that LibreOffice, recalculating every formula, reaches the database's figures to the fen",
    async () => {
      const title = "xx超市开业促销（浦东店）";
      const planId = await planWith(owner.id, title, OPENING_BUDGET, OPENING_KPIS);
      const lines = await listBudgetLines(server.db, planId);
      const byItem = new Map(lines.map((line) => [line.item, line.line_id]));
      const id = (item: string) => byItem.get(item) ?? "";
      const balloons = id("气球");
      const subsidy = id("疯狂抢购商品负毛利补贴（20个SKU）");
      await server.db
        .insertInto("actual_entries")
        .values([
          { plan_id: planId, line_id: balloons, spent_on: "2027-04-25", amount_fen: 162_000, vendor: "气球批发", invoice_no: "INV-001", note: "", source: "manual", created_by: finance.id, created_at: Date.now() },
          { plan_id: planId, line_id: subsidy, spent_on: "2027-04-28", amount_fen: 500_000, vendor: "", invoice_no: "INV-002", note: "首日", source: "manual", created_by: finance.id, created_at: Date.now() },
          { plan_id: planId, line_id: subsidy, spent_on: "2027-04-29", amount_fen: 400_000, vendor: "", invoice_no: "INV-003", note: "", source: "manual", created_by: finance.id, created_at: Date.now() },
        ])
        .execute();
      const kpis = readBlock(await serverDoc(planId), "kpis").rows;
      await server.db
        .insertInto("kpi_results")
        .values([
          { plan_id: planId, kpi_id: kpis[0]!.id, actual: "9200", note: "", recorded_by: finance.id, recorded_at: Date.now() },
          { plan_id: planId, kpi_id: kpis[1]!.id, actual: "4", note: "", recorded_by: finance.id, recorded_at: Date.now() },
        ])
        .execute();

      const response = await exportPlan(owner, planId);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(XLSX_TYPE);
      const disposition = response.headers.get("content-disposition") ?? "";
      expect(disposition).toMatch(/^attachment; filename="plan\.xlsx"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+^`|-]+$/);
      expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(`${title}.xlsx`);
      const bytes = new Uint8Array(await response.arrayBuffer());

      const dir = scratchDir();
      const exported = join(dir, "exported.xlsx");
      const stale = join(dir, "stale.xlsx");
      writeFileSync(exported, bytes);
      writeFileSync(stale, await withWrongCachedResults(bytes));
      const [fresh, recomputed] = await recalculated([exported, stale]);
      expect(recomputed).toEqual(fresh);
      const budget = recomputed!.get("预算")!;

      const plan = (await findPlanById(server.db, planId))!;
      expect([plan.spend_fen, plan.income_fen, plan.net_fen]).toEqual([1_610_000, 1_150_000, 460_000]);
      expect(budget[0]).toEqual(["费用类别", "项目", "数量", "单位", "单价（¥）", "金额（¥）", "收入", "负责人", "季度", "备注", "预算明细编号"]);
      // Every line's recomputed amount is the projection's amount_fen, line id by line id.
      const amountById = new Map(budget.filter((row) => row[10] !== "" && row[10] !== "预算明细编号").map((row) => [row[10], row[5]]));
      expect(amountById).toEqual(new Map(lines.map((line) => [line.line_id, money(line.amount_fen!)])));
      expect(budget.slice(1, 18).map((row) => row.slice(0, 7))).toEqual([
        ["宣传", "沿街条幅（含工商登记费用）", "50", "条", "¥60.00", "¥3,000.00", "否"],
        ["宣传", "供应商贺开业条幅", "40", "条", "¥100.00", "¥4,000.00", "是"],
        ["宣传", "气球", "10000", "个", "¥0.15", "¥1,500.00", "否"],
        ["宣传", "车内不干胶广告", "1", "批", "¥400.00", "¥400.00", "否"],
        ["宣传", "电台软性广告与超市广告", "1", "次", "¥1,000.00", "¥1,000.00", "否"],
        ["宣传", "《xx日报》记者", "1", "次", "¥200.00", "¥200.00", "否"],
        ["宣传", "小计（支出）", "", "", "", "¥6,100.00", ""],
        ["宣传", "小计（收入）", "", "", "", "¥4,000.00", ""],
        ["DM特价促销", "特价商品进场费（零毛利）", "50", "SKU", "¥50.00", "¥2,500.00", "是"],
        ["DM特价促销", "品牌商品进场费", "50", "SKU", "¥100.00", "¥5,000.00", "是"],
        ["DM特价促销", "疯狂抢购商品负毛利补贴（20个SKU）", "1", "项", "¥10,000.00", "¥10,000.00", "否"],
        ["DM特价促销", "小计（支出）", "", "", "", "¥10,000.00", ""],
        ["DM特价促销", "小计（收入）", "", "", "", "¥7,500.00", ""],
        ["", "", "", "", "", "", ""],
        ["", "支出合计", "", "", "", "¥16,100.00", ""],
        ["", "收入合计", "", "", "", "¥11,500.00", ""],
        ["", "净支出", "", "", "", "¥4,600.00", ""],
      ]);
      expect([budget[15]![5], budget[16]![5], budget[17]![5]]).toEqual([money(plan.spend_fen), money(plan.income_fen), money(plan.net_fen)]);
      expect(recomputed!.get("概览")!.filter((row) => ["支出合计", "收入合计", "净支出"].includes(row[0]!))).toEqual([
        ["支出合计", "¥16,100.00"],
        ["收入合计", "¥11,500.00"],
        ["净支出", "¥4,600.00"],
      ]);

      // 实际对比 sums the 实际录入 sheet by line id, so recalculation reproduces the variance page's figures.
      const variance = await loadPlanVariance(server.db, planId);
      const compare = recomputed!.get("实际对比")!;
      const row = (lineId: string) => compare.find((r) => r[0] === lineId)!;
      expect(row(balloons)).toEqual([balloons, "宣传", "气球", "否", "¥1,500.00", "¥1,620.00", "¥120.00", "8.00%"]);
      expect(row(subsidy).slice(4)).toEqual(["¥10,000.00", "¥9,000.00", "-¥1,000.00", "-10.00%"]);
      expect(row(id("品牌商品进场费")).slice(4)).toEqual(["¥5,000.00", "¥0.00", "-¥5,000.00", "-100.00%"]);
      const totals = compare.filter((r) => ["支出合计", "收入合计", "净支出"].includes(r[2]!)).map((r) => r.slice(2, 7));
      expect(totals).toEqual([
        ["支出合计", "", money(variance.totals.budgetSpendFen), money(variance.totals.actualSpendFen), money(variance.totals.actualSpendFen - variance.totals.budgetSpendFen)],
        ["收入合计", "", money(variance.totals.budgetIncomeFen), money(variance.totals.actualIncomeFen), money(variance.totals.actualIncomeFen - variance.totals.budgetIncomeFen)],
        ["净支出", "", money(variance.totals.budgetNetFen), money(variance.totals.actualNetFen), money(variance.totals.varianceFen)],
      ]);
      expect(totals[0]).toEqual(["支出合计", "", "¥16,100.00", "¥10,620.00", "-¥5,480.00"]);

      const entries = recomputed!.get(ACTUALS_SHEET_NAME)!;
      expect(entries[0]).toEqual([...ACTUALS_HEADER_ROW]);
      expect(entries.slice(1)).toEqual([
        [balloons, "气球", "2027-04-25", "¥1,620.00", "气球批发", "INV-001", ""],
        [subsidy, "疯狂抢购商品负毛利补贴（20个SKU）", "2027-04-28", "¥5,000.00", "", "INV-002", "首日"],
        [subsidy, "疯狂抢购商品负毛利补贴（20个SKU）", "2027-04-29", "¥4,000.00", "", "INV-003", ""],
      ]);
      expect(recomputed!.get("KPI")!.map((r) => r.slice(0, 6))).toEqual([
        ["指标名称", "单位", "目标值", "方向", "实际值", "完成率"],
        ["供应商费用收入", "元", "11500", "越高越好", "9200", "80.00%"],
        ["单客获客成本", "元", "5", "越低越好", "4", "125.00%"],
      ]);
      expect(recomputed!.get("时间表")![1]).toEqual(["筹备期", "第一阶段：筹备", "确定DM特价商品", "2027-04-01", "2027-04-10", "采购部", "未开始", ""]);
      expect(recomputed!.get("人员分工")![1]).toEqual(["", "营运部", "开业前3天派两名员工负责气球充气", ""]);

      // What LibreOffice cannot show: formats, frozen header, filter and print setup, read back with exceljs.
      const workbook = await workbookOf(bytes);
      expect(workbook.worksheets.map((ws) => ws.name)).toEqual(["概览", "时间表", "人员分工", "预算", "KPI", "实际对比", ACTUALS_SHEET_NAME]);
      const ws = sheet(workbook, "预算");
      expect(ws.getCell("F2").value).toEqual({ formula: "ROUND(C2*E2,2)", result: 3000 });
      expect(ws.getCell("F4").value).toEqual({ formula: "ROUND(C4*E4,2)", result: 1500 });
      expect(ws.getCell("F8").value).toEqual({ formula: 'SUMIF(G2:G7,"否",F2:F7)', result: 6100 });
      expect(ws.getCell("F16").value).toEqual({ formula: 'SUMIF(G2:G14,"否",F2:F14)', result: 16100 });
      expect(ws.getCell("F18").value).toEqual({ formula: "F16-F17", result: 4600 });
      for (const address of ["E2", "F2", "F8", "F16", "F17", "F18"]) expect(ws.getCell(address).numFmt, address).toBe(MONEY_FORMAT);
      expect(ws.views[0]).toMatchObject({ state: "frozen", xSplit: 0, ySplit: 1 });
      expect(ws.autoFilter).toBe("A1:K14");
      expect(ws.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" });
      expect(ws.headerFooter.oddHeader).toBe(`&L${title}&R&A`);
      expect(ws.headerFooter.oddFooter).toBe("&C第 &P 页，共 &N 页");
      // 疯狂抢购商品负毛利补贴（20个SKU）: 14 full-width characters and 5 narrow ones, plus a margin.
      expect(ws.getColumn(2).width).toBe(35);
      expect(sheet(workbook, "概览").getCell("B13").value).toEqual({ formula: "'预算'!$F$16", result: 16100 });
      const compareSheet = sheet(workbook, "实际对比");
      expect(compareSheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(compareSheet.getCell("F2").value).toMatchObject({ formula: `SUMIF('${ACTUALS_SHEET_NAME}'!$A:$A,A2,'${ACTUALS_SHEET_NAME}'!$D:$D)` });
      expect(sheet(workbook, ACTUALS_SHEET_NAME).getCell("F2").numFmt).toBe("@");

      expect(await auditOf(planId)).toEqual([{ actorId: owner.id, detail: { revision: "draft" } }]);
      expect(server.loggedErrors).toEqual([]);
    },
    90_000,
  );

  it(
    "writes items that look like formulas as literal text, in Excel's cells and in LibreOffice",
    async () => {
      const risky = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+2", '=cmd|" /C calc"!A0'];
      const planId = await planWith(owner.id, "=HYPERLINK(\"http://x\",\"标题\")", [
        ...risky.map((item) => typed("宣传", item, "1", "项", "10")),
        { ...typed("=1+1", "正常项目", "2", "+件", "5"), owner: "-张三", note: "@备注" },
      ]);
      const response = await exportPlan(owner, planId);
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const workbook = await workbookOf(bytes);
      const ws = sheet(workbook, "预算");
      const items = risky.map((_, index) => ws.getCell(index + 2, 2));
      expect(items.map((cell) => cell.value)).toEqual(risky);
      for (const cell of items) {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
        expect(cell.numFmt).toBe("@");
      }
      const other = ws.getRow(risky.length + 3);
      expect([other.getCell(1).value, other.getCell(4).value, other.getCell(8).value, other.getCell(10).value]).toEqual(["=1+1", "+件", "-张三", "@备注"]);
      // The only formulas in the whole workbook are ours: none carries anything a person typed.
      const formulas: string[] = [];
      workbook.eachSheet((each) => each.eachRow((row) => row.eachCell((cell) => void (cell.formula && formulas.push(cell.formula)))));
      expect(formulas.filter((formula) => /HYPERLINK|1\+1|SUM\(A1\)|cmd|1\+2/.test(formula))).toEqual([]);
      expect(sheet(workbook, "概览").getCell("B1").value).toBe('=HYPERLINK("http://x","标题")');

      const dir = scratchDir();
      const file = join(dir, "risky.xlsx");
      writeFileSync(file, bytes);
      const [sheets] = await recalculated([file]);
      const budget = sheets!.get("预算")!;
      expect(budget.slice(1, risky.length + 1).map((row) => row[1])).toEqual(risky);
      expect(budget.find((row) => row[1] === "正常项目")!.slice(0, 10)).toEqual(["=1+1", "正常项目", "2", "+件", "¥5.00", "¥10.00", "否", "-张三", "", "@备注"]);
      expect(budget.find((row) => row[1] === "支出合计")![5]).toBe("¥70.00");
      expect(sheets!.get("概览")![0]).toEqual(["方案标题", '=HYPERLINK("http://x","标题")']);
    },
    90_000,
  );

  it("lets whoever may read the plan export it, and nobody else", async () => {
    const planId = await planWith(owner.id, "2027 端午 / 开业 *促销*", OPENING_BUDGET);
    await addToPlan(server.db, planId, viewer.id, "view", owner.id);

    const byViewer = await exportPlan(viewer, planId);
    expect(byViewer.status).toBe(200);
    // Characters no file system takes become "_"; the rest of the Chinese title is kept.
    expect(decodeURIComponent(byViewer.headers.get("content-disposition")!.split("filename*=UTF-8''")[1]!)).toBe("2027 端午 _ 开业 _促销_.xlsx");
    const viewerBook = await workbookOf(new Uint8Array(await byViewer.arrayBuffer()));
    expect(sheet(viewerBook, "预算").getCell("F16").value).toMatchObject({ result: 16100 });
    expect((await exportPlan(finance, planId)).status).toBe(200);
    const page = await (await as(viewer)).get(`/plans/${planId}`);
    const html = await page.text();
    expect(html).toContain(`href="/plans/${planId}/export?revision=draft"`);
    expect(html).toContain("导出 Excel（当前草稿）");
    // Without an approved revision there is nothing approved to export.
    expect(html).not.toContain("revision=approved");

    const refused = await exportPlan(outsider, planId);
    expect(refused.status).toBe(404);
    expect(refused.headers.get("content-type")).not.toBe(XLSX_TYPE);
    expect((await exportPlan(outsider, "no-such-plan-id-00000000")).status).toBe(404);
    const anonymous = await new HttpClient(server.url).get(`/plans/${planId}/export`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login");

    const bad = await exportPlan(owner, planId, "latest");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalidRevision", message: "请选择导出当前草稿（draft）或已批准版本（approved）。" });
    const none = await exportPlan(owner, planId, "approved");
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: "noApprovedRevision", message: "该方案还没有已批准的预算版本，只能导出当前草稿。" });

    expect(await auditOf(planId)).toEqual([
      { actorId: viewer.id, detail: { revision: "draft" } },
      { actorId: finance.id, detail: { revision: "draft" } },
    ]);
  });

  it(
    "exports a 25,000-line budget from a worker thread, never holding the event loop, with totals that match the database",
    async () => {
      const lines = Array.from({ length: 25_000 }, (_, i) => typed(["宣传", "DM特价促销", "物料"][i % 3]!, `项目 ${i + 1}`, String((i % 40) + 1), "个", String((i % 500) + 1), i % 9 === 0));
      const planId = await planWith(owner.id, "2027 双十一大促", lines);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const response = await exportPlan(owner, planId);
      const bytes = Buffer.from(await response.arrayBuffer());
      delay.disable();
      expect(response.status).toBe(200);
      expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
      // Built in a worker thread: the old in-memory build held the event loop for seconds.
      expect(delay.max / 1e6).toBeLessThan(1_000);
      const plan = (await findPlanById(server.db, planId))!;
      // The totals come last in 预算 (25,000 lines and four subtotals, a gap, then the totals):
      // the whole sheet was written, and agrees with the projection.
      const tail = await tailOf(bytes, "xl/worksheets/sheet4.xml", 4_000);
      expect(tail).toContain(`<f>SUMIF(G2:G25005,"否",F2:F25005)</f><v>${plan.spend_fen / 100}</v>`);
      expect(tail).toContain(`<f>F25007-F25008</f><v>${plan.net_fen / 100}</v>`);
    },
    120_000,
  );

  it("exports the approved snapshot, with its approvers, after the draft was reopened and changed", async () => {
    const planId = await planWith(owner.id, "2027 浦东店开业", OPENING_BUDGET);
    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    const revision = (await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).executeTakeFirst())!;
    for (const step of await listSteps(server.db, revision.id)) {
      const decided = await (await as(approvers[step.title])).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "同意" });
      expect(decided.status).toBe(302);
    }
    const page = await (await as(owner)).get(`/plans/${planId}`);
    const html = await page.text();
    expect(html).toContain(`href="/plans/${planId}/export?revision=draft"`);
    expect(html).toContain(`href="/plans/${planId}/export?revision=approved"`);
    expect(html).toContain("导出 Excel（已批准版本）");

    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "reopen", reason: "气球改为 20,000 个" })).status).toBe(200);
    const session = openPlan(await as(owner), planId);
    sessions.push(session);
    await waitUntil(() => session.state.synced, "the owner's editor synced");
    const balloons = readBlock(session.state.doc, "budget").rows.find((line) => line.item === "气球")!;
    updateRow(session.state.doc, "budget", balloons.id, { quantityHundredths: 2_000_000 });
    // Exported as soon as the server has the edit, before the projector's debounce is up:
    // the draft export brings the projection up to date first.
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await server.collab.documentState(planId));
      return readBlock(doc, "budget").rows.find((line) => line.id === balloons.id)?.quantityHundredths === 2_000_000;
    }, "the server has the edit");

    const approved = await workbookOf(new Uint8Array(await (await exportPlan(finance, planId, "approved")).arrayBuffer()));
    const draft = await workbookOf(new Uint8Array(await (await exportPlan(finance, planId, "draft")).arrayBuffer()));
    const balloonsRow = (workbook: ExcelJS.Workbook) => sheet(workbook, "预算").getRow(4);
    expect([balloonsRow(approved).getCell(2).value, balloonsRow(approved).getCell(3).value, balloonsRow(approved).getCell(6).value]).toEqual(["气球", 10000, { formula: "ROUND(C4*E4,2)", result: 1500 }]);
    expect([balloonsRow(draft).getCell(2).value, balloonsRow(draft).getCell(3).value, balloonsRow(draft).getCell(6).value]).toEqual(["气球", 20000, { formula: "ROUND(C4*E4,2)", result: 3000 }]);
    expect(sheet(approved, "预算").getCell("F16").value).toMatchObject({ result: 16100 });
    expect(sheet(draft, "预算").getCell("F16").value).toMatchObject({ result: 17600 });

    const overview = sheet(approved, "概览");
    const facts = new Map<string, unknown>();
    overview.eachRow((row) => facts.set(row.getCell(1).text, row.getCell(2).value));
    expect(facts.get("预算口径")).toBe(`预算版本 ${revision.number}（已批准）`);
    expect(facts.get("状态")).toBe("草稿");
    const steps: unknown[][] = [];
    overview.eachRow((row) => {
      if (["审核", "核准", "审批"].includes(row.getCell(1).text)) steps.push([1, 2, 3, 4, 6].map((col) => row.getCell(col).value));
    });
    expect(steps).toEqual([
      ["审核", "财务部", "赵敏", "已通过", "同意"],
      ["核准", "副总经理", "孙强", "已通过", "同意"],
      ["审批", "总经理", "周杰", "已通过", "同意"],
    ]);
    overview.eachRow((row) => {
      if (["审核", "核准", "审批"].includes(row.getCell(1).text)) expect(row.getCell(5).text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    });
    expect(facts.get("支出合计")).toEqual({ formula: "'预算'!$F$16", result: 16100 });

    expect(await auditOf(planId)).toEqual([
      { actorId: finance.id, detail: { revision: "approved", revisionNumber: revision.number } },
      { actorId: finance.id, detail: { revision: "draft" } },
    ]);
  });
});
