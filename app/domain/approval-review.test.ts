import { describe, expect, it } from "vitest";
import type { Decision } from "./approval";
import { decisionNeedsComment } from "./approval";
import { myDecision, versusApproved } from "./approval-review";
import { fen } from "./money";

describe("versusApproved", () => {
  it("gives each total's change and its share of the approved amount", () => {
    const change = versusApproved({ spendFen: fen(11_500_000), incomeFen: fen(500_000), netFen: fen(11_000_000) }, { spendDeltaFen: fen(1_500_000), incomeDeltaFen: fen(0), netDeltaFen: fen(1_500_000) });
    expect(change.spendFen).toEqual({ deltaFen: 1_500_000, deltaBasisPoints: 1_500 });
    expect(change.incomeFen).toEqual({ deltaFen: 0, deltaBasisPoints: 0 });
    // ¥15,000 more on an approved net of ¥95,000: 15.79%.
    expect(change.netFen).toEqual({ deltaFen: 1_500_000, deltaBasisPoints: 1_579 });
  });

  it("has no percentage when the approved amount was zero", () => {
    const change = versusApproved({ spendFen: fen(100), incomeFen: fen(300), netFen: fen(-200) }, { spendDeltaFen: fen(0), incomeDeltaFen: fen(300), netDeltaFen: fen(-300) });
    expect(change.incomeFen).toEqual({ deltaFen: 300, deltaBasisPoints: null });
    expect(change.netFen.deltaBasisPoints).toBe(-30_000);
  });
});

describe("decisionNeedsComment", () => {
  it("asks for a reason when the budget goes back, not when it goes on", () => {
    expect(decisionNeedsComment("approve")).toBe(false);
    expect(decisionNeedsComment("requestChanges")).toBe(true);
    expect(decisionNeedsComment("reject")).toBe(true);
  });
});

describe("myDecision", () => {
  const AT = Date.UTC(2027, 5, 1, 2, 0);
  const step = (index: number, title: "finance" | "gm" | "chairman", kind: "review" | "endorse" | "approve", decided: [Decision, number] | null) => ({
    index,
    kind,
    title,
    decision: decided?.[0] ?? null,
    deciderId: decided?.[1] ?? null,
    decidedAt: decided ? AT + index : null,
    comment: decided?.[0] === "approve" ? "" : "请补充报价单",
  });

  it("names the next decision while the revision is still in review", () => {
    const steps = [step(0, "finance", "review", ["approve", 7]), step(1, "chairman", "endorse", null), step(2, "chairman", "approve", null)];
    expect(myDecision(steps, "pending", 7)).toEqual({ decision: "approve", kinds: ["review"], decidedAt: AT, comment: "", next: { kind: "nextStep", title: "chairman", kinds: ["endorse", "approve"] } });
  });

  it("covers every step of a merged decision and says the budget is approved", () => {
    const steps = [step(0, "finance", "review", ["approve", 7]), step(1, "chairman", "endorse", ["approve", 9]), step(2, "chairman", "approve", ["approve", 9])];
    expect(myDecision(steps, "approved", 9)).toMatchObject({ kinds: ["endorse", "approve"], next: { kind: "approved" } });
  });

  it("says the budget went back, for whoever decided earlier too", () => {
    const steps = [step(0, "finance", "review", ["approve", 7]), step(1, "gm", "endorse", ["requestChanges", 8]), step(2, "chairman", "approve", null)];
    expect(myDecision(steps, "changesRequested", 8)).toMatchObject({ decision: "requestChanges", comment: "请补充报价单", next: { kind: "returned" } });
    expect(myDecision(steps, "changesRequested", 7)?.next).toEqual({ kind: "returned" });
    expect(myDecision([step(0, "finance", "review", ["reject", 7])], "rejected", 7)?.next).toEqual({ kind: "rejected" });
    expect(myDecision([step(0, "finance", "review", ["approve", 7]), step(1, "gm", "endorse", null)], "withdrawn", 7)?.next).toEqual({ kind: "closed" });
  });

  it("is null for a member who decided nothing", () => {
    expect(myDecision([step(0, "finance", "review", ["approve", 7]), step(1, "gm", "endorse", null)], "pending", 8)).toBeNull();
  });
});
