import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { blankRow, insertRows, readBlock, removeRow, updateRow } from "~/domain/plan-document";
import { shareUnchanged } from "./use-block-rows";

const TODAY = "2027-09-01";

function budgetDoc(items: string[]): Y.Doc {
  const doc = new Y.Doc();
  insertRows(
    doc,
    "budget",
    items.map((item) => ({ ...blankRow("budget", TODAY), category: "宣传", item })),
  );
  return doc;
}

describe("shareUnchanged", () => {
  it("returns the previous read itself when a re-read finds nothing new", () => {
    const doc = budgetDoc(["气球", "条幅", "易拉宝"]);
    const first = readBlock(doc, "budget");
    const again = shareUnchanged(first, readBlock(doc, "budget"));
    expect(again).toBe(first);
  });

  it("keeps the objects of the rows that did not change and takes the changed one", () => {
    const doc = budgetDoc(["气球", "条幅", "易拉宝"]);
    const first = readBlock(doc, "budget");
    updateRow(doc, "budget", first.rows[1]!.id, { item: "横幅" });
    const next = shareUnchanged(first, readBlock(doc, "budget"));
    expect(next).not.toBe(first);
    expect(next.rows.map((row) => row.item)).toEqual(["气球", "横幅", "易拉宝"]);
    expect(next.rows[0]).toBe(first.rows[0]);
    expect(next.rows[1]).not.toBe(first.rows[1]);
    expect(next.rows[2]).toBe(first.rows[2]);
  });

  it("sees a removed row and a new order even when every remaining row is unchanged", () => {
    const doc = budgetDoc(["气球", "条幅", "易拉宝"]);
    const first = readBlock(doc, "budget");
    removeRow(doc, "budget", first.rows[0]!.id);
    const removed = shareUnchanged(first, readBlock(doc, "budget"));
    expect(removed.rows).toEqual([first.rows[1], first.rows[2]]);
    expect(removed.rows[0]).toBe(first.rows[1]);

    const reordered = shareUnchanged(first, { rows: [first.rows[2]!, first.rows[1]!, first.rows[0]!], invalid: [] });
    expect(reordered).not.toBe(first);
    expect(reordered.rows.map((row) => row.item)).toEqual(["易拉宝", "条幅", "气球"]);
  });

  it("takes a new list of invalid rows even when the valid rows are the same", () => {
    const doc = budgetDoc(["气球"]);
    const first = readBlock(doc, "budget");
    doc.getArray("budget").push([new Y.Map<unknown>([["id", "not a row"]])]);
    const next = shareUnchanged(first, readBlock(doc, "budget"));
    expect(next).not.toBe(first);
    expect(next.rows[0]).toBe(first.rows[0]);
    expect(next.invalid).toHaveLength(1);
  });
});
