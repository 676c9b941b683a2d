import { describe, expect, it } from "vitest";
import { actionGroupOf, auditDetailEntries, chinaDayStartMs, detailValueKind, formatAuditCursor, parseAuditCursor, parseAuditQuery, parseWorkItemSummary, unknownDetailKeys } from "./audit";

const query = (search: string) => parseAuditQuery(new URLSearchParams(search));

describe("chinaDayStartMs", () => {
  it("starts a day at midnight in China, 16:00 UTC the day before", () => {
    expect(chinaDayStartMs("2026-11-23")).toBe(Date.parse("2026-11-22T16:00:00Z"));
    expect(chinaDayStartMs("1970-01-01")).toBe(-8 * 3600 * 1000);
    expect(chinaDayStartMs("2028-02-29")).toBe(Date.parse("2028-02-28T16:00:00Z"));
  });
});

describe("parseAuditQuery", () => {
  it("lists everything, newest first, when nothing is asked", () => {
    expect(query("")).toEqual({
      values: { actor: "", action: "", targetType: "", targetId: "", from: "", to: "" },
      errors: {},
      filter: {},
      position: { kind: "newest" },
    });
  });

  it("turns a China-time date range into [start of from, start of the day after to)", () => {
    const { filter, errors } = query("from=2026-11-01&to=2026-11-30");
    expect(errors).toEqual({});
    expect(filter).toEqual({ fromMs: Date.parse("2026-10-31T16:00:00Z"), toMs: Date.parse("2026-11-30T16:00:00Z") });
  });

  it("takes one day as a whole day", () => {
    const { filter } = query("from=2026-11-23&to=2026-11-23");
    expect(filter!.toMs! - filter!.fromMs!).toBe(24 * 3600 * 1000);
  });

  it("reads an actor, an exact action, a group of actions and a target", () => {
    expect(query("actor=12&action=plan.member.set&targetType=plan&targetId=%20abc_-1%20").filter).toEqual({
      actorId: 12,
      action: { kind: "exact", action: "plan.member.set" },
      targetType: "plan",
      targetId: "abc_-1",
    });
    expect(query("action=template.").filter).toEqual({ action: { kind: "prefix", prefix: "template." } });
  });

  it("names each bad value and then lists nothing", () => {
    const parsed = query("actor=abc&action=plan%25&targetType=Plan;&targetId=" + "x".repeat(65) + "&from=2027-02-29&to=11/30");
    expect(parsed.filter).toBeNull();
    expect(parsed.errors).toEqual({
      actor: "invalidActor",
      action: "invalidAction",
      targetType: "invalidTargetType",
      targetId: "targetIdLength",
      from: "invalidDate",
      to: "invalidDate",
    });
    expect(parsed.values.actor).toBe("abc");
  });

  it("refuses an actor id of zero, a negative or a fraction", () => {
    for (const actor of ["0", "-3", "1.5", "1e3"]) expect(query(`actor=${actor}`).errors).toEqual({ actor: "invalidActor" });
  });

  it("refuses a range that ends before it starts", () => {
    const parsed = query("from=2026-11-30&to=2026-11-01");
    expect(parsed.errors).toEqual({ to: "rangeOrder" });
    expect(parsed.filter).toBeNull();
  });

  it("pages from a cursor and drops a mangled one", () => {
    expect(query("before=1732345678901-42").position).toEqual({ kind: "before", cursor: { at: 1732345678901, id: 42 } });
    expect(query("after=5-6").position).toEqual({ kind: "after", cursor: { at: 5, id: 6 } });
    expect(query("before=12-x").position).toEqual({ kind: "newest" });
  });
});

describe("cursors", () => {
  it("round-trips", () => {
    const cursor = { at: 1764000000123, id: 907 };
    expect(parseAuditCursor(formatAuditCursor(cursor))).toEqual(cursor);
    expect(parseAuditCursor(null)).toBeNull();
    expect(parseAuditCursor("1-2-3")).toBeNull();
  });
});

describe("actionGroupOf", () => {
  it("keeps the first word and its dot", () => {
    expect(actionGroupOf("plan.member.set")).toBe("plan.");
    expect(actionGroupOf("template.create")).toBe("template.");
    expect(actionGroupOf("login")).toBe("login.");
  });
});

