import { createHash } from "node:crypto";
import * as Y from "yjs";
import { ROOT, sectionFragment } from "~/domain/plan-document";
import { BLOCK_ROOTS, blockArray, insertRow, updateRow } from "~/domain/plan-document";

/**
 * What benchmark clients do to a plan document, through the app's own domain functions so
 * the updates have the shapes real editors send.
 */

export type Random = () => number;

/** A small fast seeded generator (mulberry32): runs with the same seed make the same edits. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPED = "双十一预热期会员专享满减活动报名火爆门店客流增长";

function richTextParagraphs(doc: Y.Doc): Y.XmlText[] {
  const texts: Y.XmlText[] = [];
  for (const section of doc.getArray<Y.Map<unknown>>(ROOT.sections).toArray()) {
    if (section.get("kind") !== "richText") continue;
    for (const node of sectionFragment(doc, String(section.get("id"))).toArray()) {
      if (node instanceof Y.XmlElement) {
        const text = node.get(0);
        if (text instanceof Y.XmlText) texts.push(text);
      }
    }
  }
  return texts;
}

function budgetRowIds(doc: Y.Doc): string[] {
  return blockArray(doc, ROOT.budget)
    .toArray()
    .map((row): unknown => (row instanceof Y.Map ? row.get("id") : undefined))
    .filter((id): id is string => typeof id === "string");
}

export type EditKind = "cell" | "text" | "row";

/** One editor action; returns what it was and an awareness field to publish with it. */
export function randomEdit(doc: Y.Doc, random: Random): { kind: EditKind; cursor: Record<string, unknown> } {
  const roll = random();
  const rows = budgetRowIds(doc);
  if (roll < 0.45 && rows.length > 0) {
    const id = rows[Math.floor(random() * rows.length)]!;
    if (random() < 0.6) updateRow(doc, ROOT.budget, id, { unitPriceFen: 100 + Math.floor(random() * 1_000_000) });
    else updateRow(doc, ROOT.budget, id, { note: `已与供应商确认 ${Math.floor(random() * 1000)}` });
    return { kind: "cell", cursor: { cell: id } };
  }
  const texts = richTextParagraphs(doc);
  if (roll < 0.9 && texts.length > 0) {
    const text = texts[Math.floor(random() * texts.length)]!;
    const at = Math.floor(random() * (text.length + 1));
    const start = Math.floor(random() * (TYPED.length - 3));
    text.insert(at, TYPED.slice(start, start + 1 + Math.floor(random() * 3)));
    return { kind: "text", cursor: { anchor: at } };
  }
  insertRow(doc, ROOT.budget, {
    category: "渠道发展费用",
    item: `新增物料 ${Math.floor(random() * 10_000)}`,
    quantityHundredths: 100 * (1 + Math.floor(random() * 20)),
    unit: "个",
    unitPriceFen: 100 * (1 + Math.floor(random() * 500)),
    income: false,
    owner: "",
    quarter: "",
    note: "",
  });
  return { kind: "row", cursor: { row: rows.length } };
}

/** A digest of everything a reader of the plan sees, to compare copies of one document. */
export function fingerprint(doc: Y.Doc): string {
  const sections = doc.getArray<Y.Map<unknown>>(ROOT.sections).toArray();
  const content = {
    meta: doc.getMap(ROOT.meta).toJSON(),
    sections: sections.map((section) => section.toJSON()),
    text: sections.map((section) => sectionFragment(doc, String(section.get("id"))).toString()),
    blocks: BLOCK_ROOTS.map((root): unknown[] => blockArray(doc, root).toJSON()),
  };
  return createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 16);
}

export function stateVectorOf(doc: Y.Doc): Record<number, number> {
  return Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(doc)));
}
