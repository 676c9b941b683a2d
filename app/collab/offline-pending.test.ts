import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { CHANGE_BURST_MS, ChangeCounter, touchedPartsKey } from "./offline-pending";

function keysOf(doc: Y.Doc, edit: () => void): string {
  let key = "";
  const listener = (tr: Y.Transaction) => (key = touchedPartsKey(tr));
  doc.on("afterTransaction", listener);
  doc.transact(edit);
  doc.off("afterTransaction", listener);
  return key;
}

describe("the pending-change count", () => {
  it("names the top-level part a nested edit touched", () => {
    const doc = new Y.Doc();
    const row = new Y.Map<string>();
    doc.getArray<Y.Map<string>>("budget").push([row]);
    expect(keysOf(doc, () => row.set("item", "舞台搭建"))).toBe("budget");
    expect(keysOf(doc, () => doc.getXmlFragment("section:a").insert(0, [new Y.XmlText("端午")]))).toBe("section:a");
  });

  it("counts a burst of edits to one part as one change, and a pause or another part as a new one", () => {
    const counter = new ChangeCounter();
    expect(counter.record("section:a", 0)).toBe(true);
    expect(counter.record("section:a", 100)).toBe(false);
    expect(counter.record("section:a", 100 + CHANGE_BURST_MS - 1)).toBe(false);
    expect(counter.record("budget", 200 + CHANGE_BURST_MS)).toBe(true);
    expect(counter.record("budget", 300 + 3 * CHANGE_BURST_MS)).toBe(true);
    expect(counter.count).toBe(3);
    counter.add(2);
    expect(counter.count).toBe(5);
    counter.reset();
    expect(counter.count).toBe(0);
    expect(counter.record("budget", 400 + 3 * CHANGE_BURST_MS)).toBe(true);
  });
});