describe("auditDetailEntries", () => {
  it("flattens an object, nested keys joined with dots, in the order written", () => {
    expect(auditDetailEntries(JSON.stringify({ title: "端午促销", templateId: null, band: { maxFen: 5000000, steps: ["finance", "gm"] }, keep: true }))).toEqual([
      { key: "title", value: "端午促销" },
      { key: "templateId", value: null },
      { key: "band.maxFen", value: 5000000 },
      { key: "band.steps", value: ["finance", "gm"] },
      { key: "keep", value: true },
    ]);
  });

  it("shows an edit as the keys that changed", () => {
    const detail = { from: { name: "王芳", role: "planner", title: null }, to: { name: "王芳", role: "manager", title: "gm" }, passwordReset: false };
    expect(auditDetailEntries(JSON.stringify(detail))).toEqual([
      { key: "role", from: "planner", to: "manager" },
      { key: "title", from: null, to: "gm" },
      { key: "passwordReset", value: false },
    ]);
  });

  it("keeps a lone from as a value", () => {
    expect(auditDetailEntries('{"from":"draft"}')).toEqual([{ key: "from", value: "draft" }]);
  });

  it("gives nothing for an empty detail and shows text that is not JSON as it is", () => {
    expect(auditDetailEntries("{}")).toEqual([]);
    expect(auditDetailEntries("")).toEqual([]);
    expect(auditDetailEntries("not json")).toEqual([{ key: "", value: "not json" }]);
    expect(auditDetailEntries("[1,2]")).toEqual([{ key: "", value: [1, 2] }]);
    expect(auditDetailEntries('{"rows":[{"a":1}]}')).toEqual([{ key: "rows", value: '[{"a":1}]' }]);
  });
});

describe("detailValueKind", () => {
  it("knows the app's named values by target and key", () => {
    expect(detailValueKind("member", "role")).toBe("role");
    expect(detailValueKind("member", "title")).toBe("approverTitle");
    expect(detailValueKind("plan", "title")).toBe("text");
    expect(detailValueKind("plan", "userId")).toBe("member");
    expect(detailValueKind("plan", "from")).toBe("status");
    expect(detailValueKind("plan", "templateId")).toBe("template");
    expect(detailValueKind("template", "sourcePlanId")).toBe("plan");
    expect(detailValueKind("plan", "chain")).toBe("approverTitle");
    expect(detailValueKind("plan", "step")).toBe("approvalStep");
    expect(detailValueKind("plan", "decision")).toBe("decision");
    expect(detailValueKind("plan", "outcome")).toBe("revisionStatus");
  });

  it("treats keys ending in Fen as amounts", () => {
    expect(detailValueKind("revision", "totalFen")).toBe("money");
    expect(detailValueKind("band", "band.maxFen")).toBe("money");
    expect(detailValueKind("plan", "Fen")).toBe("text");
  });
});

describe("the audit registry helpers", () => {
  it("finds the detail keys no label names", () => {
    expect(unknownDetailKeys("actuals.import", ["rows", "totalFen", "created"])).toEqual([]);
    expect(unknownDetailKeys("plan.create", ["title", "secretKey"])).toEqual(["secretKey"]);
    expect(unknownDetailKeys("no.suchAction", ["a"])).toEqual(["a"]);
    // The authority matrix's rows are keyed by each work item's own key.
    expect(unknownDetailKeys("authority.update", ["budget", "my-item_2", "slaHours"])).toEqual([]);
    expect(unknownDetailKeys("authority.update", ["业务接待"])).toEqual(["业务接待"]);
  });

  it("reads an authority matrix row back into amounts and titles", () => {
    expect(parseWorkItemSummary("活动预算: 0–50000.00 finance>deputyGm>gm; 50000.00–500000.00 finance>gm>chairman; 500000.00– finance>chairman>chairman")).toEqual({
      name: "活动预算",
      bands: [
        { overYuan: "0", upToYuan: "50000.00", steps: ["finance", "deputyGm", "gm"] },
        { overYuan: "50000.00", upToYuan: "500000.00", steps: ["finance", "gm", "chairman"] },
        { overYuan: "500000.00", upToYuan: null, steps: ["finance", "chairman", "chairman"] },
      ],
    });
    expect(parseWorkItemSummary("not a row")).toBeNull();
    expect(parseWorkItemSummary("名称: 五万 finance")).toBeNull();
  });
});
