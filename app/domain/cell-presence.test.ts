import { describe, expect, it } from "vitest";
import { parseCellPresence } from "./cell-presence";

describe("parseCellPresence", () => {
  it("keeps a cell of a structured block", () => {
    expect(parseCellPresence({ block: "budget", rowId: "abc123def456", column: "unitPrice" })).toEqual({ block: "budget", rowId: "abc123def456", column: "unitPrice" });
    expect(parseCellPresence({ block: "kpis", rowId: "row_01-x", column: "target" })).toEqual({ block: "kpis", rowId: "row_01-x", column: "target" });
  });

  it.each([
    ["null", null],
    ["a string", "budget"],
    ["an array", ["budget", "abc123def456", "item"]],
    ["an unknown block", { block: "meta", rowId: "abc123def456", column: "item" }],
    ["a rich-text section", { block: "section:s1", rowId: "abc123def456", column: "item" }],
    ["a missing column", { block: "budget", rowId: "abc123def456" }],
    ["a numeric row id", { block: "budget", rowId: 123456, column: "item" }],
    ["an over-long row id", { block: "budget", rowId: "a".repeat(33), column: "item" }],
    ["markup in the row id", { block: "budget", rowId: '"><img src=x>', column: "item" }],
    ["an over-long column", { block: "budget", rowId: "abc123def456", column: "c".repeat(33) }],
    ["a column with spaces", { block: "budget", rowId: "abc123def456", column: "unit price" }],
    ["an extra key (a forged name)", { block: "budget", rowId: "abc123def456", column: "item", name: "王芳" }],
  ])("drops %s", (_label, value) => {
    expect(parseCellPresence(value)).toBeNull();
  });
});
