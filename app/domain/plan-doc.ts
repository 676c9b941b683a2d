import * as Y from "yjs";
import { z } from "zod";
import { CampaignTypeSchema, IsoDateSchema, type CampaignType } from "./plan";

/**
 * The plan document: one Y.Doc per plan, the source of truth while editing. This module
 * is the only place that knows its root names and shapes; everything else goes through it.
 */
export const ROOT = {
  meta: "meta",
  sections: "sections",
  timeline: "timeline",
  roles: "roles",
  budget: "budget",
  kpis: "kpis",
} as const;

export const SECTION_PREFIX = "section:";
export const SectionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
export const SECTION_KINDS = ["richText", "timeline", "roles", "budget", "kpis"] as const;
export const SectionKindSchema = z.enum(SECTION_KINDS);
export type SectionKind = z.infer<typeof SectionKindSchema>;

export type RootKind = keyof typeof ROOT | "section";

/** What kind of root a root name is, or null for a name the document does not have. */
export function classifyRoot(name: string): RootKind | null {
  if (name.startsWith(SECTION_PREFIX)) {
    return SectionIdSchema.safeParse(name.slice(SECTION_PREFIX.length)).success ? "section" : null;
  }
  return (Object.values(ROOT) as string[]).includes(name) ? (name as keyof typeof ROOT) : null;
}

export function sectionFragment(doc: Y.Doc, sectionId: string): Y.XmlFragment {
  return doc.getXmlFragment(`${SECTION_PREFIX}${sectionId}`);
}

const metaMap = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.meta);
const sectionArray = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>(ROOT.sections);

export interface PlanMeta {
  title: string;
  templateId: string | null;
  campaignType: CampaignType;
  startDate: string;
  endDate: string;
  store: string;
  /** 活动基准日 the template's dates were laid out from, or "" for a blank plan. */
  anchor: string;
  currency: "CNY";
}

export interface SectionSeed {
  heading: string;
  kind: SectionKind;
  /** Starter paragraphs for a rich-text section. */
  paragraphs?: readonly string[];
}

/** Random section ids: two people adding a section at once never collide. */
export function newSectionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
}

function sectionMap(id: string, heading: string, kind: SectionKind): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set("id", id);
  map.set("heading", heading);
  map.set("kind", kind);
  return map;
}

/** Fills a brand-new document. Only the server seeds, in the transaction that creates the plan. */
export function seedPlanDoc(doc: Y.Doc, meta: PlanMeta, sections: readonly SectionSeed[]): void {
  doc.transact(() => {
    const m = metaMap(doc);
    for (const [key, value] of Object.entries(meta)) m.set(key, value);
    const maps: Y.Map<unknown>[] = [];
    for (const seed of sections) {
      const id = newSectionId();
      maps.push(sectionMap(id, seed.heading, seed.kind));
      if (seed.kind === "richText" && seed.paragraphs?.length) {
        sectionFragment(doc, id).insert(
          0,
          seed.paragraphs.map((text) => {
            const p = new Y.XmlElement("paragraph");
            p.insert(0, [new Y.XmlText(text)]);
            return p;
          }),
        );
      }
    }
    sectionArray(doc).insert(0, maps);
  });
}

export function addSection(doc: Y.Doc, heading: string, kind: SectionKind = "richText", index?: number): string {
  const id = newSectionId();
  doc.transact(() => {
    const sections = sectionArray(doc);
    sections.insert(Math.min(index ?? sections.length, sections.length), [sectionMap(id, heading, kind)]);
  });
  return id;
}

function indexOfSection(doc: Y.Doc, id: string): number {
  return sectionArray(doc)
    .toArray()
    .findIndex((m) => m.get("id") === id);
}

export function renameSection(doc: Y.Doc, id: string, heading: string): void {
  doc.transact(() => sectionArray(doc).get(indexOfSection(doc, id))?.set("heading", heading));
}

/** Moves a section to `to`; the rich text stays in its own root, so nothing is copied. */
export function moveSection(doc: Y.Doc, id: string, to: number): void {
  doc.transact(() => {
    const sections = sectionArray(doc);
    const from = indexOfSection(doc, id);
    const map = sections.get(from);
    if (from < 0 || !map) return;
    const heading = map.get("heading");
    const copy = sectionMap(id, typeof heading === "string" ? heading : "", SectionKindSchema.catch("richText").parse(map.get("kind")));
    sections.delete(from, 1);
    sections.insert(Math.max(0, Math.min(to, sections.length)), [copy]);
  });
}

export function removeSection(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    const index = indexOfSection(doc, id);
    if (index >= 0) sectionArray(doc).delete(index, 1);
    const fragment = sectionFragment(doc, id);
    fragment.delete(0, fragment.length);
  });
}

// Any client can write any shape into a Y.Doc: reading goes through zod, and a bad
// entry is skipped (and reported) instead of breaking the whole plan.
const MetaSchema = z.object({
  title: z.string().catch(""),
  templateId: z.string().nullable().catch(null),
  campaignType: CampaignTypeSchema.catch("holiday"),
  startDate: IsoDateSchema.catch(""),
  endDate: IsoDateSchema.catch(""),
  store: z.string().catch(""),
  anchor: IsoDateSchema.or(z.literal("")).catch(""),
  currency: z.literal("CNY").catch("CNY"),
});

const SectionSchema = z.object({
  id: SectionIdSchema,
  heading: z.string().max(200),
  kind: SectionKindSchema,
});
export type Section = z.infer<typeof SectionSchema>;

export interface PlanDocData {
  meta: PlanMeta;
  sections: Section[];
  /** Entries that did not match the schema, by root, for logs and repair tools. */
  invalid: { root: string; index: number }[];
}

export function readPlanDoc(doc: Y.Doc): PlanDocData {
  const invalid: PlanDocData["invalid"] = [];
  const meta = MetaSchema.parse(metaMap(doc).toJSON());
  const seen = new Set<string>();
  const sections: Section[] = [];
  sectionArray(doc).forEach((entry, index) => {
    const parsed = SectionSchema.safeParse(entry instanceof Y.Map ? entry.toJSON() : entry);
    if (!parsed.success || seen.has(parsed.data.id)) invalid.push({ root: ROOT.sections, index });
    else {
      seen.add(parsed.data.id);
      sections.push(parsed.data);
    }
  });
  return { meta, sections, invalid };
}
