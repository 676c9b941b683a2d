import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { refuseRootWrite } from "~/domain/doc-policy";
import { addSection, classifyRoot, moveSection, readPlanDoc, removeSection, renameSection, sectionFragment, seedPlanDoc, type PlanMeta } from ".";

const meta: PlanMeta = {
  title: "2027 中秋客户答谢晚会",
  templateId: null,
  campaignType: "holiday",
  startDate: "2027-09-01",
  endDate: "2027-09-20",
  store: "南京西路店",
  anchor: "2027-09-15",
  currency: "CNY",
};

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  seedPlanDoc(doc, meta, [
    { heading: "活动背景", kind: "richText", paragraphs: ["中秋是客户答谢的好时机。"] },
    { heading: "活动目的", kind: "richText" },
    { heading: "经费预算", kind: "budget" },
  ]);
  return doc;
}

describe("plan document", () => {
  it("seeds meta, sections and starter text, and reads them back", () => {
    const doc = seeded();
    const data = readPlanDoc(doc);
    expect(data.meta).toEqual(meta);
    expect(data.sections.map((s) => [s.heading, s.kind])).toEqual([
      ["活动背景", "richText"],
      ["活动目的", "richText"],
      ["经费预算", "budget"],
    ]);
    expect(sectionFragment(doc, data.sections[0]!.id).toString()).toBe("<paragraph>中秋是客户答谢的好时机。</paragraph>");
    expect(data.invalid).toEqual([]);
  });

  it("adds, renames, moves and removes sections", () => {
    const doc = seeded();
    const id = addSection(doc, "应急预案");
    renameSection(doc, id, "应急预案（雨天）");
    moveSection(doc, id, 0);
    expect(readPlanDoc(doc).sections.map((s) => s.heading)).toEqual(["应急预案（雨天）", "活动背景", "活动目的", "经费预算"]);
    const first = readPlanDoc(doc).sections[1]!.id;
    removeSection(doc, first);
    expect(readPlanDoc(doc).sections.map((s) => s.heading)).toEqual(["应急预案（雨天）", "活动目的", "经费预算"]);
    expect(sectionFragment(doc, first).length).toBe(0);
  });

  it("converges when two people add sections at the same time", () => {
    const a = seeded();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addSection(a, "宣传推广");
    addSection(b, "人员分工");
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readPlanDoc(a).sections).toEqual(readPlanDoc(b).sections);
    expect(readPlanDoc(a).sections).toHaveLength(5);
  });

  it("skips malformed entries a client wrote instead of failing", () => {
    const doc = seeded();
    doc.getArray(ROOT_SECTIONS).push(["not a map", new Y.Map()]);
    doc.getMap("meta").set("campaignType", "whatever");
    const data = readPlanDoc(doc);
    expect(data.sections).toHaveLength(3);
    expect(data.invalid).toEqual([
      { root: "sections", index: 3 },
      { root: "sections", index: 4 },
    ]);
    expect(data.meta.campaignType).toBe("holiday");
  });

  it("knows its roots", () => {
    expect(classifyRoot("budget")).toBe("budget");
    expect(classifyRoot("section:ab12")).toBe("section");
    expect(classifyRoot("section:../x")).toBeNull();
    expect(classifyRoot("evil")).toBeNull();
  });
});

const ROOT_SECTIONS = "sections";

describe("refuseRootWrite", () => {
  it("lets editors write every known root while the budget is open", () => {
    for (const root of ["meta", "sections", "section:abc", "timeline", "roles", "budget", "kpis"]) {
      expect(refuseRootWrite(root, { canEdit: true, budgetLocked: false })).toBeNull();
    }
  });
  it("refuses everything to readers, unknown roots to editors, and the locked budget to all", () => {
    expect(refuseRootWrite("meta", { canEdit: false, budgetLocked: false })?.reason).toBe("readOnly");
    expect(refuseRootWrite("evil", { canEdit: true, budgetLocked: false })?.reason).toBe("unknownRoot");
    expect(refuseRootWrite("budget", { canEdit: true, budgetLocked: true })?.reason).toBe("budgetLocked");
    expect(refuseRootWrite("timeline", { canEdit: true, budgetLocked: true })).toBeNull();
  });
});
