import { describe, expect, it } from "vitest";
import { fen } from "./money";
import { DEFAULT_AUTHORITY_MATRIX, validateMatrix, type AuthorityMatrix } from "./approval";
import {
  applyDraftEdit,
  assignNewKeys,
  bandRange,
  draftFromForm,
  draftFromMatrix,
  editIntent,
  formLevelProblems,
  matrixFromDraft,
  parseEditIntent,
  problemsByField,
  yuanInputValue,
  type MatrixDraft,
} from "./authority-form";
import { APPROVER_TITLES } from "./roles";

/** The form fields a browser would post for a draft, in page order. */
function fieldsOf(draft: MatrixDraft): [string, string][] {
  const fields: [string, string][] = [];
  draft.workItems.forEach((item, i) => {
    fields.push([`workItems[${i}].key`, item.key], [`workItems[${i}].name`, item.name]);
    item.bands.forEach((band, b) => {
      fields.push([`workItems[${i}].bands[${b}].overYuan`, band.overYuan], [`workItems[${i}].bands[${b}].upToYuan`, band.upToYuan]);
      band.steps.forEach((step, s) => fields.push([`workItems[${i}].bands[${b}].steps[${s}]`, step]));
    });
  });
  draft.categoryMap.forEach((m, j) => fields.push([`categoryMap[${j}].category`, m.category], [`categoryMap[${j}].workItem`, m.workItem]));
  fields.push(["changeLimitPercent", draft.changeLimitPercent]);
  return fields;
}

const allTitles = new Set(APPROVER_TITLES);

describe("draft ⇄ matrix", () => {
  it("shows bounds as grouped yuan and reads the posted form back to the same matrix", () => {
    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    expect(draft.workItems[0]!.bands.map((b) => [b.overYuan, b.upToYuan])).toEqual([
      ["", "50,000.00"],
      ["50,000.00", "500,000.00"],
      ["500,000.00", ""],
    ]);
    const posted = draftFromForm([["_csrf", "token"], ["intent", "save"], ...fieldsOf(draft)]);
    expect(posted).toEqual(draft);
    expect(matrixFromDraft(posted)).toEqual({ ok: true, matrix: DEFAULT_AUTHORITY_MATRIX });
  });

  it("reads typed yuan exactly to fen, with ¥, commas and full-width digits", () => {
    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    draft.workItems[1]!.bands[0]!.upToYuan = "¥ ８00.10";
    draft.workItems[1]!.bands[1]!.overYuan = "800.1";
    const result = matrixFromDraft(draft);
    expect(result.ok && result.matrix.workItems[1]!.bands.map((b) => [b.overFen, b.upToFen])).toEqual([
      [null, 80_010],
      [80_010, null],
    ]);
  });

  it("formats amounts of any size without losing a fen", () => {
    expect(yuanInputValue(fen(0))).toBe("0.00");
    expect(yuanInputValue(fen(5))).toBe("0.05");
    expect(yuanInputValue(fen(1_000_000_000_000))).toBe("10,000,000,000.00");
  });

  it("closes up sparse indexes in their order and keeps the first value of a repeated name", () => {
    const draft = draftFromForm([
      ["workItems[5].name", "后"],
      ["workItems[2].name", "前"],
      ["workItems[2].name", "重复"],
      ["workItems[2].bands[7].steps[1]", "gm"],
      ["categoryMap[3].category", "业务接待"],
      ["workItems[100].name", "超出"],
      ["changeLimitPercent", "20"],
    ]);
    expect(draft.workItems.map((w) => w.name)).toEqual(["前", "后"]);
    expect(draft.workItems[0]!.bands).toEqual([{ overYuan: "", upToYuan: "", steps: ["", "gm", ""] }]);
    expect(draft.categoryMap).toEqual([{ category: "业务接待", workItem: "" }]);
    expect(draft.changeLimitPercent).toBe("20");
  });

  it("reports each unreadable value beside its field", () => {
    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    draft.workItems[0]!.name = " ";
    draft.workItems[0]!.bands[0]!.upToYuan = "五万";
    draft.workItems[0]!.bands[1]!.overYuan = "-5";
    draft.workItems[0]!.bands[1]!.upToYuan = "1.005";
    draft.workItems[1]!.bands[0]!.steps[2] = "boss";
    draft.categoryMap.push({ category: "业务接待", workItem: "reception" }, { category: "", workItem: "reception" });
    draft.changeLimitPercent = "0";
    const result = matrixFromDraft(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.fromEntries(Object.entries(result.problems).map(([field, list]) => [field, list.map((p) => p.code)]))).toEqual({
      "workItems[0].name": ["nameLength"],
      "workItems[0].bands[0].upToYuan": ["notAnAmount"],
      "workItems[0].bands[1].overYuan": ["negativeAmount"],
      "workItems[0].bands[1].upToYuan": ["tooManyDecimals"],
      "workItems[1].bands[0].steps[2]": ["invalidTitle"],
      "categoryMap[2].category": ["duplicateCategory"],
      "categoryMap[3].category": ["categoryLength"],
      changeLimitPercent: ["percentRange"],
    });
  });

  it("strips invisible characters from work item names and refuses a name made only of them", () => {
    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    draft.workItems[1]!.name = "业务\u200B接待\u202E";
    const cleaned = matrixFromDraft(draft);
    expect(cleaned.ok && cleaned.matrix.workItems[1]!.name).toBe("业务接待");
    draft.workItems[1]!.name = "\u200B\u2060\u202E";
    const refused = matrixFromDraft(draft);
    expect(refused.ok ? null : refused.problems["workItems[1].name"]?.map((p) => p.code)).toEqual(["nameInvisible"]);
  });

  it("accepts change limits from 1 to 100 % only", () => {
    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    for (const [typed, ok] of [["1", true], ["100", true], ["15", true], ["101", false], ["0", false], ["1.5", false], ["", false], ["07", false]] as const) {
      expect(matrixFromDraft({ ...draft, changeLimitPercent: typed }).ok, typed).toBe(ok);
    }
  });
});

