import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { applyPaste } from "~/blocks/budget-grid";
import { blankRow, insertRows, moveRow, readBlock, removeRow, updateRow, type BlockRoot } from "~/domain/plan-document";
import { BlockUndo, undoShortcut } from "./block-undo";

const TODAY = "2027-09-01";

interface Member {
  doc: Y.Doc;
  undo: BlockUndo;
}

/**
 * Two members' documents kept in sync the way y-websocket does it: what arrives from the
 * other side is applied with the provider as origin. Both start from the server's seed.
 */
function twoMembers(captureTimeout = 0): { a: Member; b: Member; budget: string[]; timeline: string[] } {
  const seed = new Y.Doc();
  const budget = insertRows(
    seed,
    "budget",
    ["条幅", "气球", "易拉宝"].map((item) => ({ ...blankRow("budget", TODAY), category: "宣传", item })),
  );
  const timeline = insertRows(seed, "timeline", [{ ...blankRow("timeline", TODAY), task: "确定场地" }]);
  const docs = [new Y.Doc(), new Y.Doc()] as const;
  const providers = [{ side: "a" }, { side: "b" }] as const;
  docs.forEach((doc, side) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed), providers[side]));
  docs.forEach((doc, side) => {
    const other = side === 0 ? 1 : 0;
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== providers[side]) Y.applyUpdate(docs[other], update, providers[other]);
    });
  });
  return {
    a: { doc: docs[0], undo: new BlockUndo(docs[0], { captureTimeout }) },
    b: { doc: docs[1], undo: new BlockUndo(docs[1], { captureTimeout }) },
    budget,
    timeline,
  };
}

const items = (doc: Y.Doc) => readBlock(doc, "budget").rows.map((line) => line.item);
const cell = (doc: Y.Doc, root: BlockRoot, id: string, key: string) => (readBlock(doc, root).rows.find((row) => row.id === id) as Record<string, unknown> | undefined)?.[key];

