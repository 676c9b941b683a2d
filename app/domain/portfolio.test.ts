import { describe, expect, it } from "vitest";
import { defaultPeriod, overlapsPeriod, PortfolioFilterSchema, portfolioSearchParams } from "./portfolio";

const period = { from: "2027-01-01", to: "2027-12-31" };

describe("overlapsPeriod", () => {
  it("counts a plan that touches the period by a single day at either end", () => {
    expect(overlapsPeriod({ startDate: "2026-12-20", endDate: "2027-01-01" }, period)).toBe(true);
    expect(overlapsPeriod({ startDate: "2027-12-31", endDate: "2028-01-10" }, period)).toBe(true);
    expect(overlapsPeriod({ startDate: "2026-01-01", endDate: "2028-12-31" }, period)).toBe(true);
    expect(overlapsPeriod({ startDate: "2027-06-01", endDate: "2027-06-12" }, period)).toBe(true);
  });

  it("leaves out plans that end before or start after it", () => {
    expect(overlapsPeriod({ startDate: "2026-12-01", endDate: "2026-12-31" }, period)).toBe(false);
    expect(overlapsPeriod({ startDate: "2028-01-01", endDate: "2028-01-02" }, period)).toBe(false);
  });
});

describe("PortfolioFilterSchema", () => {
  it("reads the form: empty selects are no filter, archived plans only when asked", () => {
    expect(PortfolioFilterSchema.parse({ from: "2027-01-01", to: "2027-12-31", type: "", store: "  外滩 ", status: "" })).toEqual({
      from: "2027-01-01",
      to: "2027-12-31",
      campaignType: null,
      store: "外滩",
      status: null,
      includeArchived: false,
    });
    expect(PortfolioFilterSchema.parse({ ...period, type: "double11", status: "approved", archived: "1" })).toMatchObject({
      campaignType: "double11",
      status: "approved",
      includeArchived: true,
    });
    // Asking for archived plans by status includes them without the checkbox.
    expect(PortfolioFilterSchema.parse({ ...period, status: "archived" }).includeArchived).toBe(true);
  });

  it("names the field at fault with a translation key", () => {
    const issues = (input: Record<string, string>) =>
      PortfolioFilterSchema.safeParse(input).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues({ from: "2027-02-30", to: "2027-12-31" })).toEqual([["from", "invalidDate"]]);
    expect(issues({ from: "2027-12-31", to: "2027-01-01" })).toEqual([["to", "endBeforeStart"]]);
    expect(issues({ ...period, store: "店".repeat(61) })).toEqual([["store", "storeLength"]]);
    expect(issues({ ...period, type: "christmas" })?.[0]?.[0]).toBe("type");
  });
});

describe("portfolioSearchParams", () => {
  it("writes only the fields that narrow the filter, and reads back to the same filter", () => {
    const narrow = PortfolioFilterSchema.parse({ ...period, type: "opening", store: "南京西路 & 外滩", status: "running", archived: "1" });
    const params = portfolioSearchParams(narrow);
    expect(params.toString()).toBe("from=2027-01-01&to=2027-12-31&type=opening&store=%E5%8D%97%E4%BA%AC%E8%A5%BF%E8%B7%AF+%26+%E5%A4%96%E6%BB%A9&status=running&archived=1");
    expect(PortfolioFilterSchema.parse(Object.fromEntries(params))).toEqual(narrow);

    const wide = PortfolioFilterSchema.parse(period);
    expect(portfolioSearchParams(wide).toString()).toBe("from=2027-01-01&to=2027-12-31");
    expect(PortfolioFilterSchema.parse(Object.fromEntries(portfolioSearchParams(wide)))).toEqual(wide);

    const archived = PortfolioFilterSchema.parse({ ...period, status: "archived" });
    expect(portfolioSearchParams(archived).get("archived")).toBeNull();
    expect(PortfolioFilterSchema.parse(Object.fromEntries(portfolioSearchParams(archived)))).toEqual(archived);
  });
});

describe("defaultPeriod", () => {
  it("runs from the first of last month to the end of the month a year ahead", () => {
    expect(defaultPeriod("2027-03-15")).toEqual({ from: "2027-02-01", to: "2028-03-31" });
  });

  it("crosses year ends and month lengths", () => {
    expect(defaultPeriod("2027-01-01")).toEqual({ from: "2026-12-01", to: "2028-01-31" });
    expect(defaultPeriod("2027-12-31")).toEqual({ from: "2027-11-01", to: "2028-12-31" });
    expect(defaultPeriod("2027-02-28")).toEqual({ from: "2027-01-01", to: "2028-02-29" });
  });

  it("holds a plan in December when today is in January, which the calendar year left out", () => {
    const { from, to } = defaultPeriod("2027-01-10");
    expect(overlapsPeriod({ startDate: "2026-12-20", endDate: "2026-12-31" }, { from, to })).toBe(true);
    expect(overlapsPeriod({ startDate: "2027-11-11", endDate: "2027-11-11" }, { from, to })).toBe(true);
    expect(PortfolioFilterSchema.safeParse({ from, to }).success).toBe(true);
  });
});
