import { describe, expect, it } from "vitest";
import { fen } from "./money";
import {
  canonicalSnapshot,
  chooseChain,
  decisionRefusal,
  DEFAULT_AUTHORITY_MATRIX,
  groupSteps,
  revisionStatusAfter,
  stepsDecidedWith,
  takeSnapshot,
  validateMatrix,
  AuthorityMatrixSchema,
  slaHoursOf,
  type AuthorityMatrix,
  type DecisionRequest,
  type StepState,
} from "./approval";
import { blankRow, type BudgetLine } from "./plan-document";
import { APPROVER_TITLES } from "./roles";

const ALL_TITLES = new Set(APPROVER_TITLES);
const titles = (spendFen: number, byCategory: { category: string; spendFen: number }[] = []) =>
  chooseChain(DEFAULT_AUTHORITY_MATRIX, { spendFen: fen(spendFen), byCategory: byCategory.map((c) => ({ ...c, spendFen: fen(c.spendFen) })) }).chosen.steps.map((s) => s.title);

describe("chooseChain (001 第五篇)", () => {
  it("picks the chain by total spend at the band edges", () => {
    expect(titles(5_000_000)).toEqual(["finance", "deputyGm", "gm"]); // ¥50,000.00
    expect(titles(5_000_001)).toEqual(["finance", "gm", "chairman"]); // ¥50,000.01
    expect(titles(50_000_000)).toEqual(["finance", "gm", "chairman"]); // ¥500,000.00
    expect(titles(50_000_001)).toEqual(["finance", "chairman", "chairman"]); // ¥500,000.01
    expect(titles(0)).toEqual(["finance", "deputyGm", "gm"]);
  });

  it("lets a mapped 业务接待 category of ¥600 raise a ¥30,000 plan to the chairman, and says why", () => {
    const result = chooseChain(DEFAULT_AUTHORITY_MATRIX, {
      spendFen: fen(3_000_000),
      byCategory: [
        { category: "场地布置", spendFen: fen(2_940_000) },
        { category: "业务接待", spendFen: fen(60_000) },
      ],
    });
    expect(result.chosen.steps).toEqual([
      { kind: "review", title: "finance" },
      { kind: "endorse", title: "gm" },
      { kind: "approve", title: "chairman" },
    ]);
    expect(result.chosen).toMatchObject({ workItemKey: "reception", category: "业务接待", amountFen: 60_000 });
    expect(result.candidates.map((c) => [c.workItemKey, c.category, c.amountFen])).toEqual([
      ["budget", null, 3_000_000],
      ["reception", "业务接待", 60_000],
    ]);
  });

  it("keeps the main row on a tie, and ignores unmapped categories", () => {
    const result = chooseChain(DEFAULT_AUTHORITY_MATRIX, { spendFen: fen(6_000_000), byCategory: [{ category: "业务接待", spendFen: fen(60_000) }, { category: "物料", spendFen: fen(5_940_000) }] });
    expect(result.chosen).toMatchObject({ workItemKey: "budget", category: null });
    expect(titles(3_000_000, [{ category: "业务接待", spendFen: 50_000 }])).toEqual(["finance", "deputyGm", "gm"]);
  });
});

