import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it.each([
    ["/plans", "/plans"],
    ["/admin/members?role=viewer#top", "/admin/members?role=viewer#top"],
    ["/计划", "/%E8%AE%A1%E5%88%92"],
    ["/plans/../dashboard", "/dashboard"],
    ["/plans/./abc", "/plans/abc"],
  ])("keeps the site path %s", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "https://evil.example",
    "http://evil.example/plans",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/plans/..//evil.example/phish",
    "/plans/../..//evil.example",
    "/././/evil.example",
    "javascript:alert(1)",
    "plans",
    "",
    null,
    undefined,
    42,
  ])("sends %s to the fallback", (to) => {
    expect(safeRedirect(to)).toBe("/");
    expect(safeRedirect(to, "/plans")).toBe("/plans");
  });
});
