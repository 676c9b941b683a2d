import { createWriteStream, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { ExportJobs } from "../server/exports/export-jobs";
import { openReader } from "../server/exports/plan-workbook-file";

/**
 * One measurement of bench/excel.ts, in a process of its own so that its peak RSS is the
 * export's. Both kinds load the same modules before the clock starts (the imports above),
 * so they start from the same baseline.
 *
 *   node --import tsx bench/excel-child.ts ours|reference <database> <planId> <output.xlsx>
 *
 * Prints one line of JSON: ExcelChildResult.
 */

export interface ExcelChildResult {
  ms: number;
  maxRssMb: number;
  /** RSS when the clock started: node, tsx and the imported modules. */
  baselineRssMb: number;
  bytes: number;
}

const PAGE = 500;

/** The export route's work after its session check: build the plan workbook, stream it into a file. */
async function ours(databasePath: string, planId: string, output: string): Promise<void> {
  const exports = new ExportJobs({ databasePath, log: (message, error) => console.error(message, error) });
  try {
    const file = await exports.planWorkbook({ planId, budget: { kind: "draft" }, exportedAt: Date.now() });
    await pipeline(file.stream, createWriteStream(output));
  } finally {
    await exports.close();
  }
}

/** A plain exceljs streaming writer: one sheet, the budget lines' cells as values, read page by page. */
async function reference(databasePath: string, planId: string, output: string): Promise<void> {
  const db = await openReader(databasePath);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: output });
    const sheet = workbook.addWorksheet("预算");
    sheet.addRow(["费用类别", "项目", "数量", "单位", "单价（¥）", "金额（¥）", "收入", "负责人", "季度", "备注", "预算明细编号"]).commit();
    for (let after = -1; ; ) {
      const rows = await db.selectFrom("budget_lines").selectAll().where("plan_id", "=", planId).where("position", ">", after).orderBy("position").limit(PAGE).execute();
      for (const row of rows) {
        const prices = row.unit_price_fen === null || row.amount_fen === null ? ["待定", "待定"] : [row.unit_price_fen / 100, row.amount_fen / 100];
        sheet
          .addRow([
            row.category,
            row.item,
            row.quantity_hundredths / 100,
            row.unit,
            ...prices,
            row.income === 1 ? "是" : "否",
            row.owner,
            row.quarter,
            row.note,
            row.line_id,
          ])
          .commit();
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.position;
    }
    sheet.commit();
    await workbook.commit();
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const [kind, databasePath, planId, output] = process.argv.slice(2);
  if ((kind !== "ours" && kind !== "reference") || !databasePath || !planId || !output) {
    throw new Error("usage: excel-child.ts ours|reference <database> <planId> <output.xlsx>");
  }
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  await (kind === "ours" ? ours : reference)(databasePath, planId, output);
  const ms = performance.now() - started;
  const result: ExcelChildResult = { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb, bytes: statSync(output).size };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