describe("validateMatrix", () => {
  const withBands = (bands: AuthorityMatrix["workItems"][number]["bands"]): AuthorityMatrix => ({
    ...DEFAULT_AUTHORITY_MATRIX,
    workItems: [{ key: "budget", name: "活动预算", bands }],
    categoryMap: {},
  });

  it("accepts the default when every title is held", () => {
    expect(validateMatrix(DEFAULT_AUTHORITY_MATRIX, ALL_TITLES)).toEqual([]);
  });

  it("finds gaps, overlaps, open ends and titles nobody holds", () => {
    const codes = (matrix: AuthorityMatrix, held = ALL_TITLES) => validateMatrix(matrix, held).map((p) => [p.code, p.path]);
    expect(codes(withBands([{ overFen: null, upToFen: fen(100), steps: ["finance", "gm", "gm"] }, { overFen: fen(200), upToFen: null, steps: ["finance", "gm", "chairman"] }]))).toEqual([["gap", "workItems[0].bands[1].overFen"]]);
    expect(codes(withBands([{ overFen: null, upToFen: fen(300), steps: ["finance", "gm", "gm"] }, { overFen: fen(200), upToFen: null, steps: ["finance", "gm", "chairman"] }]))).toEqual([["overlap", "workItems[0].bands[1].overFen"]]);
    expect(codes(withBands([{ overFen: fen(10), upToFen: fen(300), steps: ["finance", "gm", "gm"] }]))).toEqual([
      ["firstBandMustStartAtZero", "workItems[0].bands[0].overFen"],
      ["lastBandMustBeOpen", "workItems[0].bands[0].upToFen"],
    ]);
    expect(codes(DEFAULT_AUTHORITY_MATRIX, new Set(["finance", "gm", "chairman"] as const)).map(([code, path]) => `${code} ${path}`)).toEqual([
      "titleNotHeld workItems[0].bands[0].steps[1]",
      "titleNotHeld workItems[1].bands[0].steps[1]",
    ]);
    expect(codes({ ...DEFAULT_AUTHORITY_MATRIX, categoryMap: { 招待: "nope", 杂项: "budget" } })).toEqual([
      ["unknownWorkItem", "categoryMap.招待"],
      ["mainRowMapped", "categoryMap.杂项"],
    ]);
  });
});

function line(id: string, patch: Partial<BudgetLine>): BudgetLine {
  return { ...blankRow("budget", "2027-01-01"), id, category: "宣传", item: id, quantityHundredths: 100, unitPriceFen: 10_000, ...patch };
}

describe("AuthorityMatrixSchema slaHours", () => {
  it("parses a matrix stored before SLAs existed with the default hours, and bounds each kind to 1..720 whole hours", () => {
    const stored = JSON.parse(JSON.stringify(DEFAULT_AUTHORITY_MATRIX)) as Record<string, unknown>;
    expect(stored).not.toHaveProperty("slaHours");
    const old = AuthorityMatrixSchema.parse(stored);
    expect(slaHoursOf(old)).toEqual({ review: 24, endorse: 48, approve: 48 });
    expect(slaHoursOf(AuthorityMatrixSchema.parse({ ...stored, slaHours: { review: 8, endorse: 720, approve: 1 } }))).toEqual({ review: 8, endorse: 720, approve: 1 });
    for (const bad of [0, 721, 1.5]) {
      expect(AuthorityMatrixSchema.safeParse({ ...stored, slaHours: { review: bad, endorse: 48, approve: 48 } }).success).toBe(false);
    }
  });
});

