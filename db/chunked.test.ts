import { describe, expect, it } from "vitest";
import { chunkForInList, chunkRowsForInsert, columnsOf, MAX_BOUND_PARAMETERS } from "./chunked";

describe("chunkRowsForInsert", () => {
  it("keeps every slice within the bound-parameter limit and every row in order", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => i);
    const chunks = chunkRowsForInsert(rows, 13);
    for (const chunk of chunks) expect(chunk.length * 13).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
    expect(chunks.flat()).toEqual(rows);
    expect(chunks[0]).toHaveLength(Math.floor(MAX_BOUND_PARAMETERS / 13));
  });

  it("gives no slice for no rows, and one row per slice when a row alone is wider than the limit", () => {
    expect(chunkRowsForInsert([], 4)).toEqual([]);
    expect(chunkRowsForInsert(["a", "b"], MAX_BOUND_PARAMETERS + 1)).toEqual([["a"], ["b"]]);
  });

  it("refuses a column count that is not a positive integer", () => {
    expect(() => chunkRowsForInsert([1], 0)).toThrow(RangeError);
    expect(() => chunkRowsForInsert([1], 2.5)).toThrow(RangeError);
  });

  it("counts the widest row's columns", () => {
    expect(columnsOf([{ a: 1 }, { a: 1, b: 2, c: 3 }, { a: 1, b: 2 }])).toBe(3);
  });
});

describe("chunkForInList", () => {
  it("leaves room in every list for the statement's other bound values", () => {
    const ids = Array.from({ length: 2_500 }, (_, i) => `id${i}`);
    const lists = chunkForInList(ids, 1);
    for (const list of lists) expect(list.length + 1).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
    expect(lists.flat()).toEqual(ids);
  });

  it("refuses a statement whose other values leave no room for a list", () => {
    expect(() => chunkForInList(["a"], MAX_BOUND_PARAMETERS)).toThrow(RangeError);
    expect(() => chunkForInList(["a"], -1)).toThrow(RangeError);
  });
});
