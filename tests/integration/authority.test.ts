import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AUTHORITY_MATRIX_SETTING, loadAuthorityMatrix, saveAuthorityMatrix } from "~/services/authority.server";
import { DEFAULT_AUTHORITY_MATRIX } from "~/domain/approval";
import { draftFromMatrix, type MatrixDraft } from "~/domain/authority-form";
import type { Role } from "~/domain/roles";
import { getSetting } from "../../db/queries/settings";
import { updateUser } from "../../db/queries/users";
import { HttpClient } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let adminMember: MadeMember;
let admin: HttpClient;
let chairman: MadeMember;

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  adminMember = await makeMember(server.db, { role: "admin", name: "王管理" });
  await makeMember(server.db, { role: "finance", title: "finance", name: "赵财务" });
  await makeMember(server.db, { role: "manager", title: "deputyGm", name: "孙副总" });
  await makeMember(server.db, { role: "manager", title: "gm", name: "周总" });
  chairman = await makeMember(server.db, { role: "manager", title: "chairman", name: "吴董事长" });
  admin = new HttpClient(server.url);
  await admin.login(adminMember.username, adminMember.password);
});
afterAll(() => server.close());

// Each test starts from the default matrix, as a workspace that never saved one.
beforeEach(async () => {
  await server.db.deleteFrom("app_settings").where("key", "=", AUTHORITY_MATRIX_SETTING).execute();
});

/** The fields the page's form posts for a draft, as a browser sends them. */
function formOf(draft: MatrixDraft, intent = "save"): Record<string, string> {
  const fields: Record<string, string> = { intent };
  draft.workItems.forEach((item, i) => {
    fields[`workItems[${i}].key`] = item.key;
    fields[`workItems[${i}].name`] = item.name;
    item.bands.forEach((band, b) => {
      fields[`workItems[${i}].bands[${b}].overYuan`] = band.overYuan;
      fields[`workItems[${i}].bands[${b}].upToYuan`] = band.upToYuan;
      band.steps.forEach((step, s) => (fields[`workItems[${i}].bands[${b}].steps[${s}]`] = step));
    });
  });
  draft.categoryMap.forEach((m, j) => {
    fields[`categoryMap[${j}].category`] = m.category;
    fields[`categoryMap[${j}].workItem`] = m.workItem;
  });
  fields.changeLimitPercent = draft.changeLimitPercent;
  return fields;
}

/** The default matrix's form with the reception threshold moved. */
function receptionThreshold(upTo: string, over: string): Record<string, string> {
  const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
  draft.workItems[1]!.bands[0]!.upToYuan = upTo;
  draft.workItems[1]!.bands[1]!.overYuan = over;
  return formOf(draft);
}

/** React separates adjacent text with comments; the reader sees one string. */
async function textOf(response: Response): Promise<string> {
  return (await response.text()).replaceAll("<!-- -->", "");
}

/** The value an input of the page shows. */
function inputValue(html: string, name: string): string | undefined {
  const escaped = name.replace(/[[\].]/g, "\\$&");
  return new RegExp(`<input[^>]*name="${escaped}"[^>]*value="([^"]*)"`).exec(html)?.[1];
}

async function auditCount(action: string): Promise<number> {
  return (await server.db.selectFrom("audit_log").select("id").where("action", "=", action).execute()).length;
}

async function expectNothingSaved(auditBefore: number) {
  expect(await getSetting(server.db, AUTHORITY_MATRIX_SETTING)).toBeUndefined();
  expect(await loadAuthorityMatrix(server.db)).toEqual(DEFAULT_AUTHORITY_MATRIX);
  expect(await auditCount("authority.update")).toBe(auditBefore);
}

