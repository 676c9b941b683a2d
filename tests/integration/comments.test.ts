// Over 400 lines: one real-server suite covers every comment rule, sharing its server and members.
// Comments (issue 17) against the real server: threads on text and blocks, permissions, the
// viewers-may-comment setting, anchor validation, mention and reply notifications, the flood
// limit under parallel posts, orphaned block anchors and the live "changed" stream.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { listBudgetLines } from "../../db/queries/projection";
import { encodePosition, type ThreadView } from "~/domain/comments";
import { blankRow, readDocument, readPlanDoc, removeRow, sectionFragment, type BudgetLine } from "~/domain/plan-document";
import { notify } from "~/services/notifications.server";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { makeMember, type MadeMember } from "../support/factories";
import { HttpClient, signedInClients } from "../support/http-client";
import { addToPlan } from "../support/plans";
import { openPlan, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
const as = signedInClients(() => server.url);
let owner: MadeMember;
let peer: MadeMember;
let viewer: MadeMember;
let outsider: MadeMember;
let stranger: MadeMember;
let admin: MadeMember;

const line = (item: string): Omit<BudgetLine, "id"> => ({ ...blankRow("budget", "2027-06-01"), category: "宣传物料", item, quantityHundredths: 100, unitPriceFen: 50_000 });

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "李娜" });
  peer = await makeMember(server.db, { role: "planner", name: "陈晨" });
  viewer = await makeMember(server.db, { role: "viewer", name: "郑洁" });
  outsider = await makeMember(server.db, { role: "planner", name: "外人" });
  stranger = await makeMember(server.db, { role: "viewer", name: "路人" });
  admin = await makeMember(server.db, { role: "admin", name: "王磊" });
});
afterAll(async () => {
  await server.close();
  expect(server.loggedErrors).toEqual([]);
});

interface Fixture {
  planId: string;
  sections: { text: string; other: string; budget: string };
  lineIds: string[];
}

async function planFixture(): Promise<Fixture> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "2027 端午节酒店促销", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    {
      ...BLANK_PLAN,
      sections: [
        { heading: "活动目的", kind: "richText", paragraphs: ["提升端午期间客流与客单价"] },
        { heading: "活动主题", kind: "richText", paragraphs: ["粽香满堂"] },
        { heading: "经费预算", kind: "budget" },
      ],
      blocks: { ...BLANK_PLAN.blocks, budget: [line("海报"), line("易拉宝")] },
    },
  );
  await addToPlan(server.db, planId, peer.id, "edit", owner.id);
  await addToPlan(server.db, planId, viewer.id, "view", owner.id);
  const state = await server.collab.documentState(planId);
  const sections = readDocument(state, (doc) => readPlanDoc(doc).sections);
  const lineIds = (await listBudgetLines(server.db, planId)).map((l) => l.line_id);
  return { planId, sections: { text: sections[0]!.id, other: sections[1]!.id, budget: sections[2]!.id }, lineIds };
}

/** A text anchor over characters [from, to) of the section's first paragraph, as the editor would build it. */
async function textAnchor(planId: string, sectionId: string, from = 0, to = 2, positionsFrom = sectionId) {
  const state = await server.collab.documentState(planId);
  return readDocument(state, (doc) => {
    const paragraph = sectionFragment(doc, positionsFrom).get(0) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    const at = (i: number) => encodePosition(Y.createRelativePositionFromTypeIndex(text, i));
    return { kind: "text", sectionId, start: at(from), end: at(to) };
  });
}

type Answer = { ok: true; threadId?: string; commentId?: string } | { ok: false; code: string };

async function post(client: HttpClient, planId: string, fields: Record<string, string>): Promise<{ status: number; body: Answer }> {
  const response = await client.post(`/plans/${planId}/comments`, fields);
  return { status: response.status, body: (await response.json()) as Answer };
}

async function created(client: HttpClient, planId: string, fields: Record<string, string>): Promise<{ threadId: string; commentId: string }> {
  const { status, body } = await post(client, planId, { intent: "create", ...fields });
  expect(body).toMatchObject({ ok: true });
  expect(status).toBe(200);
  if (!body.ok || !body.threadId || !body.commentId) throw new Error("no thread");
  return { threadId: body.threadId, commentId: body.commentId };
}

interface Listing {
  threads: ThreadView[];
  canComment: boolean;
  viewersMayComment: boolean;
  canManage: boolean;
  me: number;
}

