import { describe, expect, it } from "vitest";
import { DEFAULT_SLA_HOURS } from "./approval";
import { currentStep, dueState, type SlaStep } from "./approval-sla";

const HOUR = 3_600_000;
const submittedAt = Date.UTC(2027, 3, 1, 1, 0);

const steps = (decidedAt: (number | null)[]): SlaStep[] =>
  (["review", "endorse", "approve"] as const).map((kind, index) => ({ index, kind, decision: decidedAt[index] ? "approve" : null, decidedAt: decidedAt[index] ?? null }));

describe("currentStep", () => {
  it("is due its kind's SLA hours after the submission for the first step", () => {
    expect(currentStep(steps([null, null, null]), submittedAt, DEFAULT_SLA_HOURS)).toEqual({ index: 0, kind: "review", since: submittedAt, dueAt: submittedAt + 24 * HOUR });
  });

  it("is due after the previous decision for a later step, by that step's own SLA", () => {
    const decided = submittedAt + 5 * HOUR;
    expect(currentStep(steps([decided, null, null]), submittedAt, { review: 24, endorse: 8, approve: 48 })).toEqual({ index: 1, kind: "endorse", since: decided, dueAt: decided + 8 * HOUR });
  });

  it("has no current step once every step is decided", () => {
    expect(currentStep(steps([submittedAt + 1, submittedAt + 2, submittedAt + 3]), submittedAt, DEFAULT_SLA_HOURS)).toBeNull();
  });
});

describe("dueState", () => {
  const due = submittedAt + 24 * HOUR;
  it("says how much time is left in the largest whole unit", () => {
    expect(dueState(due, due - 5 * HOUR - 10 * 60_000)).toEqual({ overdue: false, amount: 5, unit: "hour" });
    expect(dueState(due, due - 50 * HOUR)).toEqual({ overdue: false, amount: 2, unit: "day" });
    expect(dueState(due, due - 20 * 60_000)).toEqual({ overdue: false, amount: 20, unit: "minute" });
    expect(dueState(due, due - 10_000)).toEqual({ overdue: false, amount: 1, unit: "minute" });
  });

  it("is overdue from the due time on, and says by how much", () => {
    expect(dueState(due, due)).toEqual({ overdue: true, amount: 1, unit: "minute" });
    expect(dueState(due, due + 2 * 24 * HOUR + 3 * HOUR)).toEqual({ overdue: true, amount: 2, unit: "day" });
    expect(dueState(due, due + 3 * HOUR)).toEqual({ overdue: true, amount: 3, unit: "hour" });
  });
});
