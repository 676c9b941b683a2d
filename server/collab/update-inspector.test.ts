// Over 400 lines: one table of accepted and refused updates per root, plus the pinned Yjs internals, sharing hand-built updates.
import { readFileSync } from "node:fs";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import { inspectUpdate, type Inspection } from "./update-inspector";

/** The shape of a plan document, kept small: a meta map, a budget table, KPIs and one rich-text section. */
function serverDoc(rows = 3): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap("meta").set("title", "Mid-autumn gala");
    const budget = doc.getArray<Y.Map<unknown>>("budget");
    for (let i = 0; i < rows; i++) budget.push([budgetRow(`item ${i}`, i + 1)]);
    doc.getArray<string>("kpis").push(["attendance"]);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("Hello wonderful world")]);
    doc.getXmlFragment("section:s1").insert(0, [paragraph]);
  });
  return doc;
}

function budgetRow(label: string, qty: number): Y.Map<unknown> {
  const row = new Y.Map<unknown>();
  row.set("label", label);
  row.set("qty", qty);
  row.set("price", 10);
  return row;
}

function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

/** What the client has that the server lacks, as y-websocket's sync step 2 would send it. */
function diff(client: Y.Doc, server: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
}

function captureUpdates(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const onUpdate = (update: Uint8Array) => updates.push(update);
  doc.on("update", onUpdate);
  edit();
  doc.off("update", onUpdate);
  return updates;
}

function paragraphText(doc: Y.Doc, index = 0): Y.XmlText {
  const paragraph = doc.getXmlFragment("section:s1").get(index) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

function budgetRowOf(doc: Y.Doc, index: number): Y.Map<unknown> {
  return doc.getArray<Y.Map<unknown>>("budget").get(index);
}

function rootsJson(doc: Y.Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, type] of doc.share) out.set(name, JSON.stringify(type.toJSON()));
  return out;
}

/** Inspects and proves the inspection left the server untouched. */
function inspect(server: Y.Doc, update: Uint8Array): Inspection {
  const stateBefore = Y.encodeStateVector(server);
  const rootsBefore = [...server.share.keys()];
  const contentBefore = rootsJson(server);
  const structsBefore = [...server.store.clients].map(([client, structs]) => [client, structs.length]);
  const result = inspectUpdate(server, update);
  expect(Y.encodeStateVector(server)).toEqual(stateBefore);
  expect([...server.share.keys()]).toEqual(rootsBefore);
  expect(rootsJson(server)).toEqual(contentBefore);
  expect([...server.store.clients].map(([client, structs]) => [client, structs.length])).toEqual(structsBefore);
  return result;
}

function rootsOf(result: Inspection): string[] {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  return [...result.roots].sort();
}

/** Applies the update and returns the roots whose content actually changed. */
function applyAndDiff(server: Y.Doc, update: Uint8Array): string[] {
  const before = rootsJson(server);
  Y.applyUpdate(server, update);
  const after = rootsJson(server);
  const changed = new Set<string>();
  for (const [name, json] of after) if (!before.has(name) || before.get(name) !== json) changed.add(name);
  for (const name of before.keys()) if (!after.has(name)) changed.add(name);
  return [...changed].sort();
}

/** Hand-written V1 updates, for what no honest Yjs client would send. */
function craft(groups: { client: number; clock: number; items: Y.Item[] }[], deletes: [number, number, number][] = []): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, groups.length);
  for (const group of groups) {
    encoding.writeVarUint(encoder.restEncoder, group.items.length);
    encoder.writeClient(group.client);
    encoding.writeVarUint(encoder.restEncoder, group.clock);
    for (const item of group.items) item.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, deletes.length);
  for (const [client, clock, len] of deletes) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeDsClock(clock);
    encoder.writeDsLen(len);
  }
  return encoder.toUint8Array();
}

/** Roots to name as a crafted item's parent: Item#write encodes a root type by its key. */
const scratch = new Y.Doc();

function char(client: number, clock: number, origin: Y.ID | null, parent: string | Y.ID | null = null, rightOrigin: Y.ID | null = null): Y.Item {
  const parentType = typeof parent === "string" ? scratch.get(parent) : parent;
  return new Y.Item(Y.createID(client, clock), null, origin, null, rightOrigin, parentType, null, new Y.ContentString("x"));
}