describe("takeSnapshot", () => {
  it("refuses an empty budget, 待定 lines and malformed rows", () => {
    expect(takeSnapshot([], 0)).toEqual({ ok: false, refusal: "budgetEmpty", count: 0 });
    expect(takeSnapshot([line("aaaaaa", {}), line("bbbbbb", { unitPriceFen: null })], 0)).toEqual({ ok: false, refusal: "budgetHasTbd", count: 1 });
    expect(takeSnapshot([line("aaaaaa", {})], 2)).toEqual({ ok: false, refusal: "budgetHasInvalidRows", count: 2 });
  });

  // 添加类别 makes a line with nothing but its category: it must not block the submission as 待定.
  it("leaves out a line nobody typed into, and still refuses a budget of nothing else", () => {
    const blank = line("cccccc", { item: "", unit: "", owner: "", note: "", unitPriceFen: null, category: "新类别" });
    const result = takeSnapshot([line("aaaaaa", {}), blank], 0);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.snapshot.lines.map((l) => l.id)).toEqual(["aaaaaa"]);
    expect(takeSnapshot([blank], 0)).toEqual({ ok: false, refusal: "budgetEmpty", count: 0 });
    // Anything typed makes it a line: an item without a price is 待定.
    expect(takeSnapshot([line("aaaaaa", {}), { ...blank, item: "展架" }], 0)).toEqual({ ok: false, refusal: "budgetHasTbd", count: 1 });
  });

  it("refuses a line above ¥10,000,000,000 and totals above ¥1,000,000,000,000, even past exact arithmetic", () => {
    // 2 × ¥10,000,000,000 = ¥20,000,000,000 on one line.
    expect(takeSnapshot([line("aaaaaa", { quantityHundredths: 200, unitPriceFen: 1_000_000_000_000 })], 0)).toEqual({ ok: false, refusal: "budgetOutOfRange", count: 1 });
    const atLimit = Array.from({ length: 100 }, (_, i) => line(`max${String(i).padStart(3, "0")}`, { unitPriceFen: 1_000_000_000_000 }));
    expect(takeSnapshot(atLimit, 0)).toMatchObject({ ok: true, snapshot: { spendFen: 100_000_000_000_000 } });
    expect(takeSnapshot([...atLimit, line("onemore", { unitPriceFen: 1 })], 0)).toEqual({ ok: false, refusal: "budgetOutOfRange", count: 0 });
    expect(takeSnapshot([line("aaaaaa", { quantityHundredths: 100_000_000_000, unitPriceFen: 1_000_000_000_000 })], 0)).toMatchObject({ ok: false, refusal: "budgetOutOfRange" });
  });

  it("records each line's amount and totals that are sums of them, serialized the same way every time", () => {
    const result = takeSnapshot([line("aaaaaa", { quantityHundredths: 250, unitPriceFen: 3333 }), line("bbbbbb", { income: true, category: "收入", unitPriceFen: 500 })], 0);
    if (!result.ok) throw new Error("refused");
    expect(result.snapshot).toMatchObject({ spendFen: 8333, incomeFen: 500, netFen: 7833 });
    expect(result.snapshot.lines.map((l) => l.amountFen)).toEqual([8333, 500]);
    expect(canonicalSnapshot(result.snapshot)).toBe(canonicalSnapshot(structuredClone(result.snapshot)));
  });
});

