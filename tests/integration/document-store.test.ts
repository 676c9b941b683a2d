import { sql } from "kysely";
import * as Y from "yjs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { loadStoredDocument } from "../../db/queries/documents";
import { DocumentStore, loadDocument } from "../../server/collab/document-store";
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