describe("admin: authority matrix", () => {
  it("shows the default table with bands in Chinese, the title holders, the mapping and the change limit", async () => {
    const response = await admin.get("/admin/authority");
    expect(response.status).toBe(200);
    const html = await textOf(response);
    expect(html).toContain("审批权限表");
    expect(html).toContain("活动预算/资金支付");
    expect(html).toContain("¥50,000.00 以下（含）");
    expect(html).toContain("¥50,000.00 以上 – ¥500,000.00（含）");
    expect(html).toContain("¥500,000.00 以上");
    expect(html).toContain("¥500.00 以下（含）");
    expect(html).toContain("吴董事长");
    expect(html).toContain("业务接待 → 业务接待费用");
    expect(html).toContain("15%");
    expect(inputValue(html, "workItems[1].bands[0].upToYuan")).toBe("500.00");
  });

  it("saves a valid change, which the approval workflow then reads, and audits who made it", async () => {
    const before = await auditCount("authority.update");
    const startedAt = Date.now();
    const response = await admin.post("/admin/authority", receptionThreshold("800", "800.00"));
    expect(response.status).toBe(200);
    expect(await textOf(response)).toContain("审批权限表已保存");

    const matrix = await loadAuthorityMatrix(server.db);
    expect(matrix.workItems[1]!.bands.map((b) => [b.overFen, b.upToFen])).toEqual([
      [null, 80_000],
      [80_000, null],
    ]);
    expect(matrix.workItems[0]).toEqual(DEFAULT_AUTHORITY_MATRIX.workItems[0]);

    const entries = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "authority.update").orderBy("id", "desc").execute();
    expect(entries).toHaveLength(before + 1);
    expect(entries[0]).toMatchObject({ actor_id: adminMember.id, target_type: "authorityMatrix", target_id: AUTHORITY_MATRIX_SETTING });
    expect(entries[0]!.at).toBeGreaterThanOrEqual(startedAt);
    const detail = JSON.parse(entries[0]!.detail) as { from: Record<string, unknown>; to: Record<string, unknown> };
    expect(detail.from.reception).toBe("业务接待费用: 0–500.00 finance>deputyGm>gm; 500.00– finance>gm>chairman");
    expect(detail.to.reception).toBe("业务接待费用: 0–800.00 finance>deputyGm>gm; 800.00– finance>gm>chairman");
  });

  it("refuses a gap between bands with the amounts it leaves out, and saves nothing", async () => {
    const before = await auditCount("authority.update");
    const response = await admin.post("/admin/authority", receptionThreshold("500", "600"));
    expect(response.status).toBe(400);
    const html = await textOf(response);
    expect(html).toContain("¥500.00 至 ¥600.00 之间没有对应的审批链。");
    expect(inputValue(html, "workItems[1].bands[1].overYuan")).toBe("600");
    await expectNothingSaved(before);
  });

  it("refuses overlapping bands and an upper limit on the top band, and saves nothing", async () => {
    const before = await auditCount("authority.update");
    const fields = receptionThreshold("500", "400");
    fields["workItems[0].bands[2].upToYuan"] = "9,000,000";
    const response = await admin.post("/admin/authority", fields);
    expect(response.status).toBe(400);
    const html = await textOf(response);
    expect(html).toContain("¥400.00 至 ¥500.00 之间与上一档重叠。");
    expect(html).toContain("最高一档应为「以上」不设上限");
    await expectNothingSaved(before);
  });

  it("refuses a step whose title no active member holds, and names the title", async () => {
    const before = await auditCount("authority.update");
    await updateUser(server.db, chairman.id, { active: false }, Date.now());
    try {
      const page = await textOf(await admin.get("/admin/authority"));
      expect(page).toContain("董事长（无人担任）");
      const response = await admin.post("/admin/authority", receptionThreshold("800", "800"));
      expect(response.status).toBe(400);
      expect(await textOf(response)).toContain("目前没有在职成员担任「董事长」。");
      await expectNothingSaved(before);
    } finally {
      await updateUser(server.db, chairman.id, { active: true }, Date.now());
    }
  });

  it("refuses unreadable amounts, a bad change limit and the main row in the mapping beside each field", async () => {
    const before = await auditCount("authority.update");
    const fields = receptionThreshold("五百", "500");
    fields.changeLimitPercent = "150";
    fields["categoryMap[0].workItem"] = "budget";
    const response = await admin.post("/admin/authority", fields);
    expect(response.status).toBe(400);
    const html = await textOf(response);
    expect(html).toContain('id="workItems[1].bands[0].upToYuan-error"');
    expect(html).toContain("请输入金额，如 50000 或 50,000.00。");
    expect(html).toContain("请填写 1–100 之间的整数。");
    await expectNothingSaved(before);

    const mapped = formOf(draftFromMatrix(DEFAULT_AUTHORITY_MATRIX));
    mapped["categoryMap[0].workItem"] = "budget";
    const refused = await admin.post("/admin/authority", mapped);
    expect(refused.status).toBe(400);
    expect(await textOf(refused)).toContain("「业务接待」不能对应第一行");
    await expectNothingSaved(before);
  });

  it("adds a work item with a server-made key, maps a category to it and saves both", async () => {
    const added = await admin.post("/admin/authority", formOf(draftFromMatrix(DEFAULT_AUTHORITY_MATRIX), "addItem"));
    expect(added.status).toBe(200);
    expect(inputValue(await textOf(added), "workItems[2].key")).toBe("item3");
    expect(await getSetting(server.db, AUTHORITY_MATRIX_SETTING)).toBeUndefined();

    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    draft.workItems.push({ key: "item3", name: "礼品采购", bands: [{ overYuan: "", upToYuan: "", steps: ["finance", "gm", "gm"] }] });
    draft.categoryMap.push({ category: "礼品", workItem: "item3" });
    const saved = await admin.post("/admin/authority", formOf(draft));
    expect(saved.status).toBe(200);
    const matrix = await loadAuthorityMatrix(server.db);
    expect(matrix.workItems[2]).toEqual({ key: "item3", name: "礼品采购", bands: [{ overFen: null, upToFen: null, steps: ["finance", "gm", "gm"] }] });
    expect(matrix.categoryMap).toEqual({ 业务接待: "reception", 业务接待费用: "reception", 礼品: "item3" });
  });

  it("keeps the main row when asked to remove it", async () => {
    const response = await admin.post("/admin/authority", formOf(draftFromMatrix(DEFAULT_AUTHORITY_MATRIX), "removeItem:0"));
    expect(response.status).toBe(200);
    const html = await textOf(response);
    expect(inputValue(html, "workItems[0].key")).toBe("budget");
    expect(inputValue(html, "workItems[1].key")).toBe("reception");
  });

  it("restores the default and audits it", async () => {
    const changed = structuredClone(DEFAULT_AUTHORITY_MATRIX);
    changed.changeLimitPercent = 30;
    expect(await saveAuthorityMatrix(server.db, adminMember.id, changed)).toEqual({ ok: true, changed: true });
    const before = await auditCount("authority.reset");
    const response = await admin.post("/admin/authority", { intent: "reset" });
    expect(response.status).toBe(200);
    expect(await textOf(response)).toContain("已恢复为默认审批权限表。");
    expect(await loadAuthorityMatrix(server.db)).toEqual(DEFAULT_AUTHORITY_MATRIX);
    expect(await auditCount("authority.reset")).toBe(before + 1);
  });

  it("refuses every member who is not an admin, reading or saving", async () => {
    for (const role of ["planner", "manager", "finance", "viewer"] as const satisfies readonly Role[]) {
      const member = await makeMember(server.db, { role });
      const client = new HttpClient(server.url);
      await client.login(member.username, member.password);
      expect((await client.get("/admin/authority")).status, role).toBe(403);
      expect((await client.post("/admin/authority", receptionThreshold("800", "800"))).status, role).toBe(403);
      expect((await client.post("/admin/authority", { intent: "reset" })).status, role).toBe(403);
    }
    expect(await getSetting(server.db, AUTHORITY_MATRIX_SETTING)).toBeUndefined();
  });
});
