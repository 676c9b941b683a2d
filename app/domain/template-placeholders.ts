import type { TemplateInstance } from "./template";

/**
 * The seed texts leave blanks for what each campaign knows and they do not: "时间：xx月xx日——
 * xx月xx日", "地点：xx大酒店". When a plan is created from a template, the blanks the plan can
 * answer are filled in (the campaign's own dates, its store); every other blank ("由xx负责",
 * "《xx日报》", a sub-activity's "x月x—x日") stays as typed, visible for the planner to fill.
 */

export interface PlaceholderFacts {
  /** The campaign's own days (the live phase), YYYY-MM-DD. */
  eventStart: string;
  eventEnd: string;
  /** The plan's store; "" leaves store blanks as they are. */
  store: string;
}

// x, xx or XX (fullwidth ｘ is folded by NFKC before matching).
const X = "[xX]{1,3}";
/** "xx月xx日——xx月xx日", "x月x日—x月x日", "x月x日至x月x日": the campaign's own period, both months written. */
const FULL_RANGE = new RegExp(`${X}月${X}日(\\s*(?:[—–\\-~～－]+|至|到)\\s*)${X}月${X}日`, "gu");
/** "xx大酒店", "xx超市", "XX店": the plan's store stands for the whole name. */
const STORE = new RegExp(`${X}(?:大酒店|酒店|超市|门店|商场|购物中心|店)`, "gu");

function monthDay(iso: string): string {
  return `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/** One text with the blanks `facts` can answer filled in. */
export function fillPlaceholders(text: string, facts: PlaceholderFacts): string {
  if (!/[xXｘＸ]/u.test(text)) return text;
  const normalized = text.replace(/[ｘＸ]/gu, (char) => char.normalize("NFKC"));
  const dated = normalized.replace(FULL_RANGE, (_match, separator: string) => `${monthDay(facts.eventStart)}${separator}${monthDay(facts.eventEnd)}`);
  const store = facts.store.trim();
  return store === "" ? dated : dated.replace(STORE, store);
}

/** The live phase's first and last day; the anchor day when a template has no live tasks. */
export function eventPeriod(instance: Pick<TemplateInstance, "anchor" | "timeline">): { eventStart: string; eventEnd: string } {
  const live = instance.timeline.filter((row) => row.phase === "live");
  if (live.length === 0) return { eventStart: instance.anchor, eventEnd: instance.anchor };
  return { eventStart: live.map((row) => row.start).sort()[0]!, eventEnd: live.map((row) => row.end).sort().at(-1)! };
}

/** A placed template with its blanks filled from its own dates and the plan's store. */
export function fillInstance(instance: TemplateInstance, store: string): TemplateInstance {
  const facts = { ...eventPeriod(instance), store };
  const fill = (text: string) => fillPlaceholders(text, facts);
  return {
    ...instance,
    sections: instance.sections.map((section) => (section.kind === "richText" && section.paragraphs ? { ...section, paragraphs: section.paragraphs.map(fill) } : section)),
    timeline: instance.timeline.map((row) => ({ ...row, task: fill(row.task) })),
    roles: instance.roles.map((role) => ({ ...role, duties: fill(role.duties) })),
    budget: instance.budget.map((line) => ({ ...line, item: fill(line.item), note: fill(line.note) })),
    kpis: instance.kpis.map((kpi) => ({ ...kpi, notes: fill(kpi.notes) })),
  };
}