async function listing(client: HttpClient, planId: string): Promise<Listing> {
  const response = await client.get(`/plans/${planId}/comments`);
  expect(response.status).toBe(200);
  return (await response.json()) as Listing;
}

/** The member's notifications about one plan (members are shared between tests). */
async function notificationsOf(userId: number, planId: string) {
  return server.db.selectFrom("notifications").select(["kind", "dedupe_key", "payload"]).where("user_id", "=", userId).where("plan_id", "=", planId).orderBy("id").execute();
}

describe("comment threads", () => {
  it("creates, replies, edits, deletes, resolves and reopens, with placeholders for deleted comments", async () => {
    const { planId, sections } = await planFixture();
    const a = await as(owner);
    const b = await as(peer);
    const anchor = await textAnchor(planId, sections.text);
    const { threadId, commentId } = await created(a, planId, { anchor: JSON.stringify(anchor), quote: "  提升\n端午  ", body: "  这句要不要写具体目标？ " });

    const reply = await post(b, planId, { intent: "reply", threadId, body: "写成客流同比 +20%" });
    expect(reply).toMatchObject({ status: 200, body: { ok: true, threadId } });
    const replyId = reply.body.ok ? reply.body.commentId! : "";

    expect(await post(a, planId, { intent: "edit", commentId, body: "这句要写具体目标" })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await post(b, planId, { intent: "edit", commentId, body: "改别人的" })).toEqual({ status: 403, body: { ok: false, code: "notAuthor" } });
    expect(await post(a, planId, { intent: "delete", commentId: replyId })).toEqual({ status: 403, body: { ok: false, code: "notAuthor" } });
    expect(await post(b, planId, { intent: "delete", commentId: replyId })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await post(b, planId, { intent: "edit", commentId: replyId, body: "复活" })).toEqual({ status: 404, body: { ok: false, code: "notFound" } });

    let view = await listing(a, planId);
    expect(view).toMatchObject({ canComment: true, viewersMayComment: true, canManage: true, me: owner.id });
    expect(view.threads).toHaveLength(1);
    const thread = view.threads[0]!;
    expect(thread).toMatchObject({ id: threadId, anchor, quote: "提升 端午", status: "open", createdBy: { id: owner.id, name: "李娜" }, resolvedBy: null, orphaned: false });
    expect(thread.comments.map((c) => [c.author.name, c.body, c.deleted, c.editedAt !== null])).toEqual([
      ["李娜", "这句要写具体目标", false, true],
      ["陈晨", "", true, false],
    ]);

    expect(await post(b, planId, { intent: "resolve", threadId })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await post(a, planId, { intent: "reply", threadId, body: "已解决后再回复" })).toEqual({ status: 409, body: { ok: false, code: "resolved" } });
    view = await listing(a, planId);
    expect(view.threads[0]).toMatchObject({ status: "resolved", resolvedBy: { id: peer.id, name: "陈晨" } });
    expect(await post(a, planId, { intent: "reopen", threadId })).toMatchObject({ status: 200, body: { ok: true } });
    view = await listing(a, planId);
    expect(view.threads[0]).toMatchObject({ status: "open", resolvedBy: null, resolvedAt: null });

    const audit = await server.db.selectFrom("audit_log").select(["action", "actor_id"]).where("target_id", "=", planId).where("action", "like", "comment.%").orderBy("id").execute();
    expect(audit).toEqual([
      { action: "comment.resolve", actor_id: peer.id },
      { action: "comment.reopen", actor_id: owner.id },
    ]);

    // Once every comment of a thread is deleted, the thread leaves the list.
    expect(await post(a, planId, { intent: "delete", commentId })).toMatchObject({ status: 200 });
    expect((await listing(a, planId)).threads).toEqual([]);
    expect(await post(b, planId, { intent: "reply", threadId, body: "还在吗" })).toEqual({ status: 404, body: { ok: false, code: "notFound" } });
    expect(await post(b, planId, { intent: "resolve", threadId })).toEqual({ status: 404, body: { ok: false, code: "notFound" } });
  });

  it("refuses empty and overlong bodies and ids of another plan's threads", async () => {
    const first = await planFixture();
    const second = await planFixture();
    const a = await as(owner);
    const anchor = JSON.stringify({ kind: "budgetLine", lineId: first.lineIds[0] });
    expect(await post(a, first.planId, { intent: "create", anchor, quote: "", body: "   " })).toEqual({ status: 400, body: { ok: false, code: "bodyRequired" } });
    expect(await post(a, first.planId, { intent: "create", anchor, quote: "", body: "长".repeat(2001) })).toEqual({ status: 400, body: { ok: false, code: "bodyTooLong" } });
    const { threadId, commentId } = await created(a, first.planId, { anchor, quote: "海报", body: "长".repeat(2000) });
    expect(await post(a, second.planId, { intent: "reply", threadId, body: "串门" })).toEqual({ status: 404, body: { ok: false, code: "notFound" } });
    expect(await post(a, second.planId, { intent: "delete", commentId })).toEqual({ status: 404, body: { ok: false, code: "notFound" } });
    expect(await post(a, first.planId, { intent: "resolve", threadId: "not-a-uuid" })).toEqual({ status: 404, body: { ok: false, code: "notFound" } });
    expect((await listing(a, second.planId)).threads).toEqual([]);
  });

  it("admits an admin deleting anyone's comment, and audits it", async () => {
    const { planId, lineIds } = await planFixture();
    const { commentId } = await created(await as(peer), planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[1] }), quote: "易拉宝", body: "不当言论" });
    expect(await post(await as(admin), planId, { intent: "delete", commentId })).toMatchObject({ status: 200, body: { ok: true } });
    const row = await server.db.selectFrom("comments").select(["body", "deleted_at"]).where("id", "=", commentId).executeTakeFirstOrThrow();
    expect(row.body).toBe("");
    expect(row.deleted_at).not.toBeNull();
    const audit = await server.db.selectFrom("audit_log").select(["action", "actor_id", "detail"]).where("target_id", "=", planId).where("action", "=", "comment.delete").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.id);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ commentId, authorId: peer.id });
    // The audit log names the action and the comment's author in words.
    const page = await (await (await as(admin)).get(`/admin/audit?targetType=plan&targetId=${planId}`)).text();
    expect(page).toContain("删除他人评论（管理）");
    expect(page).toContain("评论人");
    expect(page).toContain("陈晨");
  });
});

