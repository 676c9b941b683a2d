import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";

/**
 * axe-core on the pages the phone journeys run through — the dashboard, a plan, an approval
 * review — at a desktop and a phone width: no critical or serious violation, and every form
 * control has an accessible name.
 */

const suite = browserSuite({ seedDemo: true });
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
/** The rules that say a control has no name: a field without a label, a nameless button or select. */
const NAMING_RULES = ["label", "select-name", "button-name", "aria-input-field-name", "input-button-name", "link-name"];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) }));
  });
}

function describe(violations: Violation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(" ")}  ${n.html}`).join("\n")}`).join("\n");
}

async function pages(): Promise<{ name: string; path: string; username: string; ready: string }[]> {
  const db = suite.server.db;
  const plan = await db.selectFrom("plans").select("id").where("title", "=", "2027 端午门店促销").executeTakeFirstOrThrow();
  const revision = await db.selectFrom("budget_revisions").select("id").where("plan_id", "=", plan.id).where("status", "=", "pending").executeTakeFirstOrThrow();
  return [
    { name: "dashboard", path: "/dashboard", username: "manager", ready: "main h1" },
    { name: "plan", path: `/plans/${plan.id}`, username: "planner", ready: ".plan-section .ProseMirror" },
    { name: "approval review", path: `/approvals/${revision.id}`, username: "finance", ready: "main h1" },
  ];
}

it("the dashboard, a plan and an approval review have no critical or serious axe violations, and every control is named", async () => {
  const problems: string[] = [];
  for (const target of await pages()) {
    for (const viewport of WIDTHS) {
      // bypassCSP: the page's CSP refuses the injected axe script, as it should any inline script.
      const context = await suite.browser.newContext({ viewport, hasTouch: viewport.width < 600, bypassCSP: true });
      const page = await context.newPage();
      const check = watchPageErrors(page);
      await logIn(page, suite.server.url, target.username, DEMO_PASSWORD);
      await page.goto(`${suite.server.url}${target.path}`);
      await page.locator(target.ready).first().waitFor();
      const violations = await axeViolations(page);
      const bad = violations.filter((v) => v.impact === "critical" || v.impact === "serious" || NAMING_RULES.includes(v.id));
      if (bad.length > 0) problems.push(`${target.name} at ${viewport.width}px:\n${describe(bad)}`);
      check();
      await context.close();
    }
  }
  expect(problems.join("\n\n")).toBe("");
}, 180_000);
