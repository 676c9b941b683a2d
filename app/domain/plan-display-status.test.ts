import { describe, expect, it } from "vitest";
import { displayStatus, PLAN_DISPLAY_STATUSES, PLAN_STATUSES, REVIEW_OUTCOMES } from "./plan";

describe("displayStatus", () => {
  it("shows how a draft came back from review", () => {
    expect(displayStatus({ status: "draft", review_outcome: "rejected" })).toBe("rejected");
    expect(displayStatus({ status: "draft", review_outcome: "changesRequested" })).toBe("changesRequested");
    expect(displayStatus({ status: "draft", review_outcome: null })).toBe("draft");
  });

  it("lets every other status win over a stale outcome", () => {
    for (const status of PLAN_STATUSES.filter((s) => s !== "draft")) {
      expect(displayStatus({ status, review_outcome: "rejected" })).toBe(status);
      expect(displayStatus({ status, review_outcome: null })).toBe(status);
    }
  });

  it("lists every stored status and both outcomes exactly once", () => {
    expect(new Set(PLAN_DISPLAY_STATUSES).size).toBe(PLAN_DISPLAY_STATUSES.length);
    expect([...PLAN_DISPLAY_STATUSES].sort()).toEqual([...PLAN_STATUSES, ...REVIEW_OUTCOMES].sort());
  });
});
