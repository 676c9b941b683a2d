// @mentions (issue 17): the member picker's directory and the rich-text mention notification,
// against the real server, a real SQLite file and a real y-websocket client writing the document.
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { updateUser } from "../../db/queries/users";
import type { PlanSession } from "~/collab/plan-session";
import { readPlanDoc, sectionFragment } from "~/domain/plan-document";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import { makeMember, type MadeMember } from "../support/factories";
import { signedInClients } from "../support/http-client";
import { addToPlan } from "../support/plans";
import { openSynced, waitUntil } from "../support/collab-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: MadeMember;
let editor: MadeMember;
let reader: MadeMember;
let outsider: MadeMember;
let former: MadeMember;
const as = signedInClients(() => server.url);
const sessions: PlanSession[] = [];

beforeAll(async () => {
  server = await startTestServer({ seedDemo: false });
  owner = await makeMember(server.db, { role: "planner", name: "王芳" });
  editor = await makeMember(server.db, { role: "planner", name: "陈晨" });
  reader = await makeMember(server.db, { role: "viewer", name: "李娜" });
  outsider = await makeMember(server.db, { role: "planner", name: "单田芳" });
  former = await makeMember(server.db, { role: "planner", name: "曾离职" });
  await updateUser(server.db, former.id, { active: false }, Date.now());
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(async () => {
  await server.close();
  expect(server.loggedErrors).toEqual([]);
});

async function newPlan(): Promise<{ planId: string; session: PlanSession; sectionId: string }> {
  const planId = await createPlan(
    server.db,
    owner.id,
    { title: "2027 中秋会员日", campaignType: "membership", startDate: "2027-09-10", endDate: "2027-09-15", store: "外滩店" },
    { ...BLANK_PLAN, sections: [{ heading: "活动目的", kind: "richText", paragraphs: ["提升复购"] }, ...BLANK_PLAN.sections] },
  );
  await addToPlan(server.db, planId, editor.id, "edit", owner.id);
  await addToPlan(server.db, planId, reader.id, "view", owner.id);
  const session = await openSynced(server.url, editor, planId);
  sessions.push(session);
  const sectionId = readPlanDoc(session.state.doc).sections.find((s) => s.kind === "richText")!.id;
  return { planId, session, sectionId };
}

/** What the editor writes when a member is picked: a paragraph holding the mention node. */
function insertMention(session: PlanSession, sectionId: string, member: MadeMember, key: string): void {
  const doc = session.state.doc;
  const fragment = sectionFragment(doc, sectionId);
  doc.transact(() => {
    const paragraph = new Y.XmlElement("paragraph");
    const mention = new Y.XmlElement("mention");
    mention.setAttribute("id", String(member.id));
    mention.setAttribute("label", member.name);
    mention.setAttribute("key", key);
    paragraph.insert(0, [new Y.XmlText("请 "), mention, new Y.XmlText(" 确认场地预算")]);
    fragment.insert(fragment.length, [paragraph]);
  });
}

async function storedHasMention(planId: string, key: string): Promise<boolean> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await server.collab.documentState(planId));
  const has = readPlanDoc(doc).sections.some((s) => sectionFragment(doc, s.id).toString().includes(key));
  doc.destroy();
  return has;
}

function notificationsFor(userId: number, dedupeKey: string) {
  return server.db.selectFrom("notifications").selectAll().where("user_id", "=", userId).where("dedupe_key", "=", dedupeKey).execute();
}

async function postMention(member: MadeMember, planId: string, fields: { sectionId: string; mentionKey: string; memberId: number | string }): Promise<Response> {
  const client = await as(member);
  return client.post(`/plans/${planId}/mentions`, { sectionId: fields.sectionId, mentionKey: fields.mentionKey, memberId: String(fields.memberId) });
}

