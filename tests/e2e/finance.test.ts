import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { expect, it } from "vitest";
import { ACTUALS_HEADER_ROW, ACTUALS_SHEET_NAME } from "~/domain/actuals-sheet";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";
import { makeMember } from "../support/factories";
import { addToPlan } from "../support/plans";

const suite = browserSuite({ seedDemo: false });

it("finance opens a plan, exports it, records and imports actual spend, reads the variance and chart, and generates the 复盘", async () => {
  const db = suite.server.db;
  const planner = await makeMember(db, { role: "planner", name: "李娜" });
  const finance = await makeMember(db, { role: "finance", title: "finance", name: "赵敏" });
  const line = { ...blankRow("budget", "2027-04-01"), quantityHundredths: 100 };
  const planId = await createPlan(
    db,
    planner.id,
    { title: "2027 超市开业", campaignType: "opening", startDate: "2027-04-01", endDate: "2027-04-30", store: "城东店" },
    {
      ...BLANK_PLAN,
      blocks: {
        ...BLANK_PLAN.blocks,
        budget: [
          { ...line, category: "宣传方案", item: "沿街条幅", quantityHundredths: 5000, unit: "条", unitPriceFen: 6000 },
          { ...line, category: "宣传方案", item: "电台软性广告", unit: "次", unitPriceFen: 100_000 },
          { ...line, category: "DM特价促销", item: "负毛利补贴", unit: "项", unitPriceFen: 1_000_000 },
        ],
        kpis: [{ name: "开业三日客流", unit: "人次", target: "15000", direction: "up", notes: "" }],
      },
    },
  );
  await addToPlan(db, planId, finance.id, "view", planner.id);
  const lineIds = new Map((await db.selectFrom("budget_lines").select(["line_id", "item"]).where("plan_id", "=", planId).execute()).map((row) => [row.item, row.line_id]));

  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, finance.username, finance.password);
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await page.locator("a", { hasText: "实际对比" }).first().click();
  await page.locator(".variance-table").waitFor();

  // Export: the workbook holds the budget with its line ids.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a", { hasText: "导出 Excel" }).first().click()]);
  expect(download.suggestedFilename()).toBe("2027 超市开业.xlsx");
  const exported = new ExcelJS.Workbook();
  await exported.xlsx.load(new Uint8Array(await readFile(await download.path())).buffer);
  expect(exported.getWorksheet("预算")).toBeDefined();

  // Two entries by hand.
  const add = page.locator("form.actuals-add");
  for (const [item, amount, invoice] of [["沿街条幅", "3,450", "FP-001"], ["电台软性广告", "900", "FP-002"]] as const) {
    await add.locator('select[name="lineId"]').selectOption(lineIds.get(item)!);
    await add.locator('input[name="spentOn"]').fill("2027-04-20");
    await add.locator('input[name="amount"]').fill(amount);
    await add.locator('input[name="vendor"]').fill("城东广告公司");
    await add.locator('input[name="invoiceNo"]').fill(invoice);
    await add.locator("button", { hasText: "保存" }).click();
    await expect.poll(() => page.locator(".actuals-entry-table tr[data-entry-id]").count()).toBe(invoice === "FP-001" ? 1 : 2);
  }

  // A file from Excel: the subsidy, keyed by its line id.
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(ACTUALS_SHEET_NAME);
  sheet.addRow([...ACTUALS_HEADER_ROW]);
  sheet.addRow([lineIds.get("负毛利补贴"), "负毛利补贴", "2027-04-28", 9800, "供应商联盟", "FP-003", "开业三天"]);
  const file = join(tmpdir(), `actuals-${planId}.xlsx`);
  await writeFile(file, new Uint8Array(await workbook.xlsx.writeBuffer()));
  await page.locator('.actuals-import-form input[type="file"]').setInputFiles(file);
  await page.locator(".actuals-import-form button[type='submit']").click();
  await page.locator("[data-import-summary]").waitFor();

  // The variance view and the chart.
  await page.reload();
  const row = (item: string) => page.locator(".variance-table tr[data-line-id]", { hasText: item });
  await expect.poll(() => row("沿街条幅").getAttribute("data-over-budget")).toBe("true");
  expect(await row("电台软性广告").getAttribute("data-over-budget")).toBeNull();
  expect(await page.locator('.variance-table tr[data-total="spend"]').innerText()).toMatch(/¥14,000\.00[\s\S]*¥14,150\.00/);
  await page.locator(".variance-chart svg").first().waitFor();

  // The 复盘 is generated into the plan document.
  await page.locator(".review-button button").click();
  await expect.poll(() => page.locator("[data-review-result]").getAttribute("data-review-result")).toBe("ok");
  await page.goto(`${suite.server.url}/plans/${planId}`);
  await expect.poll(() => page.locator(".plan-section > h2").allInnerTexts()).toEqual(expect.arrayContaining(["总结复盘（数据）", "总结复盘"]));

  noErrors();
  await context.close();
});