describe("who may comment", () => {
  it("lets a viewer comment while the setting is on, refuses with cannotComment when off, and never writes the document", async () => {
    const { planId, sections } = await planFixture();
    const v = await as(viewer);
    const stateBefore = await server.collab.documentState(planId);

    expect((await listing(v, planId)).canComment).toBe(true);
    expect((await listing(v, planId)).canManage).toBe(false);
    const { threadId } = await created(v, planId, { anchor: JSON.stringify(await textAnchor(planId, sections.text)), quote: "提升", body: "读者的疑问" });
    // The anchor lives in the comment row, not in the document: the viewer wrote nothing there.
    expect(Buffer.from(await server.collab.documentState(planId)).equals(Buffer.from(stateBefore))).toBe(true);
    // Commenting rights give no editing rights: the viewer's own edit is refused and undone.
    const session = openPlan(v, planId);
    try {
      await waitUntil(() => session.state.synced, "the viewer synced");
      const viewerDoc = session.state.doc;
      const text = (sectionFragment(viewerDoc, sections.text).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(0, "读者改稿");
      await waitUntil(() => session.state.doc !== viewerDoc && session.state.synced, "the viewer was resynced");
      expect(session.state.resyncedReason).toContain("readOnly");
    } finally {
      session.destroy();
    }
    expect(Buffer.from(await server.collab.documentState(planId)).equals(Buffer.from(stateBefore))).toBe(true);

    expect(await post(v, planId, { intent: "setViewersMayComment", value: "0" })).toMatchObject({ status: 403 });
    expect(await post(await as(peer), planId, { intent: "setViewersMayComment", value: "0" })).toMatchObject({ status: 403 });
    expect(await post(await as(owner), planId, { intent: "setViewersMayComment", value: "0" })).toMatchObject({ status: 200, body: { ok: true } });

    const off = await listing(v, planId);
    expect(off).toMatchObject({ canComment: false, viewersMayComment: false });
    expect(off.threads).toHaveLength(1);
    expect(await post(v, planId, { intent: "reply", threadId, body: "还能回复吗" })).toEqual({ status: 403, body: { ok: false, code: "cannotComment" } });
    expect(await post(v, planId, { intent: "create", anchor: JSON.stringify(await textAnchor(planId, sections.text)), quote: "", body: "再问" })).toEqual({
      status: 403,
      body: { ok: false, code: "cannotComment" },
    });
    // Members with edit rights comment whatever the setting.
    expect(await post(await as(peer), planId, { intent: "reply", threadId, body: "编辑者照常回复" })).toMatchObject({ status: 200 });
    expect((await listing(await as(peer), planId)).canComment).toBe(true);

    expect(await post(await as(owner), planId, { intent: "setViewersMayComment", value: "1" })).toMatchObject({ status: 200 });
    expect(await post(v, planId, { intent: "reply", threadId, body: "又能评论了" })).toMatchObject({ status: 200 });
    const changes = await server.db.selectFrom("audit_log").select("detail").where("target_id", "=", planId).where("action", "=", "plan.viewersMayComment").orderBy("id").execute();
    expect(changes.map((c) => JSON.parse(c.detail) as unknown)).toEqual([{ viewersMayComment: false }, { viewersMayComment: true }]);
  });

  it("answers 404 to a planner who is not on the plan, for the list, every post and the stream", async () => {
    const { planId, lineIds } = await planFixture();
    const { threadId } = await created(await as(owner), planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "", body: "内部讨论" });
    const o = await as(outsider);
    expect((await o.get(`/plans/${planId}/comments`)).status).toBe(404);
    expect((await o.get(`/plans/${planId}/comments/stream`)).status).toBe(404);
    expect(await post(o, planId, { intent: "reply", threadId, body: "偷看" })).toMatchObject({ status: 404 });
    expect(await post(o, planId, { intent: "create", anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "", body: "偷看" })).toMatchObject({ status: 404 });
    expect((await new HttpClient(server.url).get(`/plans/${planId}/comments?_data=routes/_app.plans.$planId_.comments`)).status).toBe(401);
  });

  it("refuses comments on an archived plan", async () => {
    const { planId, lineIds } = await planFixture();
    await server.db.updateTable("plans").set({ status: "archived" }).where("id", "=", planId).execute();
    const view = await listing(await as(owner), planId);
    expect(view.canComment).toBe(false);
    expect(await post(await as(owner), planId, { intent: "create", anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "", body: "归档后" })).toEqual({
      status: 403,
      body: { ok: false, code: "cannotComment" },
    });
  });
});