describe("GET /plans/:id/mentionable", () => {
  it("lists active members with pinyin, initials and whether each may read the plan", async () => {
    const { planId } = await newPlan();
    const response = await (await as(owner)).get(`/plans/${planId}/mentionable`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { canShare: boolean; members: { id: number; name: string; pinyin: string; initials: string; canRead: boolean }[] };
    expect(body.canShare).toBe(true);
    const byId = new Map(body.members.map((m) => [m.id, m]));
    expect(byId.get(reader.id)).toMatchObject({ name: "李娜", pinyin: "lina", initials: "ln", canRead: true });
    expect(byId.get(editor.id)?.canRead).toBe(true);
    expect(byId.get(outsider.id)).toMatchObject({ pinyin: "shantianfang", canRead: false });
    expect(byId.has(former.id)).toBe(false);
  });

  it("answers only members who may read the plan, and tells a non-manager they cannot share", async () => {
    const { planId } = await newPlan();
    const path = `/plans/${planId}/mentionable`;
    expect((await (await as(outsider)).get(path)).status).toBe(404);
    const asEditor = (await (await as(editor)).get(path).then((r) => r.json())) as { canShare: boolean };
    expect(asEditor.canShare).toBe(false);
  });
});

describe("POST /plans/:id/mentions", () => {
  it("notifies a mentioned reader once, however often and however concurrently it is posted", async () => {
    const { planId, session, sectionId } = await newPlan();
    const key = "mk-once-0001";
    insertMention(session, sectionId, reader, key);
    await waitUntil(() => storedHasMention(planId, key), "the server has the mention");
    const responses = await Promise.all(Array.from({ length: 12 }, () => postMention(editor, planId, { sectionId, mentionKey: key, memberId: reader.id })));
    // A member has at most four checks running at once; the rest are told to try again, never notified twice.
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    const rows = await notificationsFor(reader.id, `mention:rt:${planId}:${key}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "mentioned", plan_id: planId, actor_id: editor.id });
    const payload = JSON.parse(rows[0]!.payload) as Record<string, unknown>;
    expect(payload).toMatchObject({ sectionId, threadId: null, actorName: "陈晨", planTitle: "2027 中秋会员日" });
    expect(payload.excerpt).toBe("请 @李娜 确认场地预算");
  });

  it("waits for the editor's update when the request arrives first", async () => {
    const { planId, session, sectionId } = await newPlan();
    const key = "mk-early-0002";
    const posted = postMention(editor, planId, { sectionId, mentionKey: key, memberId: reader.id });
    insertMention(session, sectionId, reader, key);
    expect((await posted).status).toBe(200);
    expect(await notificationsFor(reader.id, `mention:rt:${planId}:${key}`)).toHaveLength(1);
  });

  it("refuses a mention key that is not in the document, or names another member, and notifies nobody", async () => {
    const { planId, session, sectionId } = await newPlan();
    insertMention(session, sectionId, reader, "mk-real-0003");
    await waitUntil(() => storedHasMention(planId, "mk-real-0003"), "the server has the mention");
    const [forged, swapped] = await Promise.all([
      postMention(editor, planId, { sectionId, mentionKey: "mk-forged-0003", memberId: reader.id }),
      postMention(editor, planId, { sectionId, mentionKey: "mk-real-0003", memberId: owner.id }),
    ]);
    expect(forged.status).toBe(409);
    expect(await forged.json()).toEqual({ ok: false, code: "mentionNotFound" });
    expect(swapped.status).toBe(409);
    const rows = await server.db.selectFrom("notifications").select("id").where("plan_id", "=", planId).execute();
    expect(rows).toEqual([]);
  });

  it("holds at most four checks of one member at a time: a flood of forged keys is refused at once", async () => {
    const { planId, sectionId } = await newPlan();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => postMention(editor, planId, { sectionId, mentionKey: `mk-flood-${String(i).padStart(4, "0")}`, memberId: reader.id })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((status) => status === 409)).toHaveLength(4);
    expect(statuses.filter((status) => status === 429)).toHaveLength(16);
  });

  it("does not notify a mentioned member who may not read the plan", async () => {
    const { planId, session, sectionId } = await newPlan();
    const key = "mk-outsider-0004";
    insertMention(session, sectionId, outsider, key);
    await waitUntil(() => storedHasMention(planId, key), "the server has the mention");
    const response = await postMention(editor, planId, { sectionId, mentionKey: key, memberId: outsider.id });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, notified: false });
    expect(await notificationsFor(outsider.id, `mention:rt:${planId}:${key}`)).toEqual([]);
  });

  it("needs edit rights and well-formed fields", async () => {
    const { planId, session, sectionId } = await newPlan();
    const key = "mk-viewer-0005";
    insertMention(session, sectionId, editor, key);
    await waitUntil(() => storedHasMention(planId, key), "the server has the mention");
    expect((await postMention(reader, planId, { sectionId, mentionKey: key, memberId: editor.id })).status).toBe(403);
    expect((await postMention(outsider, planId, { sectionId, mentionKey: key, memberId: editor.id })).status).toBe(404);
    expect((await postMention(owner, planId, { sectionId, mentionKey: "short", memberId: editor.id })).status).toBe(400);
    expect((await postMention(owner, planId, { sectionId, mentionKey: key, memberId: "abc" })).status).toBe(400);
    expect((await postMention(owner, planId, { sectionId: "../x", mentionKey: key, memberId: editor.id })).status).toBe(400);
    expect(await notificationsFor(editor.id, `mention:rt:${planId}:${key}`)).toEqual([]);
  });
});