describe("decisionRefusal", () => {
  const steps: StepState[] = [
    { index: 0, title: "finance", decision: null, decidedBy: null, assigneeId: null },
    { index: 1, title: "gm", decision: null, decidedBy: null, assigneeId: null },
    { index: 2, title: "chairman", decision: null, decidedBy: null, assigneeId: null },
  ];
  const request = (patch: Partial<DecisionRequest>): DecisionRequest => ({
    actor: { id: 7, active: true, title: "finance" },
    revision: { status: "pending", submittedBy: 1, isCurrent: true },
    steps,
    stepIndex: 0,
    decision: "approve",
    comment: "",
    ...patch,
  });

  it("lets the holder of the current step's title decide", () => {
    expect(decisionRefusal(request({}))).toBeNull();
  });

  it("refuses the wrong title, the submitter and the inactive with 403", () => {
    expect(decisionRefusal(request({ actor: { id: 7, active: true, title: "gm" } }))).toEqual({ status: 403, code: "wrongTitle" });
    expect(decisionRefusal(request({ actor: { id: 1, active: true, title: "finance" } }))).toEqual({ status: 403, code: "isSubmitter" });
    expect(decisionRefusal(request({ actor: { id: 7, active: false, title: "finance" } }))).toEqual({ status: 403, code: "inactive" });
    expect(decisionRefusal(request({ actor: { id: 7, active: true, title: null } }))).toEqual({ status: 403, code: "wrongTitle" });
  });

  it("refuses steps out of order, decided steps and revisions that moved on with 409", () => {
    expect(decisionRefusal(request({ actor: { id: 8, active: true, title: "gm" }, stepIndex: 1 }))).toEqual({ status: 409, code: "outOfOrder" });
    const decided = steps.map((s) => (s.index === 0 ? { ...s, decision: "approve" as const } : s));
    expect(decisionRefusal(request({ steps: decided }))).toEqual({ status: 409, code: "alreadyDecided" });
    expect(decisionRefusal(request({ revision: { status: "withdrawn", submittedBy: 1, isCurrent: true } }))).toEqual({ status: 409, code: "withdrawn" });
    expect(decisionRefusal(request({ revision: { status: "pending", submittedBy: 1, isCurrent: false } }))).toEqual({ status: 409, code: "notCurrent" });
  });

  it("lets only the assignee decide a handed-over step (转交), for every step of its decision", () => {
    const handed = steps.map((s) => (s.index === 0 ? { ...s, assigneeId: 11 } : s));
    expect(decisionRefusal(request({ steps: handed }))).toEqual({ status: 403, code: "delegatedToOther" });
    expect(decisionRefusal(request({ actor: { id: 11, active: true, title: "finance" }, steps: handed }))).toBeNull();
    // The assignee still needs the title: a title change counts at once.
    expect(decisionRefusal(request({ actor: { id: 11, active: true, title: "gm" }, steps: handed }))).toEqual({ status: 403, code: "wrongTitle" });
    const chairmanTwice: StepState[] = [{ ...steps[0]!, decision: "approve", decidedBy: 7 }, { ...steps[1]!, title: "chairman", assigneeId: 12 }, steps[2]!];
    expect(decisionRefusal(request({ actor: { id: 9, active: true, title: "chairman" }, steps: chairmanTwice, stepIndex: 2 }))).toEqual({ status: 403, code: "delegatedToOther" });
    expect(decisionRefusal(request({ actor: { id: 12, active: true, title: "chairman" }, steps: chairmanTwice, stepIndex: 2 }))).toBeNull();
  });

  it("needs a comment to reject or request changes", () => {
    expect(decisionRefusal(request({ decision: "reject", comment: "  " }))).toEqual({ status: 400, code: "commentRequired" });
    expect(decisionRefusal(request({ decision: "requestChanges", comment: "奖品预算偏高" }))).toBeNull();
  });

  it("makes consecutive steps of one title one decision: 董事长 decides 核准 and 审批 at once, in order", () => {
    const chairmanTwice: StepState[] = [steps[0]!, { ...steps[1]!, title: "chairman" }, steps[2]!];
    expect(groupSteps(chairmanTwice).map((group) => group.map((s) => s.index))).toEqual([[0], [1, 2]]);
    expect(stepsDecidedWith(chairmanTwice, 1)).toEqual([1, 2]);
    expect(stepsDecidedWith(chairmanTwice, 2)).toEqual([1, 2]);
    const chairman = { id: 9, active: true, title: "chairman" as const };
    expect(decisionRefusal(request({ actor: chairman, steps: chairmanTwice, stepIndex: 1 }))).toEqual({ status: 409, code: "outOfOrder" });
    const reviewed = chairmanTwice.map((s) => (s.index === 0 ? { ...s, decision: "approve" as const, decidedBy: 7 } : s));
    expect(decisionRefusal(request({ actor: chairman, steps: reviewed, stepIndex: 1 }))).toBeNull();
    expect(decisionRefusal(request({ actor: chairman, steps: reviewed, stepIndex: 2 }))).toBeNull();
    // One approval of the group approves the revision; nothing is left for a second click.
    expect(revisionStatusAfter(reviewed, 1, "approve")).toBe("approved");
  });

  it("never lets one member make two separate decisions of a revision", () => {
    const financeTwice: StepState[] = [steps[0]!, steps[1]!, { ...steps[2]!, title: "finance" }];
    const decided = financeTwice.map((s) => (s.index < 2 ? { ...s, decision: "approve" as const, decidedBy: s.index === 0 ? 7 : 8 } : s));
    expect(decisionRefusal(request({ steps: decided, stepIndex: 2 }))).toEqual({ status: 403, code: "decidedOtherStep" });
    expect(decisionRefusal(request({ actor: { id: 10, active: true, title: "finance" }, steps: decided, stepIndex: 2 }))).toBeNull();
  });

  it("approves the revision on the last step's approval, and ends it on a reject", () => {
    expect(revisionStatusAfter(steps, 0, "approve")).toBe("pending");
    const twoDone = steps.map((s) => (s.index < 2 ? { ...s, decision: "approve" as const } : s));
    expect(revisionStatusAfter(twoDone, 2, "approve")).toBe("approved");
    expect(revisionStatusAfter(steps, 0, "reject")).toBe("rejected");
    expect(revisionStatusAfter(steps, 1, "requestChanges")).toBe("changesRequested");
  });
});
