import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBudgetLines } from "../../db/queries/projection";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_ENTRY } from "~/domain/attachments";
import { blankRow, type BudgetLine } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { addAttachment, checkUpload } from "~/services/attachments.server";
import { signedInClients } from "../support/http-client";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { startTestServer, type TestServer } from "../support/server";

/** 发票附件: invoice photos on actual spend entries, against hostile files, outsiders and parallel uploads. */

let server: TestServer;
let owner: MadeMember;
let viewer: MadeMember;
let outsider: MadeMember;
let finance: MadeMember;
let admin: MadeMember;
const as = signedInClients(() => server.url);

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0 a tiny stand-in for an invoice photo"), Buffer.from([0xff, 0xd9])]);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

const LINE: Omit<BudgetLine, "id"> = { ...blankRow("budget", "2027-09-01"), category: "宣传推广", item: "宣传单页", quantityHundredths: 100, unit: "批", unitPriceFen: 500_000 };

const attachmentsDir = () => join(dirname(server.dbPath), "attachments");
const filesOnDisk = async () => (await readdir(attachmentsDir()).catch(() => [] as string[])).sort();

async function makePlanWithEntry(): Promise<{ planId: string; entryId: number }> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "2027 中秋门店促销", campaignType: "holiday", startDate: "2027-09-01", endDate: "2027-09-20", store: "外滩店" },
    { ...BLANK_PLAN, blocks: { ...BLANK_PLAN.blocks, budget: [LINE] } },
  );
  await addToPlan(server.db, planId, viewer.id, "view", owner.id);
  const [line] = await listBudgetLines(server.db, planId);
  const created = await (await as(finance)).post(`/plans/${planId}/actuals`, { intent: "create", lineId: line!.line_id, spentOn: "2027-09-05", amount: "1200", vendor: "印刷厂", invoiceNo: "", note: "" });
  expect(created.status).toBe(302);
  const entry = await server.db.selectFrom("actual_entries").select("id").where("plan_id", "=", planId).orderBy("id", "desc").executeTakeFirstOrThrow();
  return { planId, entryId: entry.id };
}

/** A multipart post as the page's form sends it: the CSRF field first, then the fields, then the file. */
async function upload(
  member: MadeMember,
  planId: string,
  fields: Record<string, string>,
  file: { bytes: Uint8Array; name: string; type: string } | null,
): Promise<Response> {
  const client = await as(member);
  const form = new FormData();
  form.set("_csrf", client.cookies.get("cd_csrf") ?? "");
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (file) form.set("attachment", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
  return fetch(new URL(`/plans/${planId}/actuals`, server.url), { method: "POST", body: form, redirect: "manual", headers: { origin: server.url, cookie: client.cookieHeader } });
}

const attach = (member: MadeMember, planId: string, entryId: number, file: { bytes: Uint8Array; name: string; type: string }) =>
  upload(member, planId, { intent: "attach", entryId: String(entryId) }, file);

const rowsOf = (planId: string) => server.db.selectFrom("actual_attachments").selectAll().where("plan_id", "=", planId).orderBy("id").execute();

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  outsider = await makeMember(server.db, { role: "planner", name: "王磊" });
  finance = await makeMember(server.db, { role: "finance", name: "赵敏" });
  admin = await makeMember(server.db, { role: "admin", name: "管理员" });
});

afterAll(async () => {
  as.clear();
  await server.close();
});