describe("inspectUpdate", () => {
  it("names a root map whose key is set", () => {
    const server = serverDoc();
    const client = clientOf(server);
    client.getMap("meta").set("title", "Spring sale");
    expect(rootsOf(inspect(server, diff(client, server)))).toEqual(["meta"]);
  });

  it("traces a cell edit in an existing row back to the budget array", () => {
    const server = serverDoc();
    const client = clientOf(server);
    budgetRowOf(client, 1).set("qty", 3);
    const update = diff(client, server);
    expect(rootsOf(inspect(server, update))).toEqual(["budget"]);
    expect(applyAndDiff(server, update)).toEqual(["budget"]);
  });

  it("resolves a new row and its cells created in one transaction", () => {
    const server = serverDoc();
    const client = clientOf(server);
    const [update] = captureUpdates(client, () => {
      client.getArray<Y.Map<unknown>>("budget").insert(1, [budgetRow("stage", 1)]);
    });
    expect(rootsOf(inspect(server, update!))).toEqual(["budget"]);
  });

  it("counts a row deletion, and not a deletion the server already has", () => {
    const server = serverDoc();
    const first = clientOf(server);
    const second = clientOf(server);
    first.getArray("budget").delete(0, 1);
    second.getArray("budget").delete(0, 1);

    const firstUpdate = diff(first, server);
    expect(rootsOf(inspect(server, firstUpdate))).toEqual(["budget"]);
    Y.applyUpdate(server, firstUpdate);

    const secondUpdate = diff(second, server);
    expect(rootsOf(inspect(server, secondUpdate))).toEqual([]);
    expect(applyAndDiff(server, secondUpdate)).toEqual([]);
  });

  it("resolves typing in the middle of a paragraph, where Yjs omits the parent", () => {
    const server = serverDoc();
    const client = clientOf(server);
    const [update] = captureUpdates(client, () => paragraphText(client).insert(6, "very "));
    const items = Y.decodeUpdate(update!).structs.filter((s): s is Y.Item => s instanceof Y.Item);
    expect(items.every((item) => item.parent === null && item.origin !== null)).toBe(true);
    expect(rootsOf(inspect(server, update!))).toEqual(["section:s1"]);
  });

  it("resolves an offline session of dependent edits sent as one update", () => {
    const server = serverDoc();
    const client = clientOf(server);
    const updates = captureUpdates(client, () => {
      const paragraph = new Y.XmlElement("paragraph");
      client.getXmlFragment("section:s1").insert(1, [paragraph]);
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      const sentence = "Offline notes, typed one key at a time.";
      for (let i = 0; i < sentence.length; i++) text.insert(i, sentence[i]!);
      text.insert(0, ">> ");
      text.format(3, 7, { bold: true });
      paragraph.setAttribute("align", "center");
      paragraphText(client).insert(0, "Well, ");
      paragraphText(client).delete(0, 2);
    });
    expect(updates.length).toBeGreaterThan(40);

    expect(rootsOf(inspect(server, diff(client, server)))).toEqual(["section:s1"]);
    expect(rootsOf(inspect(server, Y.mergeUpdates(updates)))).toEqual(["section:s1"]);
    expect(applyAndDiff(server, diff(client, server))).toEqual(["section:s1"]);
  });

  it("names every root one update touches", () => {
    const server = serverDoc();
    const client = clientOf(server);
    client.transact(() => {
      client.getMap("meta").set("store", "Nanjing Road");
      budgetRowOf(client, 2).set("price", 12);
      client.getArray("kpis").delete(0, 1);
    });
    expect(rootsOf(inspect(server, diff(client, server)))).toEqual(["budget", "kpis", "meta"]);
  });

  it("names a root the server has never heard of, without creating it", () => {
    const server = serverDoc();
    const client = clientOf(server);
    client.transact(() => {
      client.getMap("evil").set("payload", 1);
      client.getMap("meta").set("title", "innocent");
    });
    expect(rootsOf(inspect(server, diff(client, server)))).toEqual(["evil", "meta"]);
    expect(server.share.has("evil")).toBe(false);
  });

  it("refuses an update that depends on one the server never saw", () => {
    const server = serverDoc();
    const client = clientOf(server);
    const [newRow] = captureUpdates(client, () => client.getArray("budget").push([budgetRow("tent", 1)]));
    const [cellEdit] = captureUpdates(client, () => budgetRowOf(client, 3).set("qty", 2));
    expect(inspect(server, cellEdit!)).toEqual({ ok: false, reason: "unresolvable" });

    const [newParagraph] = captureUpdates(client, () => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("draft")]);
      client.getXmlFragment("section:s1").push([paragraph]);
    });
    const [typing] = captureUpdates(client, () => paragraphText(client, 1).insert(5, "!"));
    expect(inspect(server, typing!)).toEqual({ ok: false, reason: "unresolvable" });

    Y.applyUpdate(server, newRow!);
    expect(rootsOf(inspect(server, cellEdit!))).toEqual(["budget"]);
    expect(rootsOf(inspect(server, Y.mergeUpdates([newParagraph!, typing!])))).toEqual(["section:s1"]);
    // Without the cell edit before it Yjs parks the paragraph in pendingStructs: its root is still known now.
    Y.applyUpdate(server, newParagraph!);
    expect(server.store.pendingStructs).not.toBeNull();
    expect(inspect(server, typing!)).toEqual({ ok: false, reason: "unresolvable" });
    Y.applyUpdate(server, cellEdit!);
    expect(rootsOf(inspect(server, typing!))).toEqual(["section:s1"]);
  });

  it("resolves what it can across a Skip and refuses what hides behind one", () => {
    const server = serverDoc();
    const client = clientOf(server);
    const [row, cell, text, more] = captureUpdates(client, () => {
      client.getArray("budget").push([budgetRow("tent", 1)]);
      budgetRowOf(client, 3).set("qty", 2);
      paragraphText(client).insert(0, "a");
      paragraphText(client).insert(1, "b");
    });
    const holed = Y.mergeUpdates([row!, text!]);
    expect(Y.decodeUpdate(holed).structs.some((struct) => struct instanceof Y.Skip)).toBe(true);
    expect(rootsOf(inspect(server, holed))).toEqual(["budget", "section:s1"]);
    expect(inspect(server, Y.mergeUpdates([row!, more!]))).toEqual({ ok: false, reason: "unresolvable" });
    expect(inspect(server, Y.mergeUpdates([cell!, text!]))).toEqual({ ok: false, reason: "unresolvable" });
  });

  it("calls garbage, truncation and trailing bytes malformed, and the canonical empty update a no-op", () => {
    const server = serverDoc();
    const client = clientOf(server);
    client.transact(() => {
      client.getMap("meta").set("title", "x");
      client.getArray("kpis").push([{ name: "reach", target: 1000 }]);
      paragraphText(client).insert(3, "abc");
      client.getArray("budget").delete(1, 1);
    });
    const real = diff(client, server);

    expect(inspect(server, new Uint8Array([]))).toEqual({ ok: false, reason: "malformed" });
    expect(inspect(server, new Uint8Array([0, 0]))).toEqual({ ok: true, roots: new Set() });
    expect(inspect(server, new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toEqual({ ok: false, reason: "malformed" });
    for (let end = 0; end < real.length; end++) {
      expect(inspect(server, real.slice(0, end))).toEqual({ ok: false, reason: "malformed" });
    }
    expect(inspect(server, Uint8Array.from([...real, 0]))).toEqual({ ok: false, reason: "malformed" });
    expect(inspect(server, new Uint8Array([0, 0, 7]))).toEqual({ ok: false, reason: "malformed" });

    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      const result = inspectUpdate(server, bytes);
      expect(result.ok === false || result.roots instanceof Set).toBe(true);
    }
    expect(rootsOf(inspect(server, real))).toEqual(["budget", "kpis", "meta", "section:s1"]);
  });

  it("sees nothing new in an update the server already applied", () => {
    const server = serverDoc();
    const client = clientOf(server);
    client.getMap("meta").set("title", "again");
    budgetRowOf(client, 0).set("qty", 9);
    client.getArray("kpis").delete(0, 1);
    const update = diff(client, server);
    Y.applyUpdate(server, update);
    expect(rootsOf(inspect(server, update))).toEqual([]);
    expect(rootsOf(inspect(server, Y.encodeStateAsUpdate(client)))).toEqual([]);
  });

  it("ignores deletions of text the server already deleted and collected", () => {
    const server = serverDoc();
    paragraphText(server).insert(21, "!".repeat(200));
    const slow = clientOf(server);
    const fast = clientOf(server);
    paragraphText(fast).delete(5, 150);
    Y.applyUpdate(server, diff(fast, server));
    expect(server.gc).toBe(true);

    const inside = clientOf(slow);
    paragraphText(inside).delete(20, 50);
    expect(rootsOf(inspect(server, diff(inside, server)))).toEqual([]);

    const overlapping = clientOf(slow);
    paragraphText(overlapping).delete(100, 100);
    const update = diff(overlapping, server);
    expect(rootsOf(inspect(server, update))).toEqual(["section:s1"]);
    expect(applyAndDiff(server, update)).toEqual(["section:s1"]);
  });

  it("treats edits inside a paragraph the server deleted and collected as no-ops, as Yjs does", () => {
    const server = serverDoc();
    const stale = clientOf(server);
    const remover = clientOf(server);
    remover.getXmlFragment("section:s1").delete(0, 1);
    Y.applyUpdate(server, diff(remover, server));
    expect([...server.store.clients.values()].flat().some((struct) => struct instanceof Y.GC)).toBe(true);

    const deleter = clientOf(stale);
    paragraphText(deleter).delete(2, 5);
    expect(rootsOf(inspect(server, diff(deleter, server)))).toEqual([]);

    paragraphText(stale).insert(6, "typed ");
    paragraphText(stale).insert(0, "> ");
    paragraphText(stale).format(0, 4, { italic: true });
    const update = diff(stale, server);
    expect(rootsOf(inspect(server, update))).toEqual([]);
    expect(applyAndDiff(server, update)).toEqual([]);
  });

  it("treats a child of a non-type item as a no-op, as Yjs does", () => {
    const server = serverDoc();
    const titleItem = (server.getMap("meta") as unknown as { _map: Map<string, Y.Item> })._map.get("title")!;
    const update = craft([{ client: 7, clock: 0, items: [char(7, 0, null, titleItem.id)] }]);
    expect(rootsOf(inspect(server, update))).toEqual([]);
    expect(applyAndDiff(server, update)).toEqual([]);
  });

  it("refuses dependency cycles and same-client forward references", () => {
    const server = serverDoc();
    const cycle = craft([
      { client: 8, clock: 0, items: [char(8, 0, Y.createID(9, 0))] },
      { client: 9, clock: 0, items: [char(9, 0, Y.createID(8, 0))] },
    ]);
    expect(inspect(server, cycle)).toEqual({ ok: false, reason: "unresolvable" });

    const forward = craft([{ client: 8, clock: 0, items: [char(8, 0, Y.createID(8, 1)), char(8, 1, null, "meta")] }]);
    expect(inspect(server, forward)).toEqual({ ok: false, reason: "unresolvable" });
  });

  it("refuses an item whose neighbours live in different roots", () => {
    const server = serverDoc();
    const metaItem = (server.getMap("meta") as unknown as { _map: Map<string, Y.Item> })._map.get("title")!;
    const kpiItem = (server.getArray("kpis") as unknown as { _start: Y.Item })._start;
    const forged = craft([{ client: 8, clock: 0, items: [char(8, 0, kpiItem.id, null, metaItem.id)] }]);
    expect(inspect(server, forged)).toEqual({ ok: false, reason: "unresolvable" });
  });

  it("refuses a client with two struct groups, of which Yjs would apply only the last, as malformed", () => {
    const server = serverDoc();
    const overlap = craft([
      { client: 8, clock: 0, items: [char(8, 0, null, "meta")] },
      { client: 8, clock: 0, items: [char(8, 0, null, "evil")] },
    ]);
    expect(inspect(server, overlap)).toEqual({ ok: false, reason: "malformed" });

    // Looks like one contiguous run once decoded, but applyUpdate drops the first group and parks the deletion.
    const victim = clientOf(server).clientID;
    const split = craft(
      [
        { client: victim, clock: 0, items: [char(victim, 0, null, "meta")] },
        { client: victim, clock: 1, items: [char(victim, 1, Y.createID(victim, 0))] },
      ],
      [[victim, 0, 1]],
    );
    expect(Y.decodeUpdate(split).structs.map((struct) => struct.id.clock)).toEqual([0, 1]);
    expect(inspect(server, split)).toEqual({ ok: false, reason: "malformed" });
    Y.applyUpdate(server, split);
    expect(server.store.pendingDs).not.toBeNull();
  });

  it("counts deletions of the update's own items and refuses ranges nobody knows", () => {
    const server = serverDoc();
    const own = craft([{ client: 8, clock: 0, items: [char(8, 0, null, "evil"), char(8, 1, Y.createID(8, 0))] }], [[8, 1, 1]]);
    expect(rootsOf(inspect(server, own))).toEqual(["evil"]);
    expect(applyAndDiff(server, own)).toEqual(["evil"]);

    const emptyRange = craft([{ client: 9, clock: 0, items: [char(9, 0, null, "meta")] }], [[9, 5, 0]]);
    expect(inspect(server, emptyRange)).toEqual({ ok: false, reason: "malformed" });
    expect(() => Y.applyUpdate(new Y.Doc(), emptyRange)).toThrow();

    const beyondOwn = craft([{ client: 9, clock: 0, items: [char(9, 0, null, "meta")] }], [[9, 0, 2]]);
    expect(inspect(server, beyondOwn)).toEqual({ ok: false, reason: "unresolvable" });
    const holed = Y.mergeUpdates([
      craft([{ client: 9, clock: 0, items: [char(9, 0, null, "meta")] }]),
      craft([{ client: 9, clock: 2, items: [char(9, 2, null, "meta")] }]),
    ]);
    expect(Y.decodeUpdate(holed).structs.map((struct) => struct.constructor)).toEqual([Y.Item, Y.Skip, Y.Item]);
    expect(inspect(server, Y.mergeUpdates([holed, craft([], [[9, 0, 3]])]))).toEqual({ ok: false, reason: "unresolvable" });
    expect(rootsOf(inspect(server, Y.mergeUpdates([holed, craft([], [[9, 2, 1]])])))).toEqual(["meta"]);
    expect(inspect(server, craft([], [[999, 0, 10]]))).toEqual({ ok: false, reason: "unresolvable" });
  });

  it("refuses deleting content that does not exist yet, which Yjs would delete on arrival", () => {
    const server = serverDoc();
    const editor = clientOf(server);
    const next = Y.getState(server.store, editor.clientID);
    const ambush = craft([], [[editor.clientID, next, 1_000]]);
    expect(inspect(server, ambush)).toEqual({ ok: false, reason: "unresolvable" });

    // What acceptance would do: the editor's next rows vanish the moment they reach the server.
    Y.applyUpdate(server, ambush);
    editor.getArray("budget").push([budgetRow("stage", 1)]);
    Y.applyUpdate(server, diff(editor, server));
    expect(server.getArray("budget").length).toBe(3);
    expect(editor.getArray("budget").length).toBe(4);
  });

  it("resolves a dependency chain far deeper than the call stack", () => {
    const server = serverDoc();
    const n = 30_000;
    const a: Y.Item[] = [];
    const b: Y.Item[] = [];
    // a[0] depends on b[n-1], which depends on a[n-1], ... down to b[0], which sits in "kpis".
    for (let k = 0; k < n; k++) {
      a.push(char(1, k, Y.createID(2, k === 0 ? n - 1 : k - 1)));
      b.push(k === 0 ? char(2, 0, null, "kpis") : char(2, k, Y.createID(1, k)));
    }
    const update = craft([
      { client: 1, clock: 0, items: a },
      { client: 2, clock: 0, items: b },
    ]);
    expect(rootsOf(inspect(server, update))).toEqual(["kpis"]);
  });

  it("inspects a cell edit in a 5,000-row document quickly", () => {
    const server = serverDoc(5_000);
    const client = clientOf(server);
    const updates = captureUpdates(client, () => {
      for (let i = 0; i < 500; i++) budgetRowOf(client, (i * 37) % 5_000).set("qty", i);
    });
    let inspecting = 0;
    for (const update of updates) {
      const started = performance.now();
      const result = inspectUpdate(server, update);
      inspecting += performance.now() - started;
      expect(rootsOf(result)).toEqual(["budget"]);
      Y.applyUpdate(server, update);
    }
    expect(inspecting).toBeLessThan(500);
  });

  it("never misses a root that applying the update changes (randomized sessions)", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (n: number) => Math.floor(random() * n);

    for (let round = 0; round < 30; round++) {
      const server = serverDoc();
      const clients = [clientOf(server), clientOf(server), clientOf(server)];
      for (let step = 0; step < 40; step++) {
        const client = clients[pick(clients.length)]!;
        editRandomly(client, pick);
        if (random() < 0.4) {
          const update = diff(client, server);
          const result = inspect(server, update);
          expect(result.ok).toBe(true);
          const changed = applyAndDiff(server, update);
          if (result.ok) for (const root of changed) expect(result.roots).toContain(root);
        }
        if (random() < 0.3) {
          const reader = clients[pick(clients.length)]!;
          Y.applyUpdate(reader, diff(server, reader));
        }
      }
    }
  });
});

