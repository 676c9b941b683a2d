import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readActualsSheet, unzipWorkbook } from "./actuals-reader.server";
import { ACTUALS_HEADER_ROW } from "~/domain/actuals-sheet";
import { writePlanWorkbook, type Pace, type PlanWorkbookInput, type WorkbookBudgetLine } from "./plan-workbook";

function line(id: string, category: string, item: string, quantityHundredths: number, unitPriceFen: number | null, income = false): WorkbookBudgetLine {
  const amountFen = unitPriceFen === null ? null : Math.round((quantityHundredths * unitPriceFen) / 100);
  return { id, category, item, quantityHundredths, unit: "个", unitPriceFen, amountFen, income, owner: "市场部", quarter: "Q2", note: "" };
}

function input(budget: WorkbookBudgetLine[]): PlanWorkbookInput {
  return {
    plan: { title: "2027 浦东店开业", campaignType: "opening", store: "浦东店", startDate: "2027-04-01", endDate: "2027-05-10", anchor: "2027-04-28", ownerName: "李娜", status: "draft" },
    revision: { kind: "draft" },
    approval: {
      number: 1,
      status: "pending",
      submitterName: "李娜",
      submittedAt: Date.UTC(2027, 2, 1, 2),
      steps: [{ kind: "review", title: "finance", decision: "approve", deciderName: "赵敏", decidedAt: Date.UTC(2027, 2, 2, 3), comment: "同意" }],
    },
    budget,
    timeline: [{ phase: "prep", phaseLabel: "筹备", task: "确定DM商品", start: "2027-04-01", end: "2027-04-10", owner: "采购部", status: "notStarted", dependsOn: "" }],
    roles: [{ person: "王磊", role: "营运部", duties: "气球充气", contact: "" }],
    kpis: [{ name: "客流", unit: "人次", target: "15000", direction: "up", notes: "", actual: "12000" }],
    actuals: [
      { lineId: "line-balloons", spentOn: "2027-04-25", amountFen: 162_000, vendor: "气球批发", invoiceNo: "00123", note: "" },
      { lineId: "line-elsewhere", spentOn: "2027-04-26", amountFen: 5_000, vendor: "", invoiceNo: "INV-9", note: "不在预算中" },
    ],
    exportedAt: Date.UTC(2027, 3, 30, 12),
  };
}

const BUDGET = [
  line("line-banners", "宣传", "沿街条幅", 5_000, 6_000),
  line("line-balloons", "宣传", "气球", 1_000_000, 15),
  line("line-fees", "DM特价促销", "进场费", 5_000, 5_000, true),
  line("line-gifts", "宣传", "礼品", 10_000, null),
];

async function written(workbookInput: PlanWorkbookInput, pace: Pace = () => undefined): Promise<Buffer<ArrayBuffer>> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await writePlanWorkbook(workbookInput, output, pace);
  return Buffer.concat(chunks);
}

async function read(bytes: Buffer<ArrayBuffer>): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return workbook;
}

async function entries(bytes: Buffer): Promise<ReadonlyMap<string, Buffer>> {
  const unzipped = await unzipWorkbook(bytes);
  if (!unzipped.ok) throw new Error(`not a workbook: ${unzipped.refusal.code}`);
  return unzipped.entries;
}

