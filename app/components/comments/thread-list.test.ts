import { describe, expect, it } from "vitest";
import type { Anchor, ThreadView } from "~/domain/comments";
import { anchorKey, openCountsByAnchor, openCountsBySection, panelLists } from "./thread-list";

let clock = 0;
function thread(id: string, anchor: Anchor, status: "open" | "resolved" = "open"): ThreadView {
  clock += 1;
  return {
    id,
    anchor,
    quote: id,
    status,
    createdBy: { id: 1, name: "李娜" },
    createdAt: clock,
    resolvedBy: status === "resolved" ? { id: 2, name: "陈晨" } : null,
    resolvedAt: status === "resolved" ? clock : null,
    comments: [],
    orphaned: false,
  };
}

const text = (sectionId: string): Anchor => ({ kind: "text", sectionId, start: "AAAA", end: "BBBB" });
const threads = [
  thread("t1", text("intro")),
  thread("t2", text("intro"), "resolved"),
  thread("t3", { kind: "budgetLine", lineId: "line-0001" }),
  thread("t4", { kind: "budgetLine", lineId: "line-0001" }),
  thread("t5", { kind: "timelineItem", itemId: "task-0001" }),
  thread("t6", { kind: "kpi", kpiId: "kpi-00001" }),
  thread("t7", { kind: "diffLine", revisionId: 3, lineId: "line-0001" }),
  thread("gone", text("intro")),
];
const orphaned = (t: ThreadView) => t.id === "gone";

describe("thread lists", () => {
  it("keys block anchors by what they point at, and a diff line by its revision too", () => {
    expect(anchorKey({ kind: "budgetLine", lineId: "line-0001" })).toBe("budgetLine:line-0001");
    expect(anchorKey({ kind: "diffLine", revisionId: 3, lineId: "line-0001" })).toBe("diffLine:3:line-0001");
    expect(anchorKey(text("intro"))).toBeNull();
  });

  it("counts open, attached threads per row", () => {
    const counts = openCountsByAnchor(threads, orphaned);
    expect(Object.fromEntries(counts)).toEqual({ "budgetLine:line-0001": 2, "timelineItem:task-0001": 1, "kpi:kpi-00001": 1, "diffLine:3:line-0001": 1 });
  });

  it("counts open threads per outline section, block threads on their block's section", () => {
    const counts = openCountsBySection(threads, { budget: "budget-sec", timeline: "tl-sec" }, orphaned);
    expect(Object.fromEntries(counts)).toEqual({ intro: 1, "budget-sec": 2, "tl-sec": 1 });
  });

  it("splits a tab into attached and orphaned threads, oldest first, with both tabs' counts", () => {
    const open = panelLists(threads, "open", null, orphaned);
    expect(open.openCount).toBe(7);
    expect(open.resolvedCount).toBe(1);
    expect(open.attached.map((t) => t.id)).toEqual(["t1", "t3", "t4", "t5", "t6", "t7"]);
    expect(open.orphaned.map((t) => t.id)).toEqual(["gone"]);
    const resolved = panelLists(threads, "resolved", null, orphaned);
    expect(resolved.attached.map((t) => t.id)).toEqual(["t2"]);
  });

  it("filters to one row's threads", () => {
    const row = panelLists(threads, "open", "budgetLine:line-0001", orphaned);
    expect(row.attached.map((t) => t.id)).toEqual(["t3", "t4"]);
    expect(row.openCount).toBe(2);
    expect(row.resolvedCount).toBe(0);
  });
});
