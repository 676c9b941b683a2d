// SIGKILL in the middle of writing a version (issue 16, acceptance 3): no document edit is
// lost, no half version is left, and the version the crash cost is taken after restart.
import { spawn, type ChildProcess } from "node:child_process";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createDb } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { blankRow, readBlock, readPlanDoc, sectionFragment, type BudgetLine } from "~/domain/plan-document";
import { VERSION_KINDS } from "~/domain/plan-history/summary";
import { unpackState } from "~/services/history.server";
import { BLANK_PLAN, createPlan } from "~/services/plans.server";
import type { PlanSession } from "~/collab/plan-session";
import { freshDbPath } from "../support/db";
import { makeMember, type MadeMember } from "../support/factories";
import { addToPlan } from "../support/plans";
import { openSynced, waitUntil } from "../support/collab-client";

const children: ChildProcess[] = [];
const sessions: PlanSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

async function prepare(dbPath: string) {
  const db = createDb(dbPath);
  await migrateToLatest(db);
  const a = await makeMember(db, { role: "planner" });
  const b = await makeMember(db, { role: "planner" });
  // A big plan, so writing a version (decode, compare, deflate, insert) takes a while.
  const budget: Omit<BudgetLine, "id">[] = Array.from({ length: 5_000 }, (_, i) => ({ ...blankRow("budget", "2027-06-01"), item: `物料${i}`, quantityHundredths: 100, unitPriceFen: i }));
  const planId = await createPlan(
    db,
    a.id,
    { title: "五千行", campaignType: "holiday", startDate: "2027-06-01", endDate: "2027-06-12", store: "外滩店" },
    { ...BLANK_PLAN, sections: [{ heading: "活动目的", kind: "richText", paragraphs: [] }, ...BLANK_PLAN.sections], blocks: { ...BLANK_PLAN.blocks, budget } },
  );
  await addToPlan(db, planId, b.id, "edit", a.id);
  await db.destroy();
  return { a, b, planId };
}

interface Child {
  child: ChildProcess;
  url: string;
  /** Resolves at the next stdout output matching. */
  next: (pattern: RegExp) => Promise<void>;
}

function startChild(dbPath: string): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/history-server-child.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: dbPath, SEED_DEMO: "false", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  const waiters: { pattern: RegExp; from: number; resolve: () => void }[] = [];
  const next = (pattern: RegExp) => new Promise<void>((resolve) => waiters.push({ pattern, from: out.length, resolve }));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      for (const waiter of waiters.splice(0)) {
        if (waiter.pattern.test(out.slice(waiter.from))) waiter.resolve();
        else waiters.push(waiter);
      }
      const match = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, next });
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function join(url: string, member: MadeMember, planId: string): Promise<PlanSession> {
  const session = await openSynced(url, member, planId);
  sessions.push(session);
  return session;
}

function write(session: PlanSession, text: string): void {
  const doc = session.state.doc;
  const fragment = sectionFragment(doc, readPlanDoc(doc).sections[0]!.id);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

const text = (doc: Y.Doc) => sectionFragment(doc, readPlanDoc(doc).sections[0]!.id).toString();

describe("a version write killed halfway", () => {
  it("loses no edit, leaves no half version, and is made up for after restart", async () => {
    const dbPath = freshDbPath();
    const { a, b, planId } = await prepare(dbPath);
    const first = await startChild(dbPath);
    const sa = await join(first.url, a, planId);
    const sb = await join(first.url, b, planId);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      write(i % 2 === 0 ? sa : sb, `第${i}条`);
      await waitUntil(() => text((i % 2 === 0 ? sb : sa).state.doc).includes(`第${i}条`), `edit ${i} reached the peer`);
      seen.push(`第${i}条`);
    }
    // Quiet now: the scheduler starts a version; kill the server the moment it does.
    const writing = first.next(/version writing/);
    await writing;
    const exited = new Promise((resolve) => first.child.on("exit", resolve));
    first.child.kill("SIGKILL");
    await exited;
    for (const s of sessions.splice(0)) s.destroy();

    const db = createDb(dbPath);
    try {
      // Whatever the kill left: whole versions only.
      for (const row of await db.selectFrom("plan_versions").selectAll().where("plan_id", "=", planId).execute()) {
        expect(VERSION_KINDS).toContain(row.kind);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, unpackState(row.state));
        expect(readBlock(doc, "budget").rows).toHaveLength(5_000);
        expect(Y.encodeStateVector(doc)).toEqual(new Uint8Array(row.state_vector));
        expect(() => JSON.parse(row.summary) as unknown).not.toThrow();
      }

      const { integrity_check } = (await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db)).rows[0]!;
      expect(integrity_check).toBe("ok");

      const second = await startChild(dbPath);
      const sc = await join(second.url, a, planId);
      for (const edit of seen) expect(text(sc.state.doc)).toContain(edit);
      // Unless the killed write had committed, the document moved on since its last whole version and the restarted server versions it.
      await waitUntil(async () => {
        const latest = await db.selectFrom("plan_versions").select("state").where("plan_id", "=", planId).orderBy("id", "desc").executeTakeFirst();
        if (!latest) return false;
        const doc = new Y.Doc();
        Y.applyUpdate(doc, unpackState(latest.state));
        return seen.every((edit) => text(doc).includes(edit));
      }, "a version holding every edit", 60_000);
    } finally {
      await db.destroy();
    }
  }, 180_000);
});