describe("invoice attachments", () => {
  it("stores a photo under a random name beside the database and serves it as the sniffed type, sandboxed", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    const before = await filesOnDisk();
    const response = await attach(finance, planId, entryId, { bytes: JPEG, name: "发票.jpg", type: "image/jpeg" });
    expect(response.status).toBe(302);
    const [row] = await rowsOf(planId);
    expect(row).toMatchObject({ entry_id: entryId, media_type: "image/jpeg", size_bytes: JPEG.length, file_name: "发票.jpg", created_by: finance.id });
    expect(row!.storage_key).toMatch(/^[0-9a-f]{32}$/);
    expect((await filesOnDisk()).filter((name) => !before.includes(name))).toEqual([row!.storage_key]);
    expect(await readFile(join(attachmentsDir(), row!.storage_key))).toEqual(JPEG);

    const served = await (await as(viewer)).get(`/plans/${planId}/attachments/${row!.id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("x-content-type-options")).toContain("nosniff");
    expect(served.headers.get("content-security-policy")).toContain("default-src 'none'; sandbox");
    expect(served.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(JPEG);

    const page = await (await as(finance)).get(`/plans/${planId}/actuals`);
    expect(await page.text()).toContain(`/plans/${planId}/attachments/${row!.id}`);
    const audit = await server.db.selectFrom("audit_log").selectAll().where("action", "=", "actual.attachment.add").where("target_id", "=", planId).execute();
    expect(audit).toHaveLength(1);
  });

  it("a PDF is always a download, never shown inline", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    expect((await attach(finance, planId, entryId, { bytes: PDF, name: "invoice.pdf", type: "application/pdf" })).status).toBe(302);
    const [row] = await rowsOf(planId);
    const served = await (await as(finance)).get(`/plans/${planId}/attachments/${row!.id}`);
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment; /);
  });

  it("refuses HTML renamed .jpg, SVG with a script, empty files and files over the limit, and stores nothing", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    const before = await filesOnDisk();
    const html = await attach(finance, planId, entryId, { bytes: Buffer.from("<!doctype html><script>alert(document.cookie)</script>"), name: "invoice.jpg", type: "image/jpeg" });
    expect(html.status).toBe(415);
    expect(await html.text()).toContain("只能上传 JPG、PNG、WebP、HEIC 图片或 PDF 文件");
    const svg = await attach(finance, planId, entryId, {
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      name: "invoice.png",
      type: "image/png",
    });
    expect(svg.status).toBe(415);
    const empty = await attach(finance, planId, entryId, { bytes: new Uint8Array(), name: "photo.jpg", type: "image/jpeg" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("文件是空的");
    const oversize = Buffer.concat([JPEG, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - JPEG.length)]);
    const tooLarge = await attach(finance, planId, entryId, { bytes: oversize, name: "big.jpg", type: "image/jpeg" });
    expect(tooLarge.status).toBe(413);
    // Far over the limit: the HTTP layer stops reading long before the route sees it.
    const huge = await attach(finance, planId, entryId, { bytes: Buffer.concat([oversize, Buffer.alloc(1024 * 1024)]), name: "huge.jpg", type: "image/jpeg" });
    expect(huge.status).toBe(413);
    expect(await rowsOf(planId)).toEqual([]);
    expect(await filesOnDisk()).toEqual(before);
  });

  it("a JPEG polyglot sent as text/html is kept as a JPEG and never served as HTML", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    const polyglot = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("<html><body><script>alert(document.cookie)</script></body></html>")]);
    expect((await attach(finance, planId, entryId, { bytes: polyglot, name: "x.html", type: "text/html" })).status).toBe(302);
    const [row] = await rowsOf(planId);
    expect(row).toMatchObject({ media_type: "image/jpeg", file_name: "x.jpg" });
    const served = await (await as(finance)).get(`/plans/${planId}/attachments/${row!.id}`);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("a path-traversal file name is only a label: the file lands in the attachments folder under a random name", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    const before = await filesOnDisk();
    expect((await attach(finance, planId, entryId, { bytes: JPEG, name: "../../../../tmp/evil.jpg", type: "image/jpeg" })).status).toBe(302);
    const [row] = await rowsOf(planId);
    expect(row!.file_name).toBe("evil.jpg");
    expect((await filesOnDisk()).filter((name) => !before.includes(name))).toEqual([row!.storage_key]);
  });

  it("only finance and admins add or delete; a viewer reads; a member outside the plan gets a 404", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    expect((await attach(viewer, planId, entryId, { bytes: JPEG, name: "a.jpg", type: "image/jpeg" })).status).toBe(403);
    expect((await attach(owner, planId, entryId, { bytes: JPEG, name: "a.jpg", type: "image/jpeg" })).status).toBe(403);
    expect((await attach(outsider, planId, entryId, { bytes: JPEG, name: "a.jpg", type: "image/jpeg" })).status).toBe(404);
    expect(await rowsOf(planId)).toEqual([]);
    expect((await attach(admin, planId, entryId, { bytes: JPEG, name: "a.jpg", type: "image/jpeg" })).status).toBe(302);
    const [row] = await rowsOf(planId);
    expect((await (await as(viewer)).get(`/plans/${planId}/attachments/${row!.id}`)).status).toBe(200);
    expect((await (await as(outsider)).get(`/plans/${planId}/attachments/${row!.id}`)).status).toBe(404);
    // Another plan's address does not reach this plan's attachment.
    const other = await makePlanWithEntry();
    expect((await (await as(finance)).get(`/plans/${other.planId}/attachments/${row!.id}`)).status).toBe(404);
    expect((await (await as(viewer)).post(`/plans/${planId}/actuals`, { intent: "deleteAttachment", attachmentId: String(row!.id) })).status).toBe(403);
    expect(await rowsOf(planId)).toHaveLength(1);
  });

  it("deleting an attachment or its entry removes the file and is audited", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    await attach(finance, planId, entryId, { bytes: JPEG, name: "a.jpg", type: "image/jpeg" });
    await attach(finance, planId, entryId, { bytes: PDF, name: "b.pdf", type: "application/pdf" });
    const [first, second] = await rowsOf(planId);
    const deleted = await (await as(finance)).post(`/plans/${planId}/actuals`, { intent: "deleteAttachment", attachmentId: String(first!.id), entryId: String(entryId) });
    expect(deleted.status).toBe(302);
    expect(await filesOnDisk()).not.toContain(first!.storage_key);
    const again = await (await as(finance)).post(`/plans/${planId}/actuals`, { intent: "deleteAttachment", attachmentId: String(first!.id), entryId: String(entryId) });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("该附件已被删除");
    const audit = await server.db.selectFrom("audit_log").select("detail").where("action", "=", "actual.attachment.delete").where("target_id", "=", planId).execute();
    expect(audit.map((a) => JSON.parse(a.detail) as { fileName: string })).toEqual([expect.objectContaining({ fileName: "a.jpg" })]);

    expect((await (await as(finance)).post(`/plans/${planId}/actuals`, { intent: "delete", entryId: String(entryId) })).status).toBe(302);
    expect(await rowsOf(planId)).toEqual([]);
    expect(await filesOnDisk()).not.toContain(second!.storage_key);
  });

  it("records a new entry with its photo in one submission; a refused photo records nothing", async () => {
    const { planId } = await makePlanWithEntry();
    const [line] = await listBudgetLines(server.db, planId);
    const fields = { intent: "create", lineId: line!.line_id, spentOn: "2027-09-06", amount: "88.5", vendor: "快印店", invoiceNo: "FP-77", note: "" };
    const count = async () => (await server.db.selectFrom("actual_entries").select("id").where("plan_id", "=", planId).execute()).length;
    const refused = await upload(finance, planId, fields, { bytes: Buffer.from("<html></html>"), name: "a.jpg", type: "image/jpeg" });
    expect(refused.status).toBe(415);
    expect(await count()).toBe(1);
    const created = await upload(finance, planId, fields, { bytes: JPEG, name: "receipt.jpg", type: "image/jpeg" });
    expect(created.status).toBe(302);
    expect(await count()).toBe(2);
    const newest = await server.db.selectFrom("actual_entries").select("id").where("invoice_no", "=", "FP-77").executeTakeFirstOrThrow();
    expect((await rowsOf(planId)).map((row) => row.entry_id)).toEqual([newest.id]);
    // No photo chosen: the form still posts multipart, and the entry is recorded without one.
    const plain = await upload(finance, planId, { ...fields, invoiceNo: "FP-78" }, { bytes: new Uint8Array(), name: "", type: "application/octet-stream" });
    expect(plain.status).toBe(302);
    expect(await count()).toBe(3);
  });

  it("50 parallel uploads keep the per-member upload slots and the per-entry limit, and leave no stray files", async () => {
    const { planId, entryId } = await makePlanWithEntry();
    const uploaders = [finance, admin, ...(await Promise.all([1, 2, 3].map((n) => makeMember(server.db, { role: "finance", name: `财务${n}` }))))];
    await Promise.all(uploaders.map((member) => as(member)));
    const before = await filesOnDisk();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => attach(uploaders[i % uploaders.length]!, planId, entryId, { bytes: JPEG, name: `p${i}.jpg`, type: "image/jpeg" }).then((r) => r.status)),
    );
    expect(statuses.every((status) => status === 302 || status === 409 || status === 429)).toBe(true);
    // Eight uploads are read at a time across the server, two per member: the rest are told to wait.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    const rows = await rowsOf(planId);
    expect(rows.length).toBe(statuses.filter((status) => status === 302).length);
    expect(rows.length).toBeLessThanOrEqual(MAX_ATTACHMENTS_PER_ENTRY);
    expect((await filesOnDisk()).filter((name) => !before.includes(name)).sort()).toEqual(rows.map((row) => row.storage_key).sort());

    // Past the HTTP slots, the per-entry limit itself holds when fifty stores race.
    const other = await makePlanWithEntry();
    const user = await server.db.selectFrom("users").selectAll().where("id", "=", finance.id).executeTakeFirstOrThrow();
    const auth = { sessionIdHash: "test", user, actor: { id: user.id, role: user.role, title: user.title, active: true } };
    const checked = await checkUpload(new File([JPEG], "a.jpg", { type: "image/jpeg" }));
    if (!checked.ok) throw new Error("the test photo was refused");
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => addAttachment(server.db, attachmentsDir(), auth, { id: other.planId }, { entryId: other.entryId, upload: checked.upload })),
    );
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(MAX_ATTACHMENTS_PER_ENTRY);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.code === "tooMany")).toHaveLength(50 - MAX_ATTACHMENTS_PER_ENTRY);
    const stored = await rowsOf(other.planId);
    expect(stored).toHaveLength(MAX_ATTACHMENTS_PER_ENTRY);
    const all = await server.db.selectFrom("actual_attachments").select("storage_key").execute();
    expect(await filesOnDisk()).toEqual(all.map((row) => row.storage_key).sort());
    expect(server.loggedErrors).toEqual([]);
  });
});
