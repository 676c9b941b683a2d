import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { ROOT } from "~/domain/plan-document";
import { blankRow, blockArray, insertRows, readBlock } from "~/domain/plan-document";
import { matchPerson, moveRowBy, personName } from "./editable-cell.client";

const people = [
  { id: 3, name: "李娜" },
  { id: 4, name: "陈晨" },
];

describe("matchPerson", () => {
  it("links a member by their exact name and keeps anything else as free text", () => {
    expect(matchPerson(people, "  陈晨 ")).toEqual({ name: "陈晨", userId: 4 });
    expect(matchPerson(people, "项目营销经理")).toEqual({ name: "项目营销经理", userId: null });
    expect(matchPerson(people, "陈")).toEqual({ name: "陈", userId: null });
  });
});

describe("personName", () => {
  it("shows a linked member's current name, else the stored text", () => {
    expect(personName(people, 3, "旧名字")).toBe("李娜");
    expect(personName(people, null, "主持人")).toBe("主持人");
    expect(personName(people, 99, "离职成员")).toBe("离职成员");
  });
});

describe("moveRowBy", () => {
  function docWithKpis(names: string[]): Y.Doc {
    const doc = new Y.Doc();
    insertRows(
      doc,
      ROOT.kpis,
      names.map((name) => ({ ...blankRow(ROOT.kpis, "2027-09-01"), name })),
    );
    return doc;
  }
  const names = (doc: Y.Doc) => readBlock(doc, ROOT.kpis).rows.map((row) => row.name);

  it("moves a row up and down past its neighbour", () => {
    const doc = docWithKpis(["到访", "回馈", "登记"]);
    moveRowBy(doc, ROOT.kpis, readBlock(doc, ROOT.kpis).rows, 2, -1);
    expect(names(doc)).toEqual(["到访", "登记", "回馈"]);
    moveRowBy(doc, ROOT.kpis, readBlock(doc, ROOT.kpis).rows, 0, 1);
    expect(names(doc)).toEqual(["登记", "到访", "回馈"]);
  });

  it("steps over a malformed entry the table does not show", () => {
    const doc = docWithKpis(["到访", "回馈"]);
    blockArray(doc, ROOT.kpis).insert(1, ["not a row"]);
    moveRowBy(doc, ROOT.kpis, readBlock(doc, ROOT.kpis).rows, 1, -1);
    expect(names(doc)).toEqual(["回馈", "到访"]);
    expect(readBlock(doc, ROOT.kpis).invalid).toHaveLength(1);
  });

  it("does nothing at either end", () => {
    const doc = docWithKpis(["到访", "回馈"]);
    moveRowBy(doc, ROOT.kpis, readBlock(doc, ROOT.kpis).rows, 0, -1);
    moveRowBy(doc, ROOT.kpis, readBlock(doc, ROOT.kpis).rows, 1, 1);
    expect(names(doc)).toEqual(["到访", "回馈"]);
  });
});
