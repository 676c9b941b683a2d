import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSteps } from "../../db/queries/approvals";
import { listBudgetLines } from "../../db/queries/projection";
import { ACTUALS_HEADER_ROW, ACTUALS_SHEET_NAME } from "~/domain/actuals-sheet";
import { blankRow, parsePriceCell, parseQuantityCell, type BudgetLine } from "~/domain/plan-document";
import type { ApproverTitle } from "~/domain/roles";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";
import { deflatedPart, deflatedZeros, workbookSkeleton, zipOf } from "../support/zip";

type Line = Omit<BudgetLine, "id">;

function typed(category: string, item: string, quantity: string, unit: string, price: string): Line {
  const q = parseQuantityCell(quantity);
  const p = parsePriceCell(price);
  if (!q.ok || !p.ok) throw new Error(`bad cell in test data: ${item}`);
  return { ...blankRow("budget", "2027-06-01"), category, item, quantityHundredths: q.value, unit, unitPriceFen: p.value };
}

/** ¥36,000 of spend: finance → deputy GM → GM approve it. */
const DRAGON_BOAT_BUDGET: Line[] = [typed("活动物料", "龙舟主题布景", "1", "项", "20,000"), typed("宣传推广", "朋友圈广告", "1", "项", "12,000"), typed("礼品", "粽子礼盒", "100", "盒", "40")];

let server: TestServer;
let owner: MadeMember;
let finance: MadeMember;
let admin: MadeMember;
let viewer: MadeMember;
let stranger: MadeMember;
const approvers = {} as Record<ApproverTitle, MadeMember>;

const as = signedInClients(() => server.url);

async function planWithBudget(title = "2027 端午节门店促销"): Promise<{ planId: string; lineIds: string[] }> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title, campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: DRAGON_BOAT_BUDGET } },
  );
  return { planId, lineIds: (await listBudgetLines(server.db, planId)).map((line) => line.line_id) };
}

/** The 实际录入 sheet as finance fills it in: header, then one row per entry. */
async function actualsFile(rows: unknown[][], sheetName = ACTUALS_SHEET_NAME): Promise<Buffer<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...ACTUALS_HEADER_ROW]);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(member: MadeMember, planId: string, bytes: Uint8Array<ArrayBuffer>, fileName = "实际支出.xlsx"): Promise<Response> {
  const client = await as(member);
  const form = new FormData();
  form.set("_csrf", client.cookies.get("cd_csrf") ?? "");
  form.set("file", new Blob([bytes]), fileName);
  return fetch(new URL(`/plans/${planId}/actuals/import`, server.url), {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { origin: server.url, cookie: client.cookieHeader },
  });
}

async function entries(planId: string) {
  return server.db
    .selectFrom("actual_entries")
    .select(["line_id", "spent_on", "amount_fen", "vendor", "invoice_no", "note", "source"])
    .where("plan_id", "=", planId)
    .orderBy("id")
    .execute();
}

async function totalFen(planId: string): Promise<number> {
  return (await entries(planId)).reduce((sum, entry) => sum + entry.amount_fen, 0);
}

/** Everything an import must never touch, for a before/after comparison. */
async function budgetState(planId: string) {
  const db = server.db;
  return {
    document: Buffer.from(await server.collab.documentState(planId)).toString("base64"),
    snapshots: await db.selectFrom("doc_snapshots").selectAll().where("plan_id", "=", planId).execute(),
    updates: await db.selectFrom("doc_updates").selectAll().where("plan_id", "=", planId).execute(),
    plan: await db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirst(),
    lines: await db.selectFrom("budget_lines").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    revisions: await db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).execute(),
    revisionLines: await db
      .selectFrom("revision_lines")
      .innerJoin("budget_revisions", "budget_revisions.id", "revision_lines.revision_id")
      .selectAll("revision_lines")
      .where("budget_revisions.plan_id", "=", planId)
      .execute(),
    steps: await db
      .selectFrom("approval_steps")
      .innerJoin("budget_revisions", "budget_revisions.id", "approval_steps.revision_id")
      .selectAll("approval_steps")
      .where("budget_revisions.plan_id", "=", planId)
      .execute(),
  };
}

/** Runs an upload while another member keeps loading the plan list; every one of those must succeed. */
async function whileOthersBrowse(work: () => Promise<Response>): Promise<Response> {
  const other = await as(viewer);
  let uploading = true;
  const answered: number[] = [];
  const browsing = (async () => {
    do {
      const response = await other.get("/plans");
      await response.arrayBuffer();
      answered.push(response.status);
    } while (uploading);
  })();
  try {
    return await work();
  } finally {
    uploading = false;
    await browsing;
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((status) => status === 200)).toBe(true);
    const after = await other.get("/plans");
    expect(after.status).toBe(200);
  }
}

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false, collab: { unloadDelayMs: 100 } });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  finance = await makeMember(server.db, { role: "finance", name: "赵敏" });
  admin = await makeMember(server.db, { role: "admin", name: "王总" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  stranger = await makeMember(server.db, { role: "planner", name: "陈晨" });
  approvers.finance = await makeMember(server.db, { role: "finance", title: "finance", name: "钱芳" });
  approvers.deputyGm = await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙强" });
  approvers.gm = await makeMember(server.db, { role: "manager", title: "gm", name: "周杰" });
  approvers.chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴刚" });
});