describe("add and remove buttons", () => {
  const draft = () => draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);

  it("round-trips every intent through its button value and rejects others", () => {
    const edits = [
      { kind: "addBand", item: 1 },
      { kind: "removeBand", item: 0, band: 2 },
      { kind: "addItem" },
      { kind: "removeItem", item: 3 },
      { kind: "addMapping" },
      { kind: "removeMapping", mapping: 0 },
    ] as const;
    for (const edit of edits) expect(parseEditIntent(editIntent(edit))).toEqual(edit);
    for (const bad of ["save", "addBand", "removeBand:1", "addItem:1", "removeItem:1:2", "addBand:999"]) expect(parseEditIntent(bad), bad).toBeNull();
  });

  it("adds a band on top with the top band's chain, and removes any band but an item's only one", () => {
    const added = applyDraftEdit(draft(), { kind: "addBand", item: 1 });
    expect(added.workItems[1]!.bands).toHaveLength(3);
    expect(added.workItems[1]!.bands[2]).toEqual({ overYuan: "", upToYuan: "", steps: ["finance", "gm", "chairman"] });

    const removed = applyDraftEdit(draft(), { kind: "removeBand", item: 0, band: 1 });
    expect(removed.workItems[0]!.bands.map((b) => b.overYuan)).toEqual(["", "500,000.00"]);

    const single = applyDraftEdit(applyDraftEdit(draft(), { kind: "addItem" }), { kind: "removeBand", item: 2, band: 0 });
    expect(single.workItems[2]!.bands).toHaveLength(1);
  });

  it("names a new work item from its row on the server, never reusing a key", () => {
    const once = assignNewKeys(applyDraftEdit(draft(), { kind: "addItem" }));
    expect(once.workItems.map((w) => w.key)).toEqual(["budget", "reception", "item3"]);
    const removedMiddle = applyDraftEdit(once, { kind: "removeItem", item: 1 });
    const again = assignNewKeys(applyDraftEdit(removedMiddle, { kind: "addItem" }));
    expect(again.workItems.map((w) => w.key)).toEqual(["budget", "item3", "item4"]);
  });

  it("never removes the main row, and takes a removed row's mappings with it", () => {
    expect(applyDraftEdit(draft(), { kind: "removeItem", item: 0 })).toEqual(draft());
    const removed = applyDraftEdit(draft(), { kind: "removeItem", item: 1 });
    expect(removed.workItems.map((w) => w.key)).toEqual(["budget"]);
    expect(removed.categoryMap).toEqual([]);
  });

  it("adds a mapping row pointing at the first mappable work item, and removes one by its row", () => {
    const added = applyDraftEdit(draft(), { kind: "addMapping" });
    expect(added.categoryMap.at(-1)).toEqual({ category: "", workItem: "reception" });
    expect(applyDraftEdit(draft(), { kind: "removeMapping", mapping: 0 }).categoryMap).toEqual([{ category: "业务接待费用", workItem: "reception" }]);
  });

  it("leaves the draft alone for rows that do not exist", () => {
    expect(applyDraftEdit(draft(), { kind: "addBand", item: 9 })).toEqual(draft());
    expect(applyDraftEdit(draft(), { kind: "removeBand", item: 0, band: 9 })).toEqual(draft());
    expect(applyDraftEdit(draft(), { kind: "removeMapping", mapping: 9 })).toEqual(draft());
  });
});