describe("anchors", () => {
  it("refuses anchors that do not point into this plan", async () => {
    const { planId, sections, lineIds } = await planFixture();
    const other = await planFixture();
    const a = await as(owner);
    const good = await textAnchor(planId, sections.text);
    const revision = await server.db
      .insertInto("budget_revisions")
      .values({ plan_id: other.planId, number: 1, status: "pending", submitted_by: owner.id, submitted_at: Date.now(), chain: "{}", spend_fen: 0, income_fen: 0, net_fen: 0, content_hash: "0".repeat(64), closed_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const bad: unknown[] = [
      "not json",
      { kind: "text", sectionId: "nosuchsect", start: good.start, end: good.end },
      { kind: "text", sectionId: sections.budget, start: good.start, end: good.end },
      { ...good, start: "AAAA" },
      { ...good, end: "////" },
      // Positions taken from another section's text.
      await textAnchor(planId, sections.text, 0, 2, sections.other),
      { kind: "budgetLine", lineId: "nosuchline0001" },
      { kind: "timelineItem", itemId: lineIds[0] },
      { kind: "kpi", kpiId: lineIds[0] },
      { kind: "diffLine", revisionId: revision.id, lineId: lineIds[0] },
      { kind: "diffLine", revisionId: 999_999, lineId: lineIds[0] },
      { kind: "budgetLine", lineId: lineIds[0], extra: 1 },
      { kind: "comment", lineId: lineIds[0] },
    ];
    for (const anchor of bad) {
      const answer = await post(a, planId, { intent: "create", anchor: typeof anchor === "string" ? anchor : JSON.stringify(anchor), quote: "", body: "看这里" });
      expect(answer, JSON.stringify(anchor)).toEqual({ status: 400, body: { ok: false, code: "badAnchor" } });
    }
    expect(await server.db.selectFrom("comment_threads").select("id").where("plan_id", "=", planId).execute()).toEqual([]);
    await created(a, planId, { anchor: JSON.stringify(good), quote: "提升", body: "这个可以" });
  });

  it("accepts a diff line of the revision or of the approved one before it, and marks a budget line thread orphaned once the line is deleted", async () => {
    const { planId, lineIds } = await planFixture();
    const a = await as(owner);
    const revisionWith = async (number: number, lineId: string) => {
      const revision = await server.db
        .insertInto("budget_revisions")
        .values({ plan_id: planId, number, status: "pending", submitted_by: owner.id, submitted_at: Date.now(), chain: "{}", spend_fen: 0, income_fen: 0, net_fen: 0, content_hash: "0".repeat(64), closed_at: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      await server.db
        .insertInto("revision_lines")
        .values({ revision_id: revision.id, line_id: lineId, position: 0, category: "宣传物料", item: "海报", quantity_hundredths: 100, unit: "张", unit_price_fen: 50_000, amount_fen: 50_000, income: 0, owner: "", quarter: "", note: "" })
        .execute();
      return revision.id;
    };
    const approved = await revisionWith(1, "removedline01");
    await server.db.updateTable("budget_revisions").set({ status: "approved", closed_at: Date.now() }).where("id", "=", approved).execute();
    const revision = await revisionWith(2, lineIds[0]!);
    await created(a, planId, { anchor: JSON.stringify({ kind: "diffLine", revisionId: revision, lineId: lineIds[0] }), quote: "海报", body: "单价偏高" });
    // A line the new revision removed is still on the diff, from the approved revision.
    await created(a, planId, { anchor: JSON.stringify({ kind: "diffLine", revisionId: revision, lineId: "removedline01" }), quote: "", body: "为什么删掉" });
    expect(await post(a, planId, { intent: "create", anchor: JSON.stringify({ kind: "diffLine", revisionId: approved, lineId: lineIds[0] }), quote: "", body: "不在这一版" })).toEqual({
      status: 400,
      body: { ok: false, code: "badAnchor" },
    });
    const { threadId } = await created(a, planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[1] }), quote: "易拉宝", body: "要几个？" });

    expect((await listing(a, planId)).threads.map((t) => t.orphaned)).toEqual([false, false, false]);
    await server.collab.applyServerChange(planId, owner.id, (doc) => removeRow(doc, "budget", lineIds[1]!));
    await server.collab.projectionCurrent(planId);
    const after = await listing(a, planId);
    const orphan = after.threads.find((t) => t.id === threadId)!;
    expect(orphan.orphaned).toBe(true);
    expect(orphan.comments[0]!.body).toBe("要几个？");
    expect(after.threads.filter((t) => t.id !== threadId).map((t) => t.orphaned)).toEqual([false, false]);
  });
});

describe("notifications", () => {
  it("notifies mentioned readers once per comment, and nobody who cannot read the plan", async () => {
    const { planId, lineIds } = await planFixture();
    const a = await as(owner);
    const body = `<@${peer.id}> <@${viewer.id}> <@${outsider.id}> <@${stranger.id}> <@${peer.id}> <@999999> 请看一下海报预算`;
    const { threadId, commentId } = await created(a, planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "海报", body });

    for (const reader of [peer, viewer]) {
      const rows = await notificationsOf(reader.id, planId);
      expect(rows.map((r) => [r.kind, r.dedupe_key])).toEqual([["mentioned", `mention:${commentId}`]]);
      const payload = JSON.parse(rows[0]!.payload) as { excerpt: string };
      expect(payload).toMatchObject({ planTitle: "2027 端午节酒店促销", actorName: "李娜", threadId });
      expect(payload.excerpt).toMatch(/^@陈晨 @郑洁 @外人 @路人 @陈晨 <@999999> 请看一下/);
    }
    for (const nonReader of [outsider, stranger]) expect(await notificationsOf(nonReader.id, planId)).toEqual([]);
    expect(await notificationsOf(owner.id, planId)).toEqual([]);

    // Editing keeps the comment's dedupe key: members mentioned before hear nothing new.
    expect(await post(a, planId, { intent: "edit", commentId, body: `${body} 补充` })).toMatchObject({ status: 200 });
    expect(await notificationsOf(peer.id, planId)).toHaveLength(1);

    // A retried delivery of the same comment's mention notifies nobody again.
    const again = await server.db.transaction().execute((trx) =>
      notify(trx, {
        event: { kind: "mentioned", planTitle: "2027 端午节酒店促销", actorName: "李娜", excerpt: "重试", threadId, sectionId: null },
        planId,
        actorId: owner.id,
        recipients: [peer.id, viewer.id],
        dedupeKey: `mention:${commentId}`,
        at: Date.now(),
      }),
    );
    expect(again).toEqual([]);
    expect(await notificationsOf(peer.id, planId)).toHaveLength(1);
  });

  it("notifies a thread's earlier participants of a reply, and a mentioned participant only of the mention", async () => {
    const { planId, lineIds } = await planFixture();
    const { threadId } = await created(await as(owner), planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "海报", body: "海报数量对吗？" });
    const first = await post(await as(peer), planId, { intent: "reply", threadId, body: "对的" });
    const firstId = first.body.ok ? first.body.commentId : "";
    expect((await notificationsOf(owner.id, planId)).map((r) => [r.kind, r.dedupe_key])).toEqual([["replied", `reply:${firstId}`]]);
    expect(await notificationsOf(peer.id, planId)).toEqual([]);

    const second = await post(await as(viewer), planId, { intent: "reply", threadId, body: `<@${peer.id}> 可以再确认下吗` });
    const secondId = second.body.ok ? second.body.commentId : "";
    expect((await notificationsOf(owner.id, planId)).map((r) => [r.kind, r.dedupe_key])).toEqual([
      ["replied", `reply:${firstId}`],
      ["replied", `reply:${secondId}`],
    ]);
    expect((await notificationsOf(peer.id, planId)).map((r) => [r.kind, r.dedupe_key])).toEqual([["mentioned", `mention:${secondId}`]]);
    expect(await notificationsOf(viewer.id, planId)).toEqual([]);
  });
});