describe("plan workbook", () => {
  it("writes every sheet with its formulas, cached results, formats, frozen header, filter and print setup", async () => {
    const bytes = await written(input(BUDGET));
    const workbook = await read(bytes);
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual(["概览", "时间表", "人员分工", "预算", "KPI", "实际对比", "实际录入"]);
    expect(workbook.creator).toBe("活动策划台");
    expect(workbook.title).toBe("2027 浦东店开业");

    const budget = workbook.getWorksheet("预算")!;
    // 宣传: three lines (one 待定) and its spend subtotal; then DM特价促销's line and income subtotal; then the totals.
    expect([2, 3, 4, 5, 6, 7].map((row) => budget.getCell(row, 2).value)).toEqual(["沿街条幅", "气球", "礼品", "小计（支出）", "进场费", "小计（收入）"]);
    expect(budget.getCell("F2").value).toEqual({ formula: "ROUND(C2*E2,2)", result: 3000 });
    expect([budget.getCell("E4").value, budget.getCell("F4").value]).toEqual(["待定", "待定"]);
    expect(budget.getCell("F5").value).toEqual({ formula: 'SUMIF(G2:G4,"否",F2:F4)', result: 4500 });
    expect(budget.getCell("J5").value).toBe("1 项待定");
    expect(budget.getCell("F7").value).toEqual({ formula: 'SUMIF(G6:G6,"是",F6:F6)', result: 2500 });
    expect(budget.getCell("F9").value).toEqual({ formula: 'SUMIF(G2:G7,"否",F2:F7)', result: 4500 });
    expect(budget.getCell("F11").value).toEqual({ formula: "F9-F10", result: 2000 });
    for (const address of ["E2", "F2", "F5", "F9", "F11"]) expect(budget.getCell(address).numFmt, address).toBe('"¥"#,##0.00');
    expect(budget.getCell("A5").fill).toMatchObject({ pattern: "solid", fgColor: { argb: "FFF3F4F6" } });
    expect(budget.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(budget.autoFilter).toBe("A1:K7");
    expect(budget.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(budget.headerFooter.oddHeader).toBe("&L2027 浦东店开业&R&A");
    expect(budget.getColumn(2).width).toBe(14);

    expect(workbook.getWorksheet("概览")!.getCell("B13").value).toEqual({ formula: "'预算'!$F$9", result: 4500 });
    const compare = workbook.getWorksheet("实际对比")!;
    expect(compare.getCell("A3").value).toBe("line-balloons");
    expect(compare.getCell("E3").value).toEqual({ formula: "N('预算'!F3)", result: 1500 });
    expect(compare.getCell("F3").value).toEqual({ formula: "SUMIF('实际录入'!$A:$A,A3,'实际录入'!$D:$D)", result: 1620 });
    expect(compare.getCell("H3").value).toEqual({ formula: 'IF(E3=0,"",G3/E3)', result: 0.08 });
    expect(compare.getCell("A6").value).toBe("line-elsewhere");
    const entered = workbook.getWorksheet("实际录入")!;
    expect(entered.getCell("F2").value).toBe("00123");
    expect(entered.getCell("F2").numFmt).toBe("@");
    expect(entered.getColumn(4).numFmt).toBe('"¥"#,##0.00');

    const parts = await entries(bytes);
    const book = parts.get("xl/workbook.xml")!.toString("utf8");
    expect(book).toContain('fullCalcOnLoad="1"');
    expect(book).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="3">&apos;预算&apos;!$1:$1</definedName>`);
  });

  it("tells 退回修改 and 驳回 apart in 概览's status and its 审批流程", async () => {
    const overview = async (outcome: "changesRequested" | "rejected") => {
      const decision = outcome === "rejected" ? "reject" : "requestChanges";
      const base = input(BUDGET);
      const workbook = await read(
        await written({
          ...base,
          plan: { ...base.plan, status: outcome },
          approval: {
            number: 2,
            status: outcome,
            submitterName: "李娜",
            submittedAt: Date.UTC(2027, 2, 1, 2),
            steps: [
              { kind: "review", title: "finance", decision: "approve", deciderName: "赵敏", decidedAt: Date.UTC(2027, 2, 2, 3), comment: "" },
              { kind: "endorse", title: "gm", decision, deciderName: "周杰", decidedAt: Date.UTC(2027, 2, 3, 3), comment: "物料单价偏高" },
              { kind: "approve", title: "chairman", decision: null, deciderName: null, decidedAt: null, comment: "" },
            ],
          },
        }),
      );
      const sheet = workbook.getWorksheet("概览")!;
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const flow = rows.findIndex((row) => row[0] === "审批流程");
      return { status: rows.find((row) => row[0] === "状态")?.[1], summary: rows[flow]?.[1], steps: rows.slice(flow + 2, flow + 5).map((row) => [row[2] ?? "", row[3], row[5] ?? ""]) };
    };
    expect(await overview("changesRequested")).toEqual({
      status: "退回修改",
      summary: "预算版本 2 · 已退回修改 · 提交人 李娜 · 2027-03-01 10:00",
      steps: [["赵敏", "已通过", ""], ["周杰", "已退回修改", "物料单价偏高"], ["", "未开始", ""]],
    });
    expect(await overview("rejected")).toEqual({
      status: "已驳回",
      summary: "预算版本 2 · 已驳回 · 提交人 李娜 · 2027-03-01 10:00",
      steps: [["赵敏", "已通过", ""], ["周杰", "已驳回", "物料单价偏高"], ["", "未开始", ""]],
    });
  });

  it("gives the actuals importer its own sheet back", async () => {
    const { rows } = await readActualsSheet(await entries(await written(input(BUDGET))));
    // Empty text is an empty cell (still in the Text format), which the importer reads as nothing typed.
    expect(rows?.map((row) => row.cells)).toEqual([
      [...ACTUALS_HEADER_ROW],
      ["line-balloons", "气球", new Date("2027-04-25T00:00:00Z"), 1620, "气球批发", "00123", null],
      ["line-elsewhere", null, new Date("2027-04-26T00:00:00Z"), 50, null, "INV-9", "不在预算中"],
    ]);
  });

  it("streams: the zip is under way while rows are still being written, paced by the caller", async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => line(`line-${String(i).padStart(6, "0")}`, `类别${i % 7}`, `项目 ${i}`, 100 + i, 1_000 + i));
    const output = new PassThrough();
    let received = 0;
    output.on("data", (chunk: Buffer) => (received += chunk.length));
    const seen: number[] = [];
    let calls = 0;
    await writePlanWorkbook(input(lines), output, () => {
      calls += 1;
      if (calls % 500 !== 0) return undefined;
      seen.push(received);
      return new Promise((resolve) => setImmediate(resolve));
    });
    // A row of the budget, one of 实际对比, and the measuring pass of each: the caller could pause after every one.
    expect(calls).toBeGreaterThan(4 * lines.length);
    const firstBytes = seen.findIndex((bytes) => bytes > 0);
    expect(firstBytes).toBeGreaterThanOrEqual(0);
    expect(firstBytes).toBeLessThan(seen.length / 2);
    expect(received).toBeGreaterThan(seen[firstBytes]!);
  });
});