describe("problems beside their fields", () => {
  function matrixWith(change: (m: AuthorityMatrix) => void): AuthorityMatrix {
    const matrix = structuredClone(DEFAULT_AUTHORITY_MATRIX);
    change(matrix);
    return matrix;
  }

  it("puts band, title, key and mapping problems on the form's inputs", () => {
    const matrix = matrixWith((m) => {
      m.workItems[1]!.bands[1]!.overFen = fen(60_000);
      m.workItems[0]!.bands[2]!.upToFen = fen(90_000_000);
      m.workItems[1]!.key = "budget";
      m.categoryMap["礼品"] = "nowhere";
    });
    const draft = draftFromMatrix(matrix);
    const problems = validateMatrix(matrix, new Set(["finance", "deputyGm", "gm"]));
    const byField = problemsByField(problems, draft);
    expect(byField["workItems[1].bands[1].overYuan"]).toEqual([{ code: "gap", params: { item: "业务接待费用", fromFen: 50_000, toFen: 60_000 } }]);
    expect(byField["workItems[0].bands[2].upToYuan"]?.map((p) => p.code)).toEqual(["lastBandMustBeOpen"]);
    expect(byField["workItems[0].bands[2].steps[1]"]).toEqual([{ code: "titleNotHeld", params: { item: "活动预算/资金支付", title: "chairman" } }]);
    expect(byField["workItems[1].name"]?.map((p) => p.code)).toEqual(["duplicateKey"]);
    expect(byField["categoryMap[2].workItem"]?.map((p) => p.code)).toEqual(["unknownWorkItem"]);
    expect(byField["form"]).toBeUndefined();
  });

  it("lists a matrix's problems once per fact when they are not on the form", () => {
    const problems = validateMatrix(DEFAULT_AUTHORITY_MATRIX, new Set(["finance", "gm"]));
    expect(formLevelProblems(problems)).toEqual([
      { code: "titleNotHeld", params: { item: "活动预算/资金支付", title: "deputyGm" } },
      { code: "titleNotHeld", params: { item: "活动预算/资金支付", title: "chairman" } },
    ]);
    expect(validateMatrix(DEFAULT_AUTHORITY_MATRIX, allTitles)).toEqual([]);
  });
});

describe("bandRange", () => {
  it("reads a band as up to, between, above or any amount", () => {
    expect(bandRange({ overFen: null, upToFen: fen(5_000_000) })).toEqual({ kind: "upTo", upToFen: fen(5_000_000) });
    expect(bandRange({ overFen: fen(5_000_000), upToFen: fen(50_000_000) })).toEqual({ kind: "between", overFen: fen(5_000_000), upToFen: fen(50_000_000) });
    expect(bandRange({ overFen: fen(50_000_000), upToFen: null })).toEqual({ kind: "over", overFen: fen(50_000_000) });
    expect(bandRange({ overFen: null, upToFen: null })).toEqual({ kind: "any" });
  });
});

describe("SLA hours (审批时限)", () => {
  it("shows the default hours, stores a changed SLA and keeps a default one as none", () => {
    const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
    expect(draft.slaHours).toEqual({ review: "24", endorse: "48", approve: "48" });
    const posted = draftFromForm([...fieldsOf(draft), ["slaHours.review", "８"], ["slaHours.approve", "72"]]);
    const result = matrixFromDraft(posted);
    expect(result.ok && result.matrix.slaHours).toEqual({ review: 8, endorse: 48, approve: 72 });
    expect(draftFromMatrix(result.ok ? result.matrix : DEFAULT_AUTHORITY_MATRIX).slaHours).toEqual({ review: "8", endorse: "48", approve: "72" });
  });

  it("refuses hours outside 1..720 beside the input", () => {
    for (const bad of ["0", "721", "1.5", "", "abc"]) {
      const draft = draftFromMatrix(DEFAULT_AUTHORITY_MATRIX);
      draft.slaHours.endorse = bad;
      expect(matrixFromDraft(draft)).toEqual({ ok: false, problems: { "slaHours.endorse": [{ code: "slaRange", params: { max: 720 } }] } });
    }
  });
});
