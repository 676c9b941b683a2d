import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { blankRow, insertRow, readBlock, removeRow, sectionFragment, updateRow } from "~/domain/plan-document";
import type { DocumentStore } from "./document-store";
import { applyWithoutBudget, closingRefusal } from "./refusal";
import { Room, SERVER_AUTHOR, type Connection } from "./room";

/** A room whose store keeps what it was given; "stored" runs the broadcast at once. */
function roomWithLockedBudget(): { room: Room; stored: Array<{ update: Uint8Array; userId: number | null }> } {
  const seed = new Y.Doc();
  insertRow(seed, "budget", { ...blankRow("budget", "2027-09-01"), category: "活动物料", item: "舞台搭建", unitPriceFen: 800_000 });
  insertRow(seed, "budget", { ...blankRow("budget", "2027-09-01"), category: "活动物料", item: "宣传单页", unitPriceFen: 100 });
  const doc = new Y.Doc();
  // Loaded from bytes, as the server loads a plan: its roots start untyped.
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
  const stored: Array<{ update: Uint8Array; userId: number | null }> = [];
  const store = {
    append: (update: Uint8Array, userId: number | null, afterStore: () => void) => {
      stored.push({ update, userId });
      afterStore();
    },
  } as unknown as DocumentStore;
  return { room: new Room("plan", doc, store, true, 0), stored };
}

const connection = { userId: 7, canEdit: true } as unknown as Connection;

function clientOf(room: Room): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
  return client;
}

function editOn(client: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(client);
  client.transact(() => change(client));
  return Y.encodeStateAsUpdate(client, before);
}

const rowsOf = (doc: Y.Doc) => readBlock(doc, "budget").rows;

describe("applyWithoutBudget", () => {
  it("keeps an update's section text and reverts its budget cell, storing one update that never shows the refused price", () => {
    const { room, stored } = roomWithLockedBudget();
    const before = rowsOf(room.doc);
    const watcher = clientOf(room);
    const client = clientOf(room);
    const update = editOn(client, (doc) => {
      updateRow(doc, "budget", before[0]!.id, { unitPriceFen: 1 });
      sectionFragment(doc, "s1").insert(0, [new Y.XmlText("活动背景")]);
    });
    applyWithoutBudget(room, connection, update);

    expect(rowsOf(room.doc)).toEqual(before);
    expect(sectionFragment(room.doc, "s1").toString()).toBe("活动背景");
    expect(stored).toHaveLength(1);
    expect(stored[0]!.userId).toBe(7);
    const seen: Array<number | null> = [];
    watcher.getArray("budget").observeDeep(() => seen.push(...rowsOf(watcher).map((row) => row.unitPriceFen)));
    Y.applyUpdate(watcher, stored[0]!.update);
    expect(seen).not.toContain(1);
    expect(rowsOf(watcher)).toEqual(before);
    expect(sectionFragment(watcher, "s1").toString()).toBe("活动背景");
    // The sender applies the same update and drops its refused price.
    Y.applyUpdate(client, stored[0]!.update);
    expect(rowsOf(client)).toEqual(before);
  });

  it("restores a deleted row, removes an added one, and claims the client id it restores under", () => {
    const { room, stored } = roomWithLockedBudget();
    const before = rowsOf(room.doc);
    const client = clientOf(room);
    const update = editOn(client, (doc) => {
      removeRow(doc, "budget", before[1]!.id);
      insertRow(doc, "budget", { ...blankRow("budget", "2027-09-01"), category: "活动物料", item: "加塞" });
    });
    applyWithoutBudget(room, connection, update);

    expect(rowsOf(room.doc)).toEqual(before);
    expect(room.authors.get(room.doc.clientID)).toBe(SERVER_AUTHOR);
    Y.applyUpdate(client, stored[0]!.update);
    expect(rowsOf(client)).toEqual(before);
  });

  it("reverts a later edit building on an earlier refused one", () => {
    const { room } = roomWithLockedBudget();
    const before = rowsOf(room.doc);
    const client = clientOf(room);
    const first = editOn(client, (doc) => updateRow(doc, "budget", before[0]!.id, { unitPriceFen: 2 }));
    const second = editOn(client, (doc) => updateRow(doc, "budget", before[0]!.id, { unitPriceFen: 3 }));
    applyWithoutBudget(room, connection, first);
    applyWithoutBudget(room, connection, second);
    expect(rowsOf(room.doc)).toEqual(before);
  });
});

describe("closingRefusal", () => {
  it("lets an editor's locked-budget write through to be reverted, and closes on anything else", () => {
    const locked = { root: "budget", reason: "budgetLocked" } as const;
    const unknown = { root: "evil", reason: "unknownRoot" } as const;
    const readOnly = { root: "meta", reason: "readOnly" } as const;
    expect(closingRefusal([locked], true)).toBeUndefined();
    expect(closingRefusal([locked, unknown], true)).toBe(unknown);
    expect(closingRefusal([readOnly], false)).toBe(readOnly);
    expect(closingRefusal([], true)).toBeUndefined();
  });
});
