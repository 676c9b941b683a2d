// The audit log in the member's language (issue 18): what the demo and real requests record has a label for every key, and the page shows no raw key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../db/queries/audit";
import { findUserByUsername } from "../../db/queries/users";
import { auditDetailEntries, unknownDetailKeys } from "~/domain/audit";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { HttpClient } from "../support/http-client";
import { makePlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: true });
  admin = new HttpClient(server.url);
  expect((await admin.login("admin", DEMO_PASSWORD)).status).toBe(302);
});
afterAll(() => server.close());

function tableBody(html: string): string {
  const start = html.indexOf("<tbody>");
  return start === -1 ? "" : html.slice(start, html.indexOf("</tbody>", start)).replaceAll("<!-- -->", "");
}

describe("audit detail labels", () => {
  it("knows every key of every entry the demo and real requests record", async () => {
    const planner = await findUserByUsername(server.db, "planner");
    const planId = await makePlan(server.db, planner!.id, "2027 审计标签测试");
    const plannerClient = new HttpClient(server.url);
    expect((await plannerClient.login("planner", DEMO_PASSWORD)).status).toBe(302);
    const viewer = await findUserByUsername(server.db, "viewer");
    expect((await plannerClient.post(`/plans/${planId}`, { intent: "setMember", userId: String(viewer!.id), access: "view" })).status).toBeLessThan(400);
    expect((await plannerClient.post(`/plans/${planId}`, { intent: "archive" })).status).toBe(302);

    const rows = await server.db.selectFrom("audit_log").select(["action", "detail"]).execute();
    expect(new Set(rows.map((r) => r.action)).size).toBeGreaterThanOrEqual(4);
    const unknown = rows.flatMap((row) => unknownDetailKeys(row.action, auditDetailEntries(row.detail).map((entry) => entry.key)).map((key) => `${row.action}: ${key}`));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("shows labels and formatted values, never the raw keys the issue found", async () => {
    const planner = await findUserByUsername(server.db, "planner");
    const planId = await makePlan(server.db, planner!.id, "2027 复盘标签测试");
    const now = Date.now();
    // The shapes plan.review.generate, actuals.import and holidays.update write (their flows need a document, a workbook and a year).
    await recordAudit(server.db, { actorId: planner!.id, action: "plan.review.generate", targetType: "plan", targetId: planId, detail: { dataSectionId: "sec-data", notesSectionId: "sec-notes", notesCreated: true, basis: { kind: "approved", revisionNumber: 2 }, kpiResults: 3 }, at: now });
    await recordAudit(server.db, { actorId: planner!.id, action: "actuals.import", targetType: "plan", targetId: planId, detail: { rows: 4, totalFen: 38_000_000, created: 3, updated: 1, unchanged: 0 }, at: now + 1 });
    await recordAudit(server.db, { actorId: planner!.id, action: "holidays.update", targetType: "holidays", targetId: "2027", detail: { holidays: ["2027-10-01", "2027-10-02"], workdays: ["2027-09-26"] }, at: now + 2 });

    const body = tableBody(await (await admin.get(`/admin/audit?actor=${planner!.id}`)).text());
    for (const raw of ["dataSectionId", "notesSectionId", "basis.kind", ">approved<", "rows:", "totalFen", "created:", ">holidays<", "holidays:"]) expect(body).not.toContain(raw);
    for (const label of ["复盘数据章节编号", "预算依据", "已批准预算", "导入行数", "导入金额合计", "¥380,000.00", "法定节假日", "放假日期", "2027年10月1日"]) expect(body).toContain(label);

    const english = new HttpClient(server.url);
    expect((await english.login("admin", DEMO_PASSWORD)).status).toBe(302);
    expect((await english.post("/locale", { locale: "en" })).status).toBeLessThan(400);
    const en = tableBody(await (await english.get(`/admin/audit?actor=${planner!.id}`)).text());
    for (const label of ["Budget basis", "Approved budget", "Rows imported", "Total imported", "Official holidays", "Oct 1, 2027"]) expect(en).toContain(label);
    expect(en).not.toMatch(/导入行数|法定节假日|预算依据/);
  });
});
