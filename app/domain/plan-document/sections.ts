import * as Y from "yjs";
import { z } from "zod";
import { newSectionId } from "./ids";
import { MetaSchema, type PlanMeta, type StoredMeta } from "./meta";
import { indexOfId, metaMap, ROOT, sectionFragment, SectionIdSchema, sectionsArray } from "./roots";

export const SECTION_KINDS = ["richText", "timeline", "roles", "budget", "kpis"] as const;
export const SectionKindSchema = z.enum(SECTION_KINDS);
export type SectionKind = z.infer<typeof SectionKindSchema>;

export interface SectionSeed {
  heading: string;
  kind: SectionKind;
  /** Starter paragraphs for a rich-text section. */
  paragraphs?: readonly string[];
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
    sectionsArray(doc).insert(0, maps);
  });
}

export function addSection(doc: Y.Doc, heading: string, kind: SectionKind = "richText", index?: number): string {
  const id = newSectionId();
  doc.transact(() => {
    const sections = sectionsArray(doc);
    sections.insert(Math.min(index ?? sections.length, sections.length), [sectionMap(id, heading, kind)]);
  });
  return id;
}

/** The section's place in the `sections` array itself, counting entries the reader skips; -1 when absent. */
export function sectionIndex(doc: Y.Doc, id: string): number {
  return indexOfId(sectionsArray(doc), id);
}

export function renameSection(doc: Y.Doc, id: string, heading: string): void {
  doc.transact(() => {
    const map = sectionsArray(doc).get(sectionIndex(doc, id));
    if (map instanceof Y.Map) map.set("heading", heading);
  });
}

/** Moves a section to `to`; the rich text stays in its own root, so nothing is copied. */
export function moveSection(doc: Y.Doc, id: string, to: number): void {
  doc.transact(() => {
    const sections = sectionsArray(doc);
    const from = sectionIndex(doc, id);
    const map = sections.get(from);
    if (from < 0 || !(map instanceof Y.Map)) return;
    const heading: unknown = map.get("heading");
    const copy = sectionMap(id, typeof heading === "string" ? heading : "", SectionKindSchema.catch("richText").parse(map.get("kind")));
    sections.delete(from, 1);
    sections.insert(Math.max(0, Math.min(to, sections.length)), [copy]);
  });
}

export function removeSection(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    const index = sectionIndex(doc, id);
    if (index >= 0) sectionsArray(doc).delete(index, 1);
    const fragment = sectionFragment(doc, id);
    fragment.delete(0, fragment.length);
  });
}

// Any client can write any shape into a Y.Doc: reading goes through zod, and a bad entry
// is skipped (and reported) instead of breaking the whole plan.
const SectionSchema = z.object({
  id: SectionIdSchema,
  heading: z.string().max(200),
  kind: SectionKindSchema,
});
export type Section = z.infer<typeof SectionSchema>;

export interface PlanDocData {
  meta: StoredMeta;
  sections: Section[];
  /** Entries that did not match the schema, by root, for logs and repair tools. */
  invalid: { root: string; index: number }[];
}

export function readPlanDoc(doc: Y.Doc): PlanDocData {
  const invalid: PlanDocData["invalid"] = [];
  const meta = MetaSchema.parse(metaMap(doc).toJSON());
  const seen = new Set<string>();
  const sections: Section[] = [];
  sectionsArray(doc).forEach((entry, index) => {
    const parsed = SectionSchema.safeParse(entry instanceof Y.Map ? entry.toJSON() : entry);
    if (!parsed.success || seen.has(parsed.data.id)) invalid.push({ root: ROOT.sections, index });
    else {
      seen.add(parsed.data.id);
      sections.push(parsed.data);
    }
  });
  return { meta, sections, invalid };
}
