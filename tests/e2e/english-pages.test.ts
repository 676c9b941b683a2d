// English mode speaks English (issue 18): on the main pages, no Chinese in the interface's own words, only in what members wrote.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { DEFAULT_AUTHORITY_MATRIX } from "~/domain/approval";
import { DEMO_PASSWORD } from "../../server/demo-seed";
import { builtInTemplates } from "../../templates";
import { browserSuite, logIn, watchPageErrors } from "../support/browser";

const suite = browserSuite({ seedDemo: true });

/** Where the interface's own words are; member-written text (plan titles, names, sections) is matched against the data below. */
const CHROME = "header.topbar, nav, h1, th, label, button, legend, .badge, .field-error, .page-header, .hint, .template-card-anchor";
const CJK_RUN = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/g;

/** Everything members and the demo wrote, in which Chinese is expected in any language. */
async function memberWords(): Promise<string[]> {
  const db = suite.server.db;
  const [plans, users, lines, kpis, templates, settings] = await Promise.all([
    db.selectFrom("plans").select(["title", "store"]).execute(),
    db.selectFrom("users").select("name").execute(),
    db.selectFrom("budget_lines").select(["category", "item", "unit"]).execute(),
    db.selectFrom("kpis").select(["name", "unit"]).execute(),
    db.selectFrom("custom_templates").select("name").execute(),
    db.selectFrom("app_settings").select("value").execute(),
  ]);
  return [
    ...plans.flatMap((p) => [p.title, p.store ?? ""]),
    ...users.map((u) => u.name),
    ...lines.flatMap((l) => [l.category, l.item, l.unit]),
    ...kpis.flatMap((k) => [k.name, k.unit]),
    ...templates.map((t) => t.name),
    // The authority matrix's work item names and budget categories.
    ...settings.map((s) => s.value),
    // The authority matrix a workspace starts with, until an admin saves its own (then it is in app_settings).
    ...DEFAULT_AUTHORITY_MATRIX.workItems.map((item) => item.name),
    ...Object.keys(DEFAULT_AUTHORITY_MATRIX.categoryMap),
    // The built-in templates are Chinese documents: their names, purposes and picked-day labels are their content.
    ...builtInTemplates().flatMap((template) => [template.name, template.purpose ?? "", template.anchor.kind === "pick" ? template.anchor.label : ""]),
    // A language is offered in its own name.
    "中文",
  ].filter((word) => word !== "");
}

async function chineseInChrome(page: Page, words: readonly string[]): Promise<string[]> {
  const texts = await page.locator(CHROME).evaluateAll((elements) =>
    elements.map((element) => {
      // Decorations hidden from readers (the logo's mark) and the plan's outline, which lists the document's own headings.
      const copy = element.cloneNode(true) as HTMLElement;
      for (const skipped of copy.querySelectorAll("[aria-hidden='true'], nav.outline ol, nav.outline ul")) skipped.remove();
      if (element.matches("[aria-hidden='true']")) return "";
      const parts: string[] = [];
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.nodeValue ?? "");
      // One text node per line, so a run of Chinese never spans two members' names in a list.
      return parts.join("\n");
    }),
  );
  const found = new Set<string>();
  for (const text of texts) {
    for (const run of text.match(CJK_RUN) ?? []) {
      if (!words.some((word) => word.includes(run))) found.add(`${run}  ← ${text.replace(/\s+/g, " ").slice(0, 80)}`);
    }
  }
  return [...found];
}

it("shows the main pages in English with no Chinese of the interface's own", async () => {
  const words = await memberWords();
  const plan = await suite.server.db.selectFrom("plans").select("id").orderBy("created_at").executeTakeFirstOrThrow();
  const revision = await suite.server.db.selectFrom("budget_revisions").select("id").where("status", "=", "pending").executeTakeFirstOrThrow();
  const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const noErrors = watchPageErrors(page);
  await logIn(page, suite.server.url, "admin", DEMO_PASSWORD);
  await page.locator(".topbar .language-switch button[value='en']").click();
  await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");

  const pages = ["/dashboard", "/plans", "/plans/new", `/plans/${plan.id}`, "/finance", "/approvals", `/approvals/${revision.id}`, "/calendar", "/admin/members", "/admin/audit", "/admin/authority"];
  const report: Record<string, string[]> = {};
  for (const path of pages) {
    await page.goto(`${suite.server.url}${path}`);
    await page.locator("h1").first().waitFor();
    const found = await chineseInChrome(page, words);
    if (found.length > 0) report[path] = found;
  }
  expect(report).toEqual({});
  noErrors();
  await context.close();
});