function editRandomly(doc: Y.Doc, pick: (n: number) => number): void {
  const budget = doc.getArray<Y.Map<unknown>>("budget");
  const section = doc.getXmlFragment("section:s1");
  switch (pick(8)) {
    case 0:
      doc.getMap("meta").set(["title", "store", "owner"][pick(3)]!, `v${pick(100)}`);
      break;
    case 1:
      budget.insert(pick(budget.length + 1), [budgetRow(`row ${pick(100)}`, pick(9))]);
      break;
    case 2:
      if (budget.length > 0) budget.delete(pick(budget.length), 1);
      break;
    case 3:
      if (budget.length > 0) budget.get(pick(budget.length)).set("qty", pick(50));
      break;
    case 4: {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(`p${pick(100)}`)]);
      section.insert(pick(section.length + 1), [paragraph]);
      break;
    }
    case 5:
      if (section.length > 1) section.delete(pick(section.length), 1);
      break;
    case 6:
    case 7: {
      if (section.length === 0) break;
      const text = (section.get(pick(section.length)) as Y.XmlElement).get(0) as Y.XmlText;
      const at = pick(text.length + 1);
      const action = pick(3);
      if (action === 0) text.insert(at, "abc".slice(0, 1 + pick(3)));
      else if (action === 1 && text.length > at) text.delete(at, 1 + pick(text.length - at));
      else if (text.length > at) text.format(at, 1, { bold: pick(2) === 0 ? true : null });
      else doc.getArray("kpis").push([pick(10)]);
      break;
    }
  }
}