afterAll(async () => {
  as.clear();
  await server.close();
});

describe("actuals import", () => {
  it("refuses a file with one bad row and writes nothing, applies the corrected file at once, and counts each invoice once on re-import", async () => {
    const { planId, lineIds } = await planWithBudget();
    const [scenery, ads, gifts] = lineIds as [string, string, string];
    const good = [
      [scenery, "龙舟主题布景", new Date(Date.UTC(2027, 4, 20)), 18_500, "上海美景展览", "INV-2027-001", "布景尾款"],
      [ads, "朋友圈广告", "2027/5/25", "11,999.50", "腾讯广告", "INV-2027-002", ""],
      [gifts, "粽子礼盒", "2027-05-28", 3_960, "五芳斋", "INV-2027-003", "99 盒"],
    ];
    const badRow = [gifts, "粽子礼盒", "2027-05-29", "39.999", "五芳斋", "INV-2027-004", "补货"];

    const refused = await upload(finance, planId, await actualsFile([...good, badRow]));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ ok: false, status: 422, issues: [{ row: 5, code: "tooManyDecimals", params: {} }] });
    expect(await entries(planId)).toEqual([]);

    const corrected = [...good, [...badRow.slice(0, 3), "39.99", ...badRow.slice(4)]];
    const applied = await upload(finance, planId, await actualsFile(corrected));
    expect(applied.status).toBe(200);
    expect(await applied.json()).toEqual({ ok: true, summary: { rows: 4, totalFen: 3_449_949, created: 4, updated: 0, unchanged: 0 } });
    expect((await entries(planId)).map((e) => [e.line_id, e.spent_on, e.amount_fen, e.invoice_no, e.source])).toEqual([
      [scenery, "2027-05-20", 1_850_000, "INV-2027-001", "import"],
      [ads, "2027-05-25", 1_199_950, "INV-2027-002", "import"],
      [gifts, "2027-05-28", 396_000, "INV-2027-003", "import"],
      [gifts, "2027-05-29", 3_999, "INV-2027-004", "import"],
    ]);

    const again = await upload(finance, planId, await actualsFile(corrected));
    expect(await again.json()).toEqual({ ok: true, summary: { rows: 4, totalFen: 3_449_949, created: 0, updated: 0, unchanged: 4 } });
    expect(await entries(planId)).toHaveLength(4);
    expect(await totalFen(planId)).toBe(3_449_949);

    const edited = corrected.map((row) => (row[5] === "INV-2027-002" ? [...row.slice(0, 3), "12,000", ...row.slice(4)] : row));
    const updated = await upload(finance, planId, await actualsFile(edited));
    expect(await updated.json()).toEqual({ ok: true, summary: { rows: 4, totalFen: 3_449_999, created: 0, updated: 1, unchanged: 3 } });
    expect(await entries(planId)).toHaveLength(4);
    expect(await totalFen(planId)).toBe(3_449_999);

    const audit = await server.db.selectFrom("audit_log").select(["actor_id", "detail"]).where("action", "=", "actuals.import").where("target_id", "=", planId).orderBy("id").execute();
    expect(audit.map((a) => [a.actor_id, JSON.parse(a.detail) as unknown])).toEqual([
      [finance.id, { rows: 4, totalFen: 3_449_949, created: 4, updated: 0, unchanged: 0 }],
      [finance.id, { rows: 4, totalFen: 3_449_949, created: 0, updated: 0, unchanged: 4 }],
      [finance.id, { rows: 4, totalFen: 3_449_999, created: 0, updated: 1, unchanged: 3 }],
    ]);
  });

  it("names a line of another plan, a missing sheet and a wrong header", async () => {
    const { planId, lineIds } = await planWithBudget();
    const other = await planWithBudget("2027 中秋客户答谢晚会");
    const foreign = await upload(admin, planId, await actualsFile([[other.lineIds[0], "", "2027-05-20", 10, "", "INV-1", ""], [lineIds[0], "", "2027-05-20", 10, "", "INV-1", ""], ["no-such-line", "", "2027-05-20", 10, "", "INV-2", ""]]));
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toMatchObject({
      issues: [
        { row: 2, code: "otherPlanLine", params: { lineId: other.lineIds[0] } },
        { row: 4, code: "unknownLine", params: { lineId: "no-such-line" } },
      ],
    });
    expect(await (await upload(finance, planId, await actualsFile([], "预算"))).json()).toMatchObject({ issues: [{ row: null, code: "missingSheet" }] });
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet(ACTUALS_SHEET_NAME).addRow(["编号", ...ACTUALS_HEADER_ROW.slice(1)]);
    const header = await upload(finance, planId, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(await header.json()).toMatchObject({ issues: [{ row: 1, code: "badHeader", params: { column: "A", expected: "预算明细编号", found: "编号" } }] });
    expect(await entries(planId)).toEqual([]);
    expect(await entries(other.planId)).toEqual([]);
  });

  it("imports the actuals of an approved, locked plan without touching its budget, document, revisions or projection", async () => {
    const { planId, lineIds } = await planWithBudget();
    expect((await (await as(owner)).post(`/plans/${planId}/approval`, { intent: "submit" })).status).toBe(200);
    const revision = await server.db.selectFrom("budget_revisions").selectAll().where("plan_id", "=", planId).executeTakeFirstOrThrow();
    for (const step of await listSteps(server.db, revision.id)) {
      expect((await (await as(approvers[step.title])).post(`/approvals/${revision.id}`, { stepIndex: String(step.step_index), decision: "approve", comment: "" })).status).toBe(302);
    }
    expect(await server.db.selectFrom("plans").select(["status", "budget_locked"]).where("id", "=", planId).executeTakeFirst()).toEqual({ status: "approved", budget_locked: 1 });
    const before = await budgetState(planId);

    const response = await upload(finance, planId, await actualsFile([[lineIds[0], "龙舟主题布景", "2027-05-20", "21,000", "上海美景展览", "INV-9", "超支 ¥1,000"]]));
    expect(await response.json()).toEqual({ ok: true, summary: { rows: 1, totalFen: 2_100_000, created: 1, updated: 0, unchanged: 0 } });
    expect(await totalFen(planId)).toBe(2_100_000);
    expect(await budgetState(planId)).toEqual(before);
  });

  it("lets finance and admins import, refuses other roles with 403 and hides the plan from members who cannot read it", async () => {
    const { planId, lineIds } = await planWithBudget();
    await addToPlan(server.db, planId, viewer.id, "view", owner.id);
    const file = await actualsFile([[lineIds[0], "", "2027-05-20", 100, "", "INV-1", ""]]);
    expect((await upload(owner, planId, file)).status).toBe(403);
    expect((await upload(viewer, planId, file)).status).toBe(403);
    expect((await upload(stranger, planId, file)).status).toBe(404);
    expect((await upload(finance, "no-such-plan", file)).status).toBe(404);
    expect(await entries(planId)).toEqual([]);
    expect((await upload(admin, planId, file)).status).toBe(200);
    expect(await entries(planId)).toHaveLength(1);
  });

  it("refuses a 50 MB file, a zip bomb, a renamed .docx and a CSV with 413/422 while the server keeps answering", async () => {
    const { planId } = await planWithBudget();

    const huge = Buffer.alloc(50 * 1024 * 1024);
    huge.write("PK\u0003\u0004");
    const tooLarge = await whileOthersBrowse(() => upload(finance, planId, huge));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain("文件过大");
    // Without a Content-Length the body is counted as it streams and refused once past the cap.
    const client = await as(finance);
    const chunk = new Uint8Array(1024 * 1024);
    let streamed = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (streamed === 50) return controller.close();
        streamed += 1;
        controller.enqueue(chunk);
      },
    });
    const chunked = await whileOthersBrowse(() =>
      fetch(new URL(`/plans/${planId}/actuals/import`, server.url), {
        method: "POST",
        body,
        duplex: "half",
        headers: { origin: server.url, cookie: client.cookieHeader, "content-type": "multipart/form-data; boundary=x", "x-csrf-token": client.cookies.get("cd_csrf") ?? "" },
      }),
    );
    expect(chunked.status).toBe(413);

    const zeros = await deflatedZeros("xl/worksheets/sheet1.xml", 200 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const bomb = await whileOthersBrowse(() => upload(finance, planId, zipOf([...workbookSkeleton(), zeros])));
    expect(bomb.status).toBe(422);
    expect(await bomb.json()).toEqual({ ok: false, status: 422, file: "unzippedTooLarge" });
    // Declared small, inflates to 200 MB: caught while inflating.
    const liar = await whileOthersBrowse(() => upload(finance, planId, zipOf([...workbookSkeleton(), { ...zeros, declaredSize: 4096 }])));
    expect(liar.status).toBe(422);
    expect(await liar.json()).toEqual({ ok: false, status: 422, file: "damaged" });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);

    const docx = zipOf([deflatedPart("[Content_Types].xml", "<Types/>"), deflatedPart("_rels/.rels", "<Relationships/>"), deflatedPart("word/document.xml", "<w:document/>")]);
    const renamed = await whileOthersBrowse(() => upload(finance, planId, docx, "实际支出.xlsx"));
    expect(renamed.status).toBe(422);
    expect(await renamed.json()).toEqual({ ok: false, status: 422, file: "notXlsx" });

    const csv = await whileOthersBrowse(() => upload(finance, planId, Buffer.from("预算明细编号,项目,日期,金额,供应商,发票号,备注\nx,舞台,2027-05-20,100,,INV-1,\n"), "实际支出.xlsx"));
    expect(csv.status).toBe(422);
    expect(await csv.json()).toEqual({ ok: false, status: 422, file: "notXlsx" });

    expect(await entries(planId)).toEqual([]);
    expect(server.loggedErrors).toEqual([]);
  });
});
