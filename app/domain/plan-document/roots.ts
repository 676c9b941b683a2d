import * as Y from "yjs";
import { z } from "zod";

/**
 * The root types of a plan document: one Y.Doc per plan, the source of truth while editing.
 * This folder is the only place that knows their names and shapes; everything else goes
 * through it.
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
export const RowIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/);

export type BlockRoot = typeof ROOT.timeline | typeof ROOT.roles | typeof ROOT.budget | typeof ROOT.kpis;
export const BLOCK_ROOTS: readonly BlockRoot[] = [ROOT.timeline, ROOT.roles, ROOT.budget, ROOT.kpis];

export type RootKind = keyof typeof ROOT | "section";

/** The name of the Y.XmlFragment root that holds one rich-text section. */
export function sectionRootName(sectionId: string): string {
  return `${SECTION_PREFIX}${sectionId}`;
}

/** What kind of root a root name is, or null for a name the document does not have. */
export function classifyRoot(name: string): RootKind | null {
  if (name.startsWith(SECTION_PREFIX)) {
    return SectionIdSchema.safeParse(name.slice(SECTION_PREFIX.length)).success ? "section" : null;
  }
  return (Object.values(ROOT) as string[]).includes(name) ? (name as keyof typeof ROOT) : null;
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ROOT.meta);
}

export function sectionsArray(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray<unknown>(ROOT.sections);
}

export function sectionFragment(doc: Y.Doc, sectionId: string): Y.XmlFragment {
  return doc.getXmlFragment(sectionRootName(sectionId));
}

export function blockArray(doc: Y.Doc, root: BlockRoot): Y.Array<unknown> {
  return doc.getArray<unknown>(root);
}

/** The place of the entry with this id in a sections or block array, counting entries readers skip; -1 when absent. */
export function indexOfId(array: Y.Array<unknown>, id: string): number {
  return array.toArray().findIndex((entry) => entry instanceof Y.Map && entry.get("id") === id);
}
