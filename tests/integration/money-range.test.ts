import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBudgetLines } from "../../db/queries/projection";
import { ACTUALS_HEADER_ROW, ACTUALS_SHEET_NAME } from "~/domain/actuals-sheet";
import { blankRow } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: MadeMember;
let finance: MadeMember;
const as = signedInClients(() => server.url);

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner" });
  finance = await makeMember(server.db, { role: "finance", title: "finance" });
});
afterAll(async () => {
  as.clear();
  await server.close();
});

async function planWithLine(title: string): Promise<{ planId: string; lineId: string }> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [{ ...blankRow("budget", "2027-06-01"), category: "活动物料", item: "主舞台", unitPriceFen: 2_000_000 }] } },
  );
  return { planId, lineId: (await listBudgetLines(server.db, planId))[0]!.line_id };
}

async function actualsFile(rows: unknown[][]): Promise<Buffer<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(ACTUALS_SHEET_NAME);
  sheet.addRow([...ACTUALS_HEADER_ROW]);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(planId: string, bytes: Uint8Array<ArrayBuffer>): Promise<Response> {
  const client = await as(finance);
  const form = new FormData();
  form.set("_csrf", client.cookies.get("cd_csrf") ?? "");
  form.set("file", new Blob([bytes]), "实际支出.xlsx");
  return fetch(new URL(`/plans/${planId}/actuals/import`, server.url), { method: "POST", body: form, redirect: "manual", headers: { origin: server.url, cookie: client.cookieHeader } });
}

const entriesOf = (planId: string) => server.db.selectFrom("actual_entries").selectAll().where("plan_id", "=", planId).orderBy("id").execute();

describe("money beyond a plan's range", () => {
  it("refuses the import that would take a plan's actual spend past ¥1,000,000,000,000, changing nothing", async () => {
    const { planId, lineId } = await planWithLine("2027 端午节门店促销");
    // 100 invoices of ¥10,000,000,000 (the largest single amount): exactly the ¥1,000,000,000,000 a plan may hold.
    const batch = (prefix: string, length: number) => Array.from({ length }, (_, i) => [lineId, "主舞台", "2027-06-01", "10,000,000,000", "供应商", `${prefix}-${i}`, ""]);
    const first = await upload(planId, await actualsFile(batch("A", 100)));
    expect(first.status).toBe(200);
    const before = await entriesOf(planId);
    expect(before).toHaveLength(100);

    const second = await upload(planId, await actualsFile(batch("B", 1)));
    expect(second.status).toBe(422);
    const body = (await second.json()) as { ok: false; issues: { row: number; code: string }[] };
    expect(body.ok).toBe(false);
    expect(body.issues[0]).toMatchObject({ code: "planTotalTooLarge" });
    expect(await entriesOf(planId)).toEqual(before);

    // The 5,000-row file of the report is refused outright.
    const huge = Array.from({ length: 5_000 }, (_, i) => [lineId, "主舞台", "2027-06-01", "10,000,000,000", "供应商", `C-${i}`, ""]);
    expect((await upload(planId, await actualsFile(huge))).status).toBe(422);
    expect(await entriesOf(planId)).toEqual(before);

    // One more fen typed by hand is refused too, with the reason beside the amount.
    const manual = await (await as(finance)).post(`/plans/${planId}/actuals`, { intent: "create", lineId, spentOn: "2027-06-02", amount: "0.01" });
    expect(manual.status).toBe(400);
    expect(await manual.text()).toContain("超出单个活动方案的上限");
    expect(await entriesOf(planId)).toEqual(before);
  });

  it("still renders the pages and lets finance delete entries that are already beyond range", async () => {
    const { planId, lineId } = await planWithLine("2027 中秋客户答谢晚会");
    // As two accepted imports of 5,000 × ¥10,000,000,000 left it: ¥100,000,000,000,000, past exact arithmetic.
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ amount_fen: 1_000_000_000_000, invoice_no: `X-${i}` })).map((row) => ({ plan_id: planId, line_id: lineId, spent_on: "2027-09-01", vendor: "", note: "", source: "import" as const, created_by: finance.id, created_at: 1, ...row }));
    for (let start = 0; start < rows.length; start += 50) await server.db.insertInto("actual_entries").values(rows.slice(start, start + 50)).execute();

    const client = await as(finance);
    const page = await client.get(`/plans/${planId}/actuals`);
    expect(page.status).toBe(200);
    const pageText = await page.text();
    expect(pageText).toContain("金额超出范围");
    expect(pageText).toContain("金额超出范围，无法绘制图表");
    const finance2027 = await client.get("/finance?from=2027-01-01&to=2027-12-31");
    expect(finance2027.status).toBe(200);
    const financeText = await finance2027.text();
    expect(financeText).toContain("金额超出范围");
    expect(financeText).toContain("其实际支出与差异不计入合计");
    expect((await client.get("/dashboard")).status).toBe(200);

    const huge = (await entriesOf(planId)).find((entry) => entry.invoice_no === "X-0")!;
    const deleted = await client.post(`/plans/${planId}/actuals`, { intent: "delete", entryId: String(huge.id) });
    expect(deleted.status).toBe(302);
    expect((await entriesOf(planId)).some((entry) => entry.id === huge.id)).toBe(false);
  });
});