describe("BlockUndo", () => {
  it("undoes only the member's own cell, on both sides, and redoes it", () => {
    const { a, b, budget } = twoMembers();
    const [banner, balloons] = budget as [string, string];
    updateRow(a.doc, "budget", banner, { unitPriceFen: 6000 });
    updateRow(b.doc, "budget", balloons, { unitPriceFen: 15 });
    expect(a.undo.state("budget")).toEqual({ canUndo: true, canRedo: false });

    expect(a.undo.run("budget", "undo")).toBe(true);
    for (const doc of [a.doc, b.doc]) {
      expect(cell(doc, "budget", banner, "unitPriceFen")).toBeNull();
      expect(cell(doc, "budget", balloons, "unitPriceFen")).toBe(15);
    }
    expect(a.undo.state("budget")).toEqual({ canUndo: false, canRedo: true });

    expect(a.undo.run("budget", "redo")).toBe(true);
    for (const doc of [a.doc, b.doc]) expect(cell(doc, "budget", banner, "unitPriceFen")).toBe(6000);
  });

  it("records nothing that arrived from the server: a collaborator's edit or a restore is never undone", () => {
    const { a, b, budget } = twoMembers();
    updateRow(b.doc, "budget", budget[0]!, { item: "横幅" });
    removeRow(b.doc, "budget", budget[2]!);
    expect(a.undo.state("budget").canUndo).toBe(false);
    expect(a.undo.run("budget", "undo")).toBe(false);
    expect(items(a.doc)).toEqual(["横幅", "气球"]);
  });

  it("does not bring back a value a collaborator has overwritten since", () => {
    const { a, b, budget } = twoMembers();
    updateRow(a.doc, "budget", budget[0]!, { item: "横幅" });
    updateRow(b.doc, "budget", budget[0]!, { item: "门头条幅" });
    a.undo.run("budget", "undo");
    for (const doc of [a.doc, b.doc]) expect(cell(doc, "budget", budget[0]!, "item")).toBe("门头条幅");
  });

  it("steps back through several changes one at a time, a removed line coming back in place", () => {
    const { a, b, budget } = twoMembers();
    updateRow(a.doc, "budget", budget[1]!, { quantityHundredths: 1_000_000 });
    removeRow(a.doc, "budget", budget[0]!);
    expect(items(b.doc)).toEqual(["气球", "易拉宝"]);
    a.undo.run("budget", "undo");
    expect(items(b.doc)).toEqual(["条幅", "气球", "易拉宝"]);
    expect(cell(b.doc, "budget", budget[1]!, "quantityHundredths")).toBe(1_000_000);
    a.undo.run("budget", "undo");
    expect(cell(b.doc, "budget", budget[1]!, "quantityHundredths")).toBe(100);
    expect(a.undo.state("budget")).toEqual({ canUndo: false, canRedo: true });
  });

  it("makes a row move one step", () => {
    const { a, b, budget } = twoMembers();
    moveRow(a.doc, "budget", budget[2]!, 0);
    expect(items(b.doc)).toEqual(["易拉宝", "条幅", "气球"]);
    a.undo.run("budget", "undo");
    expect(items(b.doc)).toEqual(["条幅", "气球", "易拉宝"]);
    expect(a.undo.state("budget").canUndo).toBe(false);
  });

  it("makes a paste written in several transactions one step", () => {
    const { a, b } = twoMembers(500);
    const note = "含设计、印刷、运输与安装费用".repeat(30);
    const newLines = Array.from({ length: 500 }, (_, i) => ({ ...blankRow("budget", TODAY), category: "宣传", item: `物料 ${i + 1}`, note }));
    let transactions = 0;
    const count = () => transactions++;
    a.doc.on("afterTransaction", count);
    applyPaste(a.doc, { updates: [], newLines }, 3);
    a.doc.off("afterTransaction", count);
    expect(transactions).toBeGreaterThan(1);
    expect(items(b.doc)).toHaveLength(503);
    a.undo.run("budget", "undo");
    expect(items(b.doc)).toEqual(["条幅", "气球", "易拉宝"]);
  });

  it("keeps one stack per block: undo in the timeline leaves the budget alone", () => {
    const { a, b, budget, timeline } = twoMembers();
    updateRow(a.doc, "timeline", timeline[0]!, { task: "确定场地与搭建商" });
    updateRow(a.doc, "budget", budget[0]!, { item: "横幅" });
    a.undo.run("timeline", "undo");
    expect(cell(b.doc, "timeline", timeline[0]!, "task")).toBe("确定场地");
    expect(cell(b.doc, "budget", budget[0]!, "item")).toBe("横幅");
    expect(a.undo.state("budget").canUndo).toBe(true);
  });

  it("tells subscribers when a block's undo or redo becomes possible, with a stable state in between", () => {
    const { a, budget } = twoMembers();
    let calls = 0;
    const unsubscribe = a.undo.subscribe(() => calls++);
    const before = a.undo.state("budget");
    expect(a.undo.state("budget")).toBe(before);
    updateRow(a.doc, "budget", budget[0]!, { item: "横幅" });
    expect(calls).toBe(1);
    updateRow(a.doc, "budget", budget[1]!, { item: "彩色气球" });
    expect(calls).toBe(1);
    unsubscribe();
    a.undo.run("budget", "undo");
    expect(calls).toBe(1);
  });

  it("stops recording once destroyed", () => {
    const { a, budget } = twoMembers();
    a.undo.destroy();
    updateRow(a.doc, "budget", budget[0]!, { item: "横幅" });
    expect(a.undo.run("budget", "undo")).toBe(false);
    expect(items(a.doc)[0]).toBe("横幅");
  });
});

describe("undoShortcut", () => {
  const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}, code = "") => ({
    key,
    code,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });

  it("reads Ctrl/⌘+Z as undo and Ctrl/⌘+Shift+Z or Ctrl+Y as redo", () => {
    expect(undoShortcut(press("z", { ctrlKey: true }))).toBe("undo");
    expect(undoShortcut(press("z", { metaKey: true }))).toBe("undo");
    expect(undoShortcut(press("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(undoShortcut(press("z", { metaKey: true, shiftKey: true }))).toBe("redo");
    expect(undoShortcut(press("y", { ctrlKey: true }))).toBe("redo");
    expect(undoShortcut(press("я", { ctrlKey: true }, "KeyZ"))).toBe("undo");
  });

  it("ignores plain letters, Alt chords and other shortcuts", () => {
    expect(undoShortcut(press("z"))).toBeNull();
    expect(undoShortcut(press("z", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(undoShortcut(press("c", { ctrlKey: true }))).toBeNull();
    expect(undoShortcut(press("Y", { ctrlKey: true, shiftKey: true }))).toBeNull();
  });
});