describe("flood limit", () => {
  it("stores at most 30 comments a minute per member, however many are posted at once", async () => {
    const { planId, lineIds } = await planFixture();
    const flooder = await makeMember(server.db, { role: "planner", name: "刷屏" });
    await addToPlan(server.db, planId, flooder.id, "edit", owner.id);
    const f = await as(flooder);
    const { threadId } = await created(f, planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "", body: "第一条" });
    const anchor = JSON.stringify({ kind: "budgetLine", lineId: lineIds[1] });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(f, planId, i % 2 === 0 ? { intent: "reply", threadId, body: `第${i + 2}条` } : { intent: "create", anchor, quote: "", body: `新话题${i}` }),
      ),
    );
    const stored = await server.db.selectFrom("comments").select(sql<number>`count(*)`.as("n")).where("author_id", "=", flooder.id).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(30);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(29);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(21);
    for (const answer of refused) expect(answer).toEqual({ status: 429, body: { ok: false, code: "tooMany" } });
    // A refused new thread leaves no empty thread behind.
    const empty = await server.db
      .selectFrom("comment_threads as t")
      .select("t.id")
      .where("t.created_by", "=", flooder.id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom("comments as c").select("c.id").whereRef("c.thread_id", "=", "t.id"))))
      .execute();
    expect(empty).toEqual([]);
    // Across plans: a new thread elsewhere is refused too.
    const other = await planFixture();
    await addToPlan(server.db, other.planId, flooder.id, "edit", owner.id);
    expect(await post(f, other.planId, { intent: "create", anchor: JSON.stringify({ kind: "budgetLine", lineId: other.lineIds[0] }), quote: "", body: "换个方案" })).toEqual({
      status: 429,
      body: { ok: false, code: "tooMany" },
    });
    expect(await server.db.selectFrom("comment_threads").select("id").where("plan_id", "=", other.planId).execute()).toEqual([]);
  });
});

describe("live stream", () => {
  it("sends `changed` to an open panel when someone comments", async () => {
    const { planId, lineIds } = await planFixture();
    const v = await as(viewer);
    const controller = new AbortController();
    const response = await fetch(`${server.url}/plans/${planId}/comments/stream`, { headers: { cookie: v.cookieHeader }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    let received = "";
    const reading = (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        received += new TextDecoder().decode(chunk.value);
      }
    })().catch(() => undefined);
    await waitUntil(() => received.includes(": open"), "the stream opened");
    expect(received).not.toContain("event: changed");
    await created(await as(owner), planId, { anchor: JSON.stringify({ kind: "budgetLine", lineId: lineIds[0] }), quote: "", body: "新评论" });
    await waitUntil(() => received.includes("event: changed\ndata: {}"), "the panel heard of the change");
    controller.abort();
    await reading;
  });
});