describe("the Yjs internals inspectUpdate relies on (yjs pinned exactly in package.json)", () => {
  const pinned = (name: string) => (JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> }).dependencies[name];
  const installed = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;

  it("runs on the exact yjs version it was checked against", () => {
    expect(pinned("yjs")).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed("yjs")).toBe(pinned("yjs"));
  });

  it("gets Y.decodeUpdateV2's hidden decoder: built once from the update's bytes, read to the end, one readClient per struct group", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap("meta").set("title", "a");
    b.getArray("budget").insert(0, ["b"]);
    const update = Y.mergeUpdates([Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)]);
    const seen: { arr: Uint8Array; pos: number }[] = [];
    let clientReads = 0;
    class Probe extends Y.UpdateDecoderV1 {
      constructor(decoder: ConstructorParameters<typeof Y.UpdateDecoderV1>[0]) {
        super(decoder);
        seen.push(decoder);
      }
      override readClient(): number {
        clientReads++;
        return super.readClient();
      }
    }
    const decoded = Y.decodeUpdateV2(update, Probe);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.arr).toBe(update);
    expect(seen[0]!.pos).toBe(update.length);
    expect(clientReads).toBe(2);
    expect(decoded.structs).toHaveLength(2);
  });

  it("reads the struct store and the parent links as it expects them", () => {
    const doc = new Y.Doc();
    const rows = doc.getArray<Y.Map<unknown>>("budget");
    const row = new Y.Map<unknown>();
    rows.insert(0, [row]);
    row.set("item", "气球");
    expect(doc.store.clients).toBeInstanceOf(Map);
    const structs = doc.store.clients.get(doc.clientID)!;
    expect(Array.isArray(structs)).toBe(true);
    expect(structs[Y.findIndexSS(structs, 0)]).toBeInstanceOf(Y.Item);
    expect([doc.store.pendingStructs, doc.store.pendingDs]).toEqual([null, null]);
    expect(rows._item).toBeNull();
    expect(row._item?.parent).toBe(rows);
    expect(Y.findRootTypeKey(rows)).toBe("budget");
  });
});
