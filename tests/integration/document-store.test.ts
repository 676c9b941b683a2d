import { sql } from "kysely";
import * as Y from "yjs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { loadStoredDocument } from "../../db/queries/documents";
import { DocumentStore, loadDocument } from "../../server/collab/document-store";
import { UpdateLog } from "../../server/collab/update-log";
import { freshDbPath } from "../support/db";
import { makeMember } from "../support/factories";
import { makePlan } from "../support/plans";
import { waitUntil } from "../support/collab-client";

let db: Db;
let planId: string;
beforeEach(async () => {
  db = createDb(freshDbPath());
  await migrateToLatest(db);
  planId = await makePlan(db, (await makeMember(db, { role: "planner" })).id);
});
afterEach(() => db.destroy());

function edit(doc: Y.Doc, key: string): Uint8Array {
  let captured: Uint8Array | undefined;
  const listener = (update: Uint8Array) => (captured = update);
  doc.on("update", listener);
  doc.getMap("meta").set(key, key);
  doc.off("update", listener);
  return captured!;
}

it("keeps updates in memory while the database refuses them, relays nothing, and stores them once it recovers", async () => {
  const { doc, lastUpdateId } = await loadDocument(db, planId);
  const logged: string[] = [];
  const store = new DocumentStore(doc, { db, planId, lastUpdateId, tail: 0, snapshotEvery: 1000, log: (m) => logged.push(m) });
  await sql`ALTER TABLE doc_updates RENAME TO doc_updates_away`.execute(db);
  const relayed: string[] = [];
  store.append(edit(doc, "a"), null, () => relayed.push("a"));
  store.append(edit(doc, "b"), null, () => relayed.push("b"));
  await waitUntil(() => logged.length >= 2, "two failed attempts logged");
  expect(relayed).toEqual([]);
  expect(store.pending).toBe(2);
  await sql`ALTER TABLE doc_updates_away RENAME TO doc_updates`.execute(db);
  await store.whenStored();
  expect(relayed).toEqual(["a", "b"]);
  const reloaded = await loadDocument(db, planId);
  expect(reloaded.doc.getMap("meta").get("a")).toBe("a");
  expect(reloaded.doc.getMap("meta").get("b")).toBe("b");
});

it("compacts the log into a snapshot after enough updates, losing nothing", async () => {
  const { doc, lastUpdateId } = await loadDocument(db, planId);
  const store = new DocumentStore(doc, { db, planId, lastUpdateId, tail: 0, snapshotEvery: 5, log: () => {} });
  for (let i = 0; i < 12; i++) {
    store.append(edit(doc, `k${i}`), null, () => {});
    await store.whenStored();
  }
  const stored = await loadStoredDocument(db, planId);
  expect(stored.updates.length).toBeLessThan(5);
  const reloaded = await loadDocument(db, planId);
  for (let i = 0; i < 12; i++) expect(reloaded.doc.getMap("meta").get(`k${i}`)).toBe(`k${i}`);
});

it("stores several plans' updates of one tick together, in order, each relayed only once stored, and retries them together", async () => {
  const other = await makePlan(db, (await makeMember(db, { role: "planner" })).id);
  const logged: string[] = [];
  const updateLog = new UpdateLog(db, (m) => logged.push(m));
  const stores = await Promise.all(
    [planId, other].map(async (id) => {
      const { doc, lastUpdateId } = await loadDocument(db, id);
      return { id, doc, store: new DocumentStore(doc, { db, planId: id, lastUpdateId, tail: 0, snapshotEvery: 1000, log: () => {}, updateLog }) };
    }),
  );
  await sql`ALTER TABLE doc_updates RENAME TO doc_updates_away`.execute(db);
  const relayed: string[] = [];
  for (const key of ["a", "b"]) for (const { id, doc, store } of stores) store.append(edit(doc, key), null, () => relayed.push(`${id}:${key}`));
  await waitUntil(() => logged.some((m) => m.includes("4 update(s) of 2 plan(s) failed")), "the shared batch failed as one");
  expect(relayed).toEqual([]);
  await sql`ALTER TABLE doc_updates_away RENAME TO doc_updates`.execute(db);
  await Promise.all(stores.map(({ store }) => store.whenStored()));
  expect(relayed).toEqual([`${planId}:a`, `${other}:a`, `${planId}:b`, `${other}:b`]);
  for (const { id } of stores) {
    const reloaded = await loadDocument(db, id);
    expect([reloaded.doc.getMap("meta").get("a"), reloaded.doc.getMap("meta").get("b")]).toEqual(["a", "b"]);
  }
});
