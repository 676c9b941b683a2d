// Every audit action the code records, and every detail key of each, has a label in both languages (issue 18).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { actionGroupOf, AUDIT_ACTIONS, detailValueKind, type AuditAction } from "~/domain/audit";
import type { Locale } from "~/domain/roles";
import { createI18n } from "./i18n";

const ROOT = join(__dirname, "..", "..");
const LOCALES: readonly Locale[] = ["zh-CN", "en"];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/**
 * The actions the code writes: in every file that records an audit entry, the dotted strings
 * on lines that name an action (`action: "plan.create"`, `action: x ? "a.b" : "a.c"`, a
 * parameter typed `action: "authority.update" | "authority.reset"`).
 */
function recordedActions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...sourceFiles("app"), ...sourceFiles("server")]) {
    const text = readFileSync(join(ROOT, file), "utf8");
    if (!/recordAudit\(|audit: \{/.test(text)) continue;
    for (const line of text.split("\n")) {
      if (!/\baction\b/.test(line)) continue;
      for (const match of line.matchAll(/"([a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)+)"/g)) found.set(match[1]!, file);
    }
  }
  return found;
}

describe("the audit registry", () => {
  const recorded = recordedActions();

  it("finds the actions the code records (the scan itself works)", () => {
    expect(recorded.size).toBeGreaterThanOrEqual(30);
    expect(recorded.get("plan.review.generate")).toMatch(/review/);
    expect(recorded.has("authority.reset")).toBe(true);
    expect(recorded.has("member.reactivate")).toBe(true);
  });

  it("lists every action the code records, and none it does not", () => {
    const unlisted = [...recorded.keys()].filter((action) => !Object.hasOwn(AUDIT_ACTIONS, action));
    expect(unlisted, `recorded but not in AUDIT_ACTIONS (app/domain/audit.ts): ${unlisted.map((a) => `${a} in ${recorded.get(a)}`).join(", ")}`).toEqual([]);
    const stale = Object.keys(AUDIT_ACTIONS).filter((action) => !recorded.has(action));
    expect(stale, "in AUDIT_ACTIONS but recorded nowhere").toEqual([]);
  });
});

describe.each(LOCALES)("audit labels in %s", (locale) => {
  const i18n = createI18n(locale);
  const has = (key: string) => i18n.exists(key);
  const actions = Object.entries(AUDIT_ACTIONS) as [AuditAction, (typeof AUDIT_ACTIONS)[AuditAction]][];

  it("names every action, its group and its target", () => {
    const missing = actions.flatMap(([action, { target }]) =>
      [`audit.actions.${action}`, `audit.groups.${actionGroupOf(action).slice(0, -1)}.label`, `audit.targets.${target}`].filter((key) => !has(key)),
    );
    expect(missing).toEqual([]);
  });

  it("labels every detail key of every action", () => {
    const missing = actions.flatMap(([action, { target, keys }]) =>
      keys.filter((key) => !has(`audit.detailKeys.${target}.${key}`) && !has(`audit.detailKeys.common.${key}`)).map((key) => `${action}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it("translates every coded value the details carry", () => {
    const coded = [
      "audit.detail.basis.draft",
      "audit.detail.basis.approved",
      "audit.detail.withdrawReason.archived",
      "audit.detail.actualSource.manual",
      "audit.detail.actualSource.import",
      "audit.detail.workItem",
      "audit.detail.bandRange",
      "audit.detail.bandFrom",
    ];
    expect(coded.filter((key) => !has(key))).toEqual([]);
  });

  it("gives the audit log's own words in the right language", () => {
    const chinese = /[\u3400-\u9fff]/;
    const words = [i18n.t("audit.targets.holidays"), i18n.t("audit.detailKeys.plan.dataSectionId"), i18n.t("audit.detailKeys.plan.basis.kind"), i18n.t("audit.detailKeys.plan.totalFen")];
    for (const word of words) expect(chinese.test(word)).toBe(locale === "zh-CN");
  });

  it("counts entries with the language's plural rules", () => {
    expect(i18n.t("audit.count", { count: 1 })).toBe(locale === "en" ? "1 entry" : "共 1 条记录");
    expect(i18n.t("audit.count", { count: 3 })).toBe(locale === "en" ? "3 entries" : "共 3 条记录");
  });
});

describe("detailValueKind for the keys the issue named", () => {
  it("formats what used to show raw", () => {
    expect(detailValueKind("plan", "basis.kind", "plan.review.generate")).toBe("budgetBasis");
    expect(detailValueKind("plan", "totalFen", "actuals.import")).toBe("money");
    expect(detailValueKind("plan", "reason", "approval.withdraw")).toBe("withdrawReason");
    expect(detailValueKind("plan", "reason", "approval.reopen")).toBe("text");
    expect(detailValueKind("plan", "revision", "plan.export")).toBe("budgetBasis");
    expect(detailValueKind("plan", "revision", "approval.submit")).toBe("text");
    expect(detailValueKind("holidays", "holidays", "holidays.update")).toBe("date");
    expect(detailValueKind("authorityMatrix", "budget", "authority.update")).toBe("workItem");
    expect(detailValueKind("authorityMatrix", "slaHours", "authority.update")).toBe("text");
  });
});
