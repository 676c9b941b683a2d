import { describe, expect, it } from "vitest";
import { clipText, eventOf, notificationLink, payloadOf, type NotificationEvent } from "./notifications";

describe("notificationLink", () => {
  it("opens approvals, plans, threads and sections as the contract says", () => {
    expect(notificationLink("approvalTurn", "p1", { planTitle: "x", revisionId: 7 })).toBe("/approvals/7");
    expect(notificationLink("approved", "p1", { planTitle: "x", revisionId: 7 })).toBe("/approvals/7");
    expect(notificationLink("returned", "p1", { planTitle: "x", revisionId: 7 })).toBe("/plans/p1");
    expect(notificationLink("rejected", "p1", { planTitle: "x", revisionId: 7 })).toBe("/plans/p1");
    expect(notificationLink("reopened", "p1", { planTitle: "x", revisionId: 7 })).toBe("/approvals/7");
    expect(notificationLink("reopened", "p1", { planTitle: "x", revisionId: null })).toBe("/plans/p1");
    expect(notificationLink("mentioned", "p1", { planTitle: "x", threadId: "t 1", sectionId: null })).toBe("/plans/p1?thread=t%201");
    expect(notificationLink("mentioned", "p1", { planTitle: "x", threadId: null, sectionId: "s1" })).toBe("/plans/p1?section=s1");
    expect(notificationLink("replied", "p1", { planTitle: "x", threadId: "t1" })).toBe("/plans/p1?thread=t1");
    expect(notificationLink("addedToPlan", "p1", { planTitle: "x" })).toBe("/plans/p1");
    expect(notificationLink("approvalOverdue", "p1", { planTitle: "x", revisionId: 3 })).toBe("/approvals/3");
    expect(notificationLink("delegated", "p1", { planTitle: "x", revisionId: 3 })).toBe("/approvals/3");
  });
});

describe("stored payloads", () => {
  it("round-trips an event through its stored kind and JSON, and refuses what is not an object", () => {
    const event: NotificationEvent = { kind: "rejected", planTitle: "中秋", revisionId: 2, revisionNumber: 1, deciderName: "周杰", comment: "超预算" };
    const { kind, payload } = payloadOf(event);
    expect(payload).not.toHaveProperty("kind");
    expect(eventOf(kind, JSON.stringify(payload))).toEqual(event);
    expect(eventOf("approved", "[1]")).toBeNull();
    expect(eventOf("approved", "not json")).toBeNull();
  });

  it("clips long text by characters, not UTF-16 units", () => {
    expect(clipText("  短评  ")).toBe("短评");
    const long = "😀".repeat(300);
    const clipped = clipText(long, 10);
    expect(Array.from(clipped)).toHaveLength(10);
    expect(clipped.endsWith("…")).toBe(true);
  });
});
