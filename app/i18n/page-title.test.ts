import { describe, expect, it } from "vitest";
import { localeOfMatches, pageTitle } from "./page-title";

const root = (locale: unknown) => ({ id: "root", data: { locale } });

describe("pageTitle", () => {
  it("speaks the member's language", () => {
    expect(pageTitle([root("zh-CN")], "plans")).toEqual([{ title: "计划 · 活动策划台" }]);
    expect(pageTitle([root("en")], "plans")).toEqual([{ title: "Plans · CampaignDesk" }]);
  });

  it("puts the plan's title between the page and the app", () => {
    expect(pageTitle([root("zh-CN")], "planActuals", { title: "端午促销" })).toEqual([{ title: "实际对比 · 端午促销 · 活动策划台" }]);
    expect(pageTitle([root("en")], null, { title: "Dragon Boat sale" })).toEqual([{ title: "Dragon Boat sale · CampaignDesk" }]);
  });

  it("names a plan generically while its data is missing (an error page)", () => {
    expect(pageTitle([root("en")], "planHistory", null)).toEqual([{ title: "Version history · Plan · CampaignDesk" }]);
  });

  it("titles a refused plan page by the refusal", () => {
    expect(pageTitle([root("zh-CN")], null, null, { status: 403, data: { code: "noAccess" } })).toEqual([{ title: "无访问权限 · 活动策划台" }]);
    expect(pageTitle([root("en")], "planActuals", null, { status: 404 })).toEqual([{ title: "Page not found · CampaignDesk" }]);
    expect(pageTitle([root("en")], "planActuals", null, new Error("boom"))).toEqual([{ title: "Actuals · Plan · CampaignDesk" }]);
  });

  it("falls back to Chinese without root data or with a locale it does not know", () => {
    expect(localeOfMatches([])).toBe("zh-CN");
    expect(localeOfMatches([root("fr")])).toBe("zh-CN");
    expect(pageTitle([{ id: "root" }], "dashboard")).toEqual([{ title: "概览 · 活动策划台" }]);
  });
});
